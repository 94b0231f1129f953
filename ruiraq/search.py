"""
Search: the one function every public path (list filters, /search/, the API) calls.

This is the basic implementation: a case-insensitive substring match over each model's
``search_fields``. The search issue replaces its body (full-text and trigram matching on
PostgreSQL, folded text on SQLite) without changing its signature.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

MAX_QUERY_LENGTH = 200


def clean_query(query):
    """Whitespace-normalised, control characters removed, length bounded."""
    if not query:
        return ""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(query))
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def filter_queryset(queryset, query):
    """Narrow ``queryset`` to records matching ``query`` (all words, any field)."""
    query = clean_query(query)
    if not query:
        return queryset
    fields = queryset.model.search_fields
    for word in query.split()[:10]:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return queryset.distinct()


#: What /search/ and /api/v1/search/ look through, in the order the groups are shown.
KINDS = ("actor", "event", "agreement", "source")


def _public_querysets():
    from actors.models import Actor
    from articles.models import Agreement, Event, Source

    return {
        "actor": Actor.objects.public(),
        "event": Event.objects.public(),
        "agreement": Agreement.objects.public(),
        "source": Source.objects.public(),
    }


def search(query, kinds=KINDS):
    """Public records matching ``query``, grouped by kind, best first.

    Returns ``{kind: queryset}`` for each kind asked for (an empty query gives empty
    querysets). Callers paginate each queryset themselves; nothing is evaluated here.
    """
    query = clean_query(query)
    querysets = _public_querysets()
    return {
        kind: filter_queryset(querysets[kind], query) if query else querysets[kind].none()
        for kind in kinds
    }


def highlight_terms(query):
    """The words of ``query`` a results page should mark in the text it shows."""
    return clean_query(query).split()[:10]
