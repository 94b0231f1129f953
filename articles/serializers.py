"""How the record of what was reported looks in the API: topics, sources, events, agreements,
the citations that carry their evidence, and the actor detail (which is made of those).

List serializers hold what a list row needs; detail serializers add everything the record's
public page shows. Nested lists only ever hold public records: the models' QuerySets
(``for_api_list()``/``for_api_detail()``) build them from ``public()`` and load the columns
each summary reads (the models' ``SUMMARY_FIELDS``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import Actor, Tie
from actors.serializers import ActorListSerializer, ActorSummarySerializer, api_url
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq.rest.fields import (
    CiteField,
    FuzzyDateSerializerField,
    FuzzySpanSerializerField,
    PageUrlField,
    absolute_url,
)


class _OptionalURLField(serializers.URLField):
    """A URL column that may be blank: null in the API rather than an empty string."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


# --- summaries: a record as nested in another -------------------------------------------------


class TopicSummarySerializer(serializers.ModelSerializer):
    url = api_url("topic")

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "url"]


def _status_as_of():
    """A status's date (StatusAsOfModel.status_as_of), read from the record's own columns."""
    return FuzzyDateSerializerField(
        allow_null=True,
        help_text=_(
            "When the sources last confirmed the status: the publication date of the latest "
            "published source supporting the record; null when none is dated."
        ),
    )


class SourceSummarySerializer(serializers.ModelSerializer):
    url = api_url("source")
    page_url = PageUrlField(route="articles:source-detail")
    published = FuzzyDateSerializerField(allow_null=True, help_text=_("When it was published."))
    source_url = _OptionalURLField(source="url", help_text=_("Where the text was read."))

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "outlet", "published", "source_url", "url", "page_url"]


class EventSummarySerializer(serializers.ModelSerializer):
    url = api_url("event")
    page_url = PageUrlField(route="articles:event-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "when",
            "event_status",
            "status_as_of",
            "url",
            "page_url",
        ]


class AgreementSummarySerializer(serializers.ModelSerializer):
    url = api_url("agreement")
    page_url = PageUrlField(route="articles:agreement-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "when",
            "agreement_status",
            "status_as_of",
            "url",
            "page_url",
        ]


class CitationSerializer(serializers.ModelSerializer):
    """A claim's evidence: the quote, where it is, whether it supports, and the source."""

    page_url = PageUrlField(help_text=_("The quote on its source's public page."))
    source = SourceSummarySerializer(read_only=True)
    verified = serializers.BooleanField(
        source="quote_verified",
        read_only=True,
        help_text=_("Whether the quote was found verbatim in the source's full text."),
    )

    class Meta:
        model = Citation
        fields = ["id", "quote", "stance", "locator", "verified", "source", "page_url"]


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ActorSummarySerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "note", "actor"]


class PartySerializer(serializers.ModelSerializer):
    actor = ActorSummarySerializer(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["role", "note", "actor"]


class _AgreementValueSerializer(serializers.Serializer):
    """The agreement's value as the source gives it; null when it gives none."""

    amount = serializers.DecimalField(
        source="value_amount",
        max_digits=Agreement.VALUE_MAX_DIGITS,
        decimal_places=2,
        help_text=_("A decimal number, as text so no precision is lost."),
    )
    currency = serializers.CharField(source="value_currency", help_text=_("ISO 4217 code."))
    qualifier = serializers.ChoiceField(
        source="value_qualifier", choices=Agreement._meta.get_field("value_qualifier").choices
    )
    display = serializers.CharField(source="value_display", help_text=_('"more than 4 bn USD"'))

    class Meta:
        ref_name = "AgreementValue"

    def to_representation(self, instance):
        if instance.value_amount is None:
            return None
        return super().to_representation(instance)


# --- topics -----------------------------------------------------------------------------------


class TopicSerializer(serializers.ModelSerializer):
    url = api_url("topic")
    page_url = PageUrlField(help_text=_("The public list of this topic's events."))
    event_count = serializers.IntegerField(read_only=True, help_text=_("Published events."))
    agreement_count = serializers.IntegerField(read_only=True, help_text=_("Published agreements."))
    events_url = serializers.SerializerMethodField(help_text=_("The API list of its events."))
    agreements_url = serializers.SerializerMethodField(
        help_text=_("The API list of its agreements.")
    )

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "description",
            "event_count",
            "agreement_count",
            "events_url",
            "agreements_url",
        ]

    def _filtered_list(self, route, topic):
        request = self.context["request"]
        return request.build_absolute_uri(f"{reverse(route)}?topic={topic.slug}")

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_events_url(self, topic):
        return self._filtered_list("api:event-list", topic)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_agreements_url(self, topic):
        return self._filtered_list("api:agreement-list", topic)


# --- sources ----------------------------------------------------------------------------------


class SourceListSerializer(serializers.ModelSerializer):
    url = api_url("source")
    page_url = PageUrlField(route="articles:source-detail")
    published = FuzzyDateSerializerField(allow_null=True, help_text=_("When it was published."))
    source_url = _OptionalURLField(source="url", help_text=_("Where the text was read."))
    archive_url = _OptionalURLField(help_text=_("A snapshot in a web archive."))

    class Meta:
        model = Source
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "title",
            "outlet",
            "authors",
            "language",
            "kind",
            "published",
            "source_url",
            "archive_url",
            "updated_at",
        ]


class _CitedRecordSerializer(serializers.Serializer):
    """The record a citation supports, whichever kind it is."""

    type = serializers.ChoiceField(choices=Citation.TARGETS)
    id = serializers.IntegerField()
    slug = serializers.SlugField(allow_null=True, help_text=_("Null for a tie."))
    title = serializers.CharField(help_text=_("Its title, an actor's name, or the tie."))
    url = serializers.URLField(
        help_text=_("The record in the API; for a tie, the actor who holds it.")
    )
    page_url = serializers.URLField()

    class Meta:
        ref_name = "CitedRecord"

    def to_representation(self, citation):
        request = self.context["request"]
        kind = next(name for name in Citation.TARGETS if getattr(citation, f"{name}_id"))
        record = getattr(citation, kind)
        if kind == "tie":
            linked, slug = record.subject, None
        else:
            linked, slug = record, record.slug
        api_route = "actor" if kind == "tie" else kind
        return {
            "type": kind,
            "id": record.pk,
            "slug": slug,
            "title": str(record),
            "url": absolute_url(request, f"api:{api_route}-detail", pk=linked.pk),
            "page_url": request.build_absolute_uri(record.get_absolute_url()),
        }


class SourceCitationSerializer(serializers.ModelSerializer):
    """A claim made on a source's authority, seen from the source."""

    page_url = PageUrlField(help_text=_("The quote on this source's public page."))
    record = _CitedRecordSerializer(source="*", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "quote", "stance", "locator", "record", "page_url"]


class SourceDetailSerializer(SourceListSerializer):
    republishes = serializers.SerializerMethodField(
        help_text=_("The original this text republishes, when it is public.")
    )
    translation_of = serializers.SerializerMethodField(
        help_text=_("The original this text translates, when it is public.")
    )
    republications = SourceSummarySerializer(many=True, read_only=True)
    translations = SourceSummarySerializer(many=True, read_only=True)
    citations = SourceCitationSerializer(
        many=True, read_only=True, help_text=_("Every public claim that cites this source.")
    )
    cite = CiteField()

    class Meta(SourceListSerializer.Meta):
        fields = [
            *SourceListSerializer.Meta.fields,
            "summary",
            "republishes",
            "translation_of",
            "republications",
            "translations",
            "citations",
            "cite",
        ]

    def _public_source(self, source):
        if source is None or not source.is_public:
            return None
        return SourceSummarySerializer(source, context=self.context).data

    @extend_schema_field(SourceSummarySerializer(allow_null=True))
    def get_republishes(self, source):
        return self._public_source(source.republishes)

    @extend_schema_field(SourceSummarySerializer(allow_null=True))
    def get_translation_of(self, source):
        return self._public_source(source.translation_of)


# --- events and agreements --------------------------------------------------------------------


class EventListSerializer(serializers.ModelSerializer):
    url = api_url("event")
    page_url = PageUrlField(route="articles:event-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()
    # Prefetched lists (articles/api.py): list and detail querysets must prefetch them.
    topics = TopicSummarySerializer(source="topic_list", many=True, read_only=True)
    participants = ParticipantSerializer(source="public_participants", many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "kind",
            "title",
            "when",
            "event_status",
            "status_as_of",
            "place",
            "country",
            "summary",
            "topics",
            "participants",
            "updated_at",
        ]


class EventDetailSerializer(EventListSerializer):
    agreements = AgreementSummarySerializer(
        many=True, read_only=True, help_text=_("Agreements signed, discussed or carried out.")
    )
    citations = CitationSerializer(many=True, read_only=True)
    cite = CiteField()

    class Meta(EventListSerializer.Meta):
        fields = [*EventListSerializer.Meta.fields, "agreements", "citations", "cite"]


class AgreementListSerializer(serializers.ModelSerializer):
    url = api_url("agreement")
    page_url = PageUrlField(route="articles:agreement-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()
    value = _AgreementValueSerializer(source="*", read_only=True, allow_null=True)
    # Prefetched lists (articles/api.py): list and detail querysets must prefetch them.
    topics = TopicSummarySerializer(source="topic_list", many=True, read_only=True)
    parties = PartySerializer(source="public_parties", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "kind",
            "title",
            "when",
            "agreement_status",
            "status_as_of",
            "value",
            "summary",
            "topics",
            "parties",
            "updated_at",
        ]


class AgreementDetailSerializer(AgreementListSerializer):
    events = EventSummarySerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    cite = CiteField()

    class Meta(AgreementListSerializer.Meta):
        fields = [*AgreementListSerializer.Meta.fields, "events", "citations", "cite"]


# --- the actor detail -------------------------------------------------------------------------


class TieSerializer(serializers.ModelSerializer):
    """A dated tie between two actors ("Ambassador of Russia to Iraq"), with its evidence."""

    page_url = PageUrlField(help_text=_("The tie on its holder's public page."))
    when = FuzzySpanSerializerField()
    subject = ActorSummarySerializer(read_only=True)
    object = ActorSummarySerializer(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    status_as_of = _status_as_of()

    class Meta:
        model = Tie
        fields = [
            "id",
            "kind",
            "title",
            "when",
            "status_as_of",
            "subject",
            "object",
            "citations",
            "page_url",
        ]


class ActorEventSerializer(serializers.ModelSerializer):
    """An event the actor took part in, with its role."""

    event = EventSummarySerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "note", "event"]


class ActorAgreementSerializer(serializers.ModelSerializer):
    """An agreement the actor is a party to, with its role."""

    agreement = AgreementSummarySerializer(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["role", "note", "agreement"]


class ActorDetailSerializer(ActorListSerializer):
    wikidata_url = serializers.SerializerMethodField()
    ties = TieSerializer(
        many=True, read_only=True, help_text=_("Positions, memberships, … the actor holds.")
    )
    incoming_ties = TieSerializer(
        many=True, read_only=True, help_text=_("Ties other actors hold with this one.")
    )
    events = ActorEventSerializer(
        source="participations", many=True, read_only=True, help_text=_("Latest first.")
    )
    agreements = ActorAgreementSerializer(
        source="agreement_parties", many=True, read_only=True, help_text=_("Latest first.")
    )
    citations = CitationSerializer(many=True, read_only=True)
    cite = CiteField()

    class Meta(ActorListSerializer.Meta):
        model = Actor
        fields = [
            *ActorListSerializer.Meta.fields,
            "description",
            "wikidata_url",
            "ties",
            "incoming_ties",
            "events",
            "agreements",
            "citations",
            "cite",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_wikidata_url(self, actor):
        return actor.wikidata_url or None
