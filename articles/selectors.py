"""
Reads of the evidence that span several models: the published records that cite a source,
and a source's published republications and translations. Fixed number of queries, published
records only.
"""

from django.db.models import Q

from actors.models import Actor
from articles.models import Agreement, Citation, Event, Source
from ruiraq import charts, languages
from ruiraq.models import FuzzySpanModel, prefixed

_SPAN_FIELDS = FuzzySpanModel.SPAN_FIELDS


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
            *languages.name_fields("quote"),  # the quote and the editors' translations
            "locator",
            "stance",
            *prefixed("event", ("slug", *languages.text_fields("title"), *_SPAN_FIELDS)),
            *prefixed("agreement", ("slug", *languages.text_fields("title"), *_SPAN_FIELDS)),
            *prefixed("actor", ("slug", *Actor.NAME_FIELDS)),
            *prefixed("tie", ("kind", *languages.text_fields("title"), *_SPAN_FIELDS)),
            *prefixed("tie__subject", ("slug", *Actor.NAME_FIELDS)),
            *prefixed("tie__object", ("slug", *Actor.NAME_FIELDS)),
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
        .only(*Source.CARD_FIELDS, "republishes_id", "translation_of_id")
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


def topic_activity(topic, title):
    """A topic's public events and agreements per year, as a chart (2 GROUP BY queries)."""
    return charts.records_per_year(
        title,
        Event.objects.public().filter(topics=topic),
        Agreement.objects.public().filter(topics=topic),
    )
