"""The site-wide search behind /search/ and /api/v1/search/: every kind of public record,
grouped by kind, each ranked by ruiraq.search."""

from django.db.models import F

from actors.models import Actor
from articles.models import Agreement, Event, Source
from ruiraq.search import filter_queryset, ranked, terms

#: What /search/ and /api/v1/search/ look through, in the order the groups are shown.
KINDS = ("actor", "event", "agreement", "source")

#: Each kind's model and, after relevance, the order of its results (then newest first by id).
_KINDS = {
    "actor": (Actor, ("name",)),
    "event": (Event, (F("start_date").desc(nulls_last=True),)),
    "agreement": (Agreement, (F("start_date").desc(nulls_last=True),)),
    "source": (Source, (F("published_date").desc(nulls_last=True),)),
}


def search(query, kinds=KINDS):
    """Public records matching ``query``: ``{kind: queryset}`` for each kind asked for, each
    ranked by ``ruiraq.search.ranked`` (so at most SEARCH_CANDIDATES of each). Callers
    paginate each queryset themselves; nothing is evaluated here."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown search kinds: {', '.join(sorted(unknown))}")
    results = {}
    for kind in kinds:
        model, tie_break = _KINDS[kind]
        results[kind] = ranked(model.objects.public(), query, tie_break)
    return results


def count(query, kind):
    """How many public records of ``kind`` match ``query``: all of them, not only the
    SEARCH_CANDIDATES that ``search`` ranks (one COUNT over the unranked match)."""
    model, _tie_break = _KINDS[kind]
    if not terms(query):  # nothing to look for matches nothing (filter_queryset: everything)
        return 0
    return filter_queryset(model.objects.public(), query).count()
