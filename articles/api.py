"""The API's topics, sources, events and agreements (read-only, published records only).

Each viewset reads through its model's QuerySet (``for_api_list()``/``for_api_detail()``),
which the export reuses: a fixed number of queries whatever the page size, loading only the
columns the serializers read. tests/test_api_queries.py holds the counts.
"""

from articles import serializers
from articles.filters import AgreementFilter, EventFilter, SourceFilter
from articles.models import Agreement, Event, Source, Topic
from ruiraq.rest.schema import document_viewset
from ruiraq.rest.viewsets import PublicReadOnlyViewSet

# --- viewsets ---------------------------------------------------------------------------------


@document_viewset(tag="topics", noun="topic", plural="topics")
class TopicViewSet(PublicReadOnlyViewSet):
    """The sector taxonomy (defence, energy, …), with how many published records each has."""

    queryset = Topic.objects.public()
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


@document_viewset(tag="events", noun="event", plural="events")
class EventViewSet(PublicReadOnlyViewSet):
    """What happened: visits, talks, deliveries, …, with participants and evidence."""

    # The public list's order (undated last, on every database), which its index serves.
    queryset = Event.objects.public().latest_first()
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
        "country_name",
        "topics.slug",
        "participants.actor.slug",
        "participants.actor.name",
        "participants.role",
        "summary",
        "url",
        "page_url",
        "updated_at",
    )


@document_viewset(tag="agreements", noun="agreement", plural="agreements")
class AgreementViewSet(PublicReadOnlyViewSet):
    """What was agreed: contracts, memoranda, treaties, …, with parties, value and evidence."""

    queryset = Agreement.objects.public().latest_first()
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
