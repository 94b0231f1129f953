"""
Page-number pagination whose OFFSET walks an index instead of the table: the public list
pages' (ruiraq.views.PublicListView) and the API lists' (ruiraq.rest.pagination).
"""

from django.core.paginator import Paginator

from ruiraq.models import orders_by_id


def page_by_ids(ordered, rows, total=None):
    """The page ``rows`` (``ordered[bottom:top]``) fetched as the records whose ids are that
    slice of ``ordered``: one query still, whose OFFSET reads ids only.

    PostgreSQL reads every row an OFFSET skips: page 475 of /events/ read 9,500 wide rows
    (61 ms at 100,000 events); the ids alone come from the list's covering index (status,
    start_date DESC NULLS LAST, title, id), 2.8 ms, and where no index covers the order,
    a sort of narrow rows stays in memory (the API's page 1,331 sorted its wide rows on disk,
    1.2 s). Not for a query with annotations (search's rank), DISTINCT (an actor filter) or
    extra columns, whose ids cannot be selected alone.

    With ``total`` (the number of rows in ``ordered``), a page in the second half of the
    list reads its ids in the reverse order, from the end: an OFFSET walks every row it
    skips (page 47,500 of a million events skipped 950,000 index entries), so the deepest
    page skips none and no page skips more than half the list. The page itself is still
    read in ``ordered``'s order. Only for an order that includes the id (as
    ruiraq.models.stable_order makes every list's): its reverse is then exact, ties and all.
    """
    query = rows.query
    if query.annotations or query.distinct or query.extra or query.low_mark == query.high_mark:
        return rows
    ids = rows
    bottom, top = query.low_mark, query.high_mark
    if total is not None and top is not None and bottom > total - top and orders_by_id(ordered):
        ids = ordered.reverse()[total - top : total - bottom]
    return ordered.filter(pk__in=ids.values("pk"))


class IdsFirstPaginator(Paginator):
    """Django's Paginator, each page read by ``page_by_ids`` (for querysets), from the
    nearer end of the list."""

    def _get_page(self, object_list, number, paginator):
        if hasattr(object_list, "query"):
            object_list = page_by_ids(self.object_list, object_list, self.count)
        return super()._get_page(object_list, number, paginator)
