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
    Correction,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq import languages
from ruiraq.rest.fields import (
    CiteField,
    CountryCodeField,
    CountryNameField,
    FuzzyDateSerializerField,
    FuzzySpanSerializerField,
    PageUrlField,
    TextLanguagesField,
    TranslatedTextField,
    absolute_url,
    record_language,
)
from ruiraq.rest.serializers import ModelSerializer


class _OptionalURLField(serializers.URLField):
    """A URL column that may be blank: null in the API rather than an empty string."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


# --- summaries: a record as nested in another -------------------------------------------------


class TopicSummarySerializer(ModelSerializer):
    url = api_url("topic")
    name = TranslatedTextField()
    languages = TextLanguagesField()

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "languages", "url"]


def _status_as_of():
    """A status's date (StatusAsOfModel.status_as_of), read from the record's own columns."""
    return FuzzyDateSerializerField(
        allow_null=True,
        help_text=_(
            "When the sources last confirmed the status: the publication date of the latest "
            "published source supporting the record; null when none is dated."
        ),
    )


class SourceSummarySerializer(ModelSerializer):
    url = api_url("source")
    page_url = PageUrlField(route="articles:source-detail")
    published = FuzzyDateSerializerField(allow_null=True, help_text=_("When it was published."))
    source_url = _OptionalURLField(source="url", help_text=_("Where the text was read."))

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "outlet", "published", "source_url", "url", "page_url"]


class EventSummarySerializer(ModelSerializer):
    url = api_url("event")
    page_url = PageUrlField(route="articles:event-detail")
    when = FuzzySpanSerializerField()
    title = TranslatedTextField()
    languages = TextLanguagesField()
    status_as_of = _status_as_of()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "languages",
            "kind",
            "when",
            "event_status",
            "status_as_of",
            "url",
            "page_url",
        ]


class AgreementSummarySerializer(ModelSerializer):
    url = api_url("agreement")
    page_url = PageUrlField(route="articles:agreement-detail")
    when = FuzzySpanSerializerField()
    title = TranslatedTextField()
    languages = TextLanguagesField()
    status_as_of = _status_as_of()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "slug",
            "title",
            "languages",
            "kind",
            "when",
            "agreement_status",
            "status_as_of",
            "url",
            "page_url",
        ]


class _EditorsTranslationMixin(serializers.Serializer):
    editors_translation = serializers.SerializerMethodField(
        help_text=_(
            "The editors' translation of the quote into the language asked for (lang); null "
            "when there is none, and always in English. The quote stays as the source wrote it."
        )
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_editors_translation(self, citation):
        language = record_language(self.context)
        return languages.local_name(citation, "quote", language) or None


class CitationSerializer(_EditorsTranslationMixin, ModelSerializer):
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
        fields = [
            "id",
            "quote",
            "editors_translation",
            "stance",
            "locator",
            "verified",
            "source",
            "page_url",
        ]


class ParticipantSerializer(ModelSerializer):
    actor = ActorSummarySerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "note", "actor"]


class PartySerializer(ModelSerializer):
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


class TopicSerializer(ModelSerializer):
    url = api_url("topic")
    page_url = PageUrlField(help_text=_("The public list of this topic's events."))
    event_count = serializers.IntegerField(read_only=True, help_text=_("Published events."))
    agreement_count = serializers.IntegerField(read_only=True, help_text=_("Published agreements."))
    events_url = serializers.SerializerMethodField(help_text=_("The API list of its events."))
    agreements_url = serializers.SerializerMethodField(
        help_text=_("The API list of its agreements.")
    )
    name = TranslatedTextField()
    languages = TextLanguagesField()

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "languages",
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


class SourceListSerializer(ModelSerializer):
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
            "title": _cited_title(kind, record, record_language(self.context)),
            "url": absolute_url(request, f"api:{api_route}-detail", pk=linked.pk),
            "page_url": request.build_absolute_uri(record.get_absolute_url()),
        }


def _cited_title(kind, record, language):
    """A cited record's title in ``language``, else English; an actor's name, a tie's
    description as str() gives them."""
    if kind in ("event", "agreement"):
        return languages.display_name(record, "title", language)
    return str(record)


class SourceCitationSerializer(_EditorsTranslationMixin, ModelSerializer):
    """A claim made on a source's authority, seen from the source."""

    page_url = PageUrlField(help_text=_("The quote on this source's public page."))
    record = _CitedRecordSerializer(source="*", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "quote", "editors_translation", "stance", "locator", "record", "page_url"]


class CorrectionSerializer(ModelSerializer):
    """A correction as listed in its record's detail."""

    class Meta:
        model = Correction
        fields = ["id", "corrected_at", "note"]
        extra_kwargs = {"note": {"help_text": _("What changed.")}}


class EditorialRecordSerializer(serializers.Serializer):
    """The editorial record every detail shows: first published, last changed, corrections
    (prefetched: see each model's ``for_api_detail``)."""

    first_published = serializers.DateTimeField(
        source="published_at",
        read_only=True,
        allow_null=True,
        help_text=_("When the record was first published (null if published in bulk)."),
    )
    last_changed = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text=_("When the record last changed.")
    )
    corrections = CorrectionSerializer(
        many=True,
        read_only=True,
        help_text=_("Edits the editors marked as corrections of an error, newest first."),
    )

    #: The fields above, for each detail's ``Meta.fields``.
    FIELDS = ["first_published", "last_changed", "corrections"]


class SourceDetailSerializer(SourceListSerializer, EditorialRecordSerializer):
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

    summary = TranslatedTextField()
    languages = TextLanguagesField()

    class Meta(SourceListSerializer.Meta):
        fields = [
            *SourceListSerializer.Meta.fields,
            "summary",
            "languages",
            "republishes",
            "translation_of",
            "republications",
            "translations",
            "citations",
            "cite",
            *EditorialRecordSerializer.FIELDS,
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


class EventListSerializer(ModelSerializer):
    url = api_url("event")
    page_url = PageUrlField(route="articles:event-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()
    # Prefetched lists (articles/api.py): list and detail querysets must prefetch them.
    topics = TopicSummarySerializer(source="topic_list", many=True, read_only=True)
    participants = ParticipantSerializer(source="public_participants", many=True, read_only=True)
    title = TranslatedTextField()
    place = TranslatedTextField()
    summary = TranslatedTextField()
    languages = TextLanguagesField()
    country = CountryCodeField(help_text=_('Where it took place: ISO 3166-1 alpha-2 code ("IQ").'))
    country_name = CountryNameField()

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
            "country_name",
            "summary",
            "languages",
            "topics",
            "participants",
            "updated_at",
        ]


class EventDetailSerializer(EventListSerializer, EditorialRecordSerializer):
    agreements = AgreementSummarySerializer(
        many=True, read_only=True, help_text=_("Agreements signed, discussed or carried out.")
    )
    citations = CitationSerializer(many=True, read_only=True)
    cite = CiteField()

    class Meta(EventListSerializer.Meta):
        fields = [
            *EventListSerializer.Meta.fields,
            "agreements",
            "citations",
            "cite",
            *EditorialRecordSerializer.FIELDS,
        ]


class AgreementListSerializer(ModelSerializer):
    url = api_url("agreement")
    page_url = PageUrlField(route="articles:agreement-detail")
    when = FuzzySpanSerializerField()
    status_as_of = _status_as_of()
    value = _AgreementValueSerializer(source="*", read_only=True, allow_null=True)
    # Prefetched lists (articles/api.py): list and detail querysets must prefetch them.
    topics = TopicSummarySerializer(source="topic_list", many=True, read_only=True)
    parties = PartySerializer(source="public_parties", many=True, read_only=True)
    title = TranslatedTextField()
    summary = TranslatedTextField()
    languages = TextLanguagesField()

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
            "languages",
            "topics",
            "parties",
            "updated_at",
        ]


class AgreementDetailSerializer(AgreementListSerializer, EditorialRecordSerializer):
    events = EventSummarySerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    cite = CiteField()

    class Meta(AgreementListSerializer.Meta):
        fields = [
            *AgreementListSerializer.Meta.fields,
            "events",
            "citations",
            "cite",
            *EditorialRecordSerializer.FIELDS,
        ]


# --- the actor detail -------------------------------------------------------------------------


class TieSerializer(ModelSerializer):
    """A dated tie between two actors ("Ambassador of Russia to Iraq"), with its evidence."""

    page_url = PageUrlField(help_text=_("The tie on its holder's public page."))
    when = FuzzySpanSerializerField()
    subject = ActorSummarySerializer(read_only=True)
    object = ActorSummarySerializer(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    title = TranslatedTextField()
    languages = TextLanguagesField()
    status_as_of = _status_as_of()

    class Meta:
        model = Tie
        fields = [
            "id",
            "kind",
            "title",
            "languages",
            "when",
            "status_as_of",
            "subject",
            "object",
            "citations",
            "page_url",
        ]


class ActorEventSerializer(ModelSerializer):
    """An event the actor took part in, with its role."""

    event = EventSummarySerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "note", "event"]


class ActorAgreementSerializer(ModelSerializer):
    """An agreement the actor is a party to, with its role."""

    agreement = AgreementSummarySerializer(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["role", "note", "agreement"]


class ActorDetailSerializer(ActorListSerializer, EditorialRecordSerializer):
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
    description = TranslatedTextField()
    languages = TextLanguagesField()

    class Meta(ActorListSerializer.Meta):
        model = Actor
        fields = [
            *ActorListSerializer.Meta.fields,
            "description",
            "languages",
            "wikidata_url",
            "ties",
            "incoming_ties",
            "events",
            "agreements",
            "citations",
            "cite",
            *EditorialRecordSerializer.FIELDS,
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_wikidata_url(self, actor):
        return actor.wikidata_url or None
