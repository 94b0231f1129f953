"""The API's topics, sources, events and agreements (read-only, published records only).

Each list runs a fixed number of queries whatever its page size: the page, its count, and
one query per nested list (prefetched from ``public()`` querysets, loading only the columns
the serializers read). tests/test_api_queries.py holds the counts.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from actors.serializers import ACTOR_SUMMARY_COLUMNS
from articles import serializers
from articles.filters import AgreementFilter, EventFilter, SourceFilter
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq.rest.schema import document_viewset
from ruiraq.rest.viewsets import PublicReadOnlyViewSet


def _prefixed(prefix, columns):
    return [f"{prefix}__{column}" for column in columns]


# --- nested lists, public records only --------------------------------------------------------
# The lists a list row nests are prefetched into plain lists (``to_attr``, named as the
# serializers' ``source``): Django otherwise builds a queryset per row and relation to hold
# them, about 100 clones for a 50-row event list.


def topics():
    return Prefetch(
        "topics",
        queryset=Topic.objects.only(*serializers.TOPIC_SUMMARY_COLUMNS),
        to_attr="topic_list",
    )


def participants():
    """An event's participants whose actor is public, with that actor."""
    return Prefetch(
        "participants",
        queryset=EventParticipant.objects.with_public_actor()
        .select_related("actor")
        .only("id", "event", "role", "note", *_prefixed("actor", ACTOR_SUMMARY_COLUMNS)),
        to_attr="public_participants",
    )


def parties():
    """An agreement's parties whose actor is public, with that actor."""
    return Prefetch(
        "parties",
        queryset=AgreementParty.objects.with_public_actor()
        .select_related("actor")
        .only("id", "agreement", "role", "note", *_prefixed("actor", ACTOR_SUMMARY_COLUMNS)),
        to_attr="public_parties",
    )


def citations(lookup="citations"):
    """Public citations (public source, public record) with their source."""
    return Prefetch(
        lookup,
        queryset=Citation.objects.public()
        .select_related("source")
        .only(
            "id",
            "quote",
            "stance",
            "locator",
            *Citation.TARGETS,
            *_prefixed("source", serializers.SOURCE_SUMMARY_COLUMNS),
        ),
    )


def public_events(lookup="events"):
    return Prefetch(
        lookup,
        queryset=Event.objects.public().only(*serializers.EVENT_SUMMARY_COLUMNS),
    )


def public_agreements(lookup="agreements"):
    return Prefetch(
        lookup,
        queryset=Agreement.objects.public().only(*serializers.AGREEMENT_SUMMARY_COLUMNS),
    )


def public_sources(lookup, link):
    """A source's public copies or translations; ``link`` is their foreign key to it."""
    return Prefetch(
        lookup,
        queryset=Source.objects.public().only(*serializers.SOURCE_SUMMARY_COLUMNS, link),
    )


def _public_count(model):
    """How many public ``model`` records carry the topic (a subquery, not a join)."""
    counted = (
        model.objects.public()
        .filter(topics=OuterRef("pk"))
        .order_by()
        .values("topics")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- viewsets ---------------------------------------------------------------------------------


@document_viewset(tag="topics", noun="topic", plural="topics")
class TopicViewSet(PublicReadOnlyViewSet):
    """The sector taxonomy (defence, energy, …), with how many published records each has."""

    queryset = Topic.objects.all()
    list_serializer_class = serializers.TopicSerializer
    serializer_class = serializers.TopicSerializer
    csv_columns = (
        "id",
        "slug",
        "name",
        "description",
        "event_count",
        "agreement_count",
        "url",
        "page_url",
    )

    @classmethod
    def list_queryset(cls):
        # Topics are always public (no editorial status); their counts are of public records.
        # Queries: the page, the count.
        return Topic.objects.annotate(
            event_count=_public_count(Event), agreement_count=_public_count(Agreement)
        )

    @classmethod
    def detail_queryset(cls):
        return cls.list_queryset()


@document_viewset(tag="sources", noun="source", plural="sources")
class SourceViewSet(PublicReadOnlyViewSet):
    """Where things were reported. A source's detail lists every public claim citing it."""

    queryset = Source.objects.public()
    filterset_class = SourceFilter
    list_serializer_class = serializers.SourceListSerializer
    serializer_class = serializers.SourceDetailSerializer
    csv_columns = (
        "id",
        "slug",
        "title",
        "outlet",
        "authors",
        "language",
        "kind",
        "published.display",
        "published.date",
        "published.precision",
        "source_url",
        "archive_url",
        "url",
        "page_url",
        "updated_at",
    )

    @classmethod
    def list_queryset(cls):
        # Queries: the page, the count.
        return Source.objects.public().defer("editorial_note", "summary")

    @classmethod
    def detail_queryset(cls):
        cited = (
            Citation.objects.public()
            .select_related("event", "agreement", "actor", "tie__subject", "tie__object")
            .only(
                "id",
                "quote",
                "stance",
                "locator",
                "source",  # the prefetch links each citation back to this source
                *_prefixed("event", ("id", "slug", "title")),
                *_prefixed("agreement", ("id", "slug", "title")),
                *_prefixed("actor", ("id", "slug", "name")),
                *_prefixed("tie", ("id", "title", "kind", "subject", "object")),
                *_prefixed("tie__subject", ("id", "slug", "name")),
                *_prefixed("tie__object", ("id", "slug", "name")),
            )
        )
        return (
            Source.objects.public()
            .defer("editorial_note")
            .select_related("republishes", "translation_of")
            .prefetch_related(
                public_sources("republications", "republishes"),
                public_sources("translations", "translation_of"),
                Prefetch("citations", queryset=cited),
            )
        )


@document_viewset(tag="events", noun="event", plural="events")
class EventViewSet(PublicReadOnlyViewSet):
    """What happened: visits, talks, deliveries, …, with participants and evidence."""

    queryset = Event.objects.public()
    filterset_class = EventFilter
    list_serializer_class = serializers.EventListSerializer
    serializer_class = serializers.EventDetailSerializer
    csv_columns = (
        "id",
        "slug",
        "title",
        "kind",
        "event_status",
        "when.display",
        "when.start.date",
        "when.start.precision",
        "when.end.date",
        "when.end.precision",
        "place",
        "country",
        "topics.slug",
        "participants.actor.slug",
        "participants.actor.name",
        "participants.role",
        "summary",
        "url",
        "page_url",
        "updated_at",
    )

    @classmethod
    def list_queryset(cls):
        # Queries: the page, the count, its topics, its participants with their actors.
        return (
            Event.objects.public()
            .defer("editorial_note")
            .prefetch_related(topics(), participants())
        )

    @classmethod
    def detail_queryset(cls):
        return cls.list_queryset().prefetch_related(public_agreements(), citations())


@document_viewset(tag="agreements", noun="agreement", plural="agreements")
class AgreementViewSet(PublicReadOnlyViewSet):
    """What was agreed: contracts, memoranda, treaties, …, with parties, value and evidence."""

    queryset = Agreement.objects.public()
    filterset_class = AgreementFilter
    list_serializer_class = serializers.AgreementListSerializer
    serializer_class = serializers.AgreementDetailSerializer
    csv_columns = (
        "id",
        "slug",
        "title",
        "kind",
        "agreement_status",
        "when.display",
        "when.start.date",
        "when.start.precision",
        "when.end.date",
        "when.end.precision",
        "value.amount",
        "value.currency",
        "value.qualifier",
        "value.display",
        "topics.slug",
        "parties.actor.slug",
        "parties.actor.name",
        "parties.role",
        "summary",
        "url",
        "page_url",
        "updated_at",
    )

    @classmethod
    def list_queryset(cls):
        # Queries: the page, the count, its topics, its parties with their actors.
        return (
            Agreement.objects.public().defer("editorial_note").prefetch_related(topics(), parties())
        )

    @classmethod
    def detail_queryset(cls):
        return cls.list_queryset().prefetch_related(public_events(), citations())
