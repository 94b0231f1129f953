"""
Page-number pagination whose OFFSET walks an index instead of the table: the public list
pages' (ruiraq.views.PublicListView) and the API lists' (ruiraq.rest.pagination).
"""

from django.core.paginator import Paginator


def page_by_ids(ordered, rows):
    """The page ``rows`` (``ordered[bottom:top]``) fetched as the records whose ids are that
    slice of ``ordered``: one query still, whose OFFSET reads ids only.

    PostgreSQL reads every row an OFFSET skips: page 475 of /events/ read 9,500 wide rows
    (61 ms at 100,000 events); the ids alone come from the list's covering index (status,
    start_date DESC NULLS LAST, title, id), 2.8 ms, and where no index covers the order,
    a sort of narrow rows stays in memory (the API's page 1,331 sorted its wide rows on disk,
    1.2 s). Not for a query with annotations (search's rank), DISTINCT (an actor filter) or
    extra columns, whose ids cannot be selected alone.
    """
    query = rows.query
    if query.annotations or query.distinct or query.extra or query.low_mark == query.high_mark:
        return rows
    return ordered.filter(pk__in=rows.values("pk"))


class IdsFirstPaginator(Paginator):
    """Django's Paginator, each page read by ``page_by_ids`` (for querysets)."""

    def _get_page(self, object_list, number, paginator):
        if hasattr(object_list, "query"):
            object_list = page_by_ids(self.object_list, object_list)
        return super()._get_page(object_list, number, paginator)
