"""
Reads of the evidence that span several models: the public citations a record page shows, the
published records that cite a source, and a source's published republications and
translations. Fixed number of queries, published records only.
"""

from django.db.models import Q

from actors.models import Actor
from articles.models import Citation, Source

_SPAN_FIELDS = ("start_date", "start_precision", "end_date", "end_precision")

#: The fields an event or agreement card (templates/articles/_*_item.html) shows: name them in
#: every ``.only()`` that feeds a card, or each card costs a query.
EVENT_CARD_FIELDS = ("slug", "title", "kind", "event_status", "place", "country", *_SPAN_FIELDS)
AGREEMENT_CARD_FIELDS = (
    "slug",
    "title",
    "kind",
    "agreement_status",
    "value_amount",
    "value_currency",
    "value_qualifier",
    *_SPAN_FIELDS,
)


def public_citations():
    """Public citations with the source fields the evidence list shows."""
    return (
        Citation.objects.public()
        .select_related("source")
        .only(
            "event",
            "agreement",
            "actor",
            "tie",
            "quote",
            "locator",
            "stance",
            "source__slug",
            "source__title",
            "source__outlet",
            "source__url",
            "source__language",
            "source__published_date",
            "source__published_precision",
        )
    )


def claims_citing(source):
    """Every public record citing ``source``, with its quotes, grouped by kind (one query).

    Returns [(kind, [(record, [citations])])], kinds in the order event, agreement, actor,
    tie, empty kinds left out; records in the order of their first citation.
    """
    citations = (
        Citation.objects.public()
        .filter(source=source)
        .select_related("event", "agreement", "actor", "tie__subject", "tie__object")
        .only(
            "source",
            "quote",
            "locator",
            "stance",
            *(f"event__{f}" for f in ("slug", "title", *_SPAN_FIELDS)),
            *(f"agreement__{f}" for f in ("slug", "title", *_SPAN_FIELDS)),
            "actor__slug",
            *(f"actor__{f}" for f in Actor.NAME_FIELDS),
            "tie__kind",
            "tie__title",
            *(f"tie__{f}" for f in _SPAN_FIELDS),
            "tie__subject__slug",
            *(f"tie__subject__{f}" for f in Actor.NAME_FIELDS),
            "tie__object__slug",
            *(f"tie__object__{f}" for f in Actor.NAME_FIELDS),
        )
        .order_by("pk")
    )
    by_kind = {kind: {} for kind in Citation.TARGETS}
    for citation in citations:
        record = citation.target  # selected above: no query
        claims = by_kind[record._meta.model_name]
        claims.setdefault(record.pk, (record, []))[1].append(citation)
    return [(kind, list(claims.values())) for kind, claims in by_kind.items() if claims]


def related_sources(source):
    """The public originals and copies of ``source``, by relation (one query).

    Returns {"republishes", "translation_of": Source | None, "republications",
    "translations": [Source]}.
    """
    related = (
        Source.objects.public()
        .filter(
            Q(pk=source.republishes_id)
            | Q(pk=source.translation_of_id)
            | Q(republishes=source)
            | Q(translation_of=source)
        )
        .only(
            "slug",
            "title",
            "outlet",
            "language",
            "published_date",
            "published_precision",
            "republishes_id",
            "translation_of_id",
        )
        .order_by("published_date", "title")
    )
    found = {"republishes": None, "translation_of": None, "republications": [], "translations": []}
    for other in related:
        if other.pk == source.republishes_id:
            found["republishes"] = other
        if other.pk == source.translation_of_id:
            found["translation_of"] = other
        if other.republishes_id == source.pk:
            found["republications"].append(other)
        if other.translation_of_id == source.pk:
            found["translations"].append(other)
    return found
