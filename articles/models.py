"""
The record of what was reported: sources, the events and agreements they report, and the
citations that tie every claim to a verbatim quote.
"""

import operator
from functools import reduce
from urllib.parse import parse_qsl, urlencode, urlsplit

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.models import Actor, ActorAlias, Tie
from articles.evidence import left_without_evidence
from ruiraq import languages
from ruiraq.addresses import record_path
from ruiraq.dates import FuzzyDate, normalise
from ruiraq.models import (
    ChoiceLabelsModel,
    CountryCodeField,
    EditorialModel,
    EditorialQuerySet,
    EditorialStatus,
    FuzzySpanModel,
    SluggedModel,
    Stance,
    StatusAsOfModel,
    fuzzy_date_field,
    precision_field,
    prefixed,
)
from ruiraq.quotes import find_quote, paragraph_locator
from ruiraq.search.documents import SearchDocumentModel, group_pairs


def _merged(*texts):
    """``{pk: [text, …]}`` dicts (as ``_search_related`` returns them) merged, in order."""
    merged = {}
    for found in texts:
        for pk, values in found.items():
            merged.setdefault(pk, []).extend(values)
    return merged


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Every topic: the taxonomy has no editorial status (the one door all the same)."""
        return self.all()

    def by_local_name(self):
        """Ordered by the name readers of the active language see (ruiraq.languages)."""
        return self.order_by(*languages.name_ordering(), "pk")

    def tags(self):
        """The topic tags a page shows, in the reader's language and order."""
        return self.only("slug", *Topic.NAME_FIELDS).by_local_name()

    def for_api_list(self):
        """With how many public events and agreements carry each topic (subqueries).

        Queries: the page, the count."""
        return self.annotate(
            event_count=_public_count(Event), agreement_count=_public_count(Agreement)
        )

    def for_api_detail(self):
        return self.for_api_list()


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


class Topic(models.Model):
    """The sector taxonomy (defence, energy, …); editable in the admin, always public.

    Topics are shown on every page as tags, so their names are kept in each language of the
    site: the English ``name`` and its Russian and Arabic translations (empty: English).
    """

    #: The names a page may show: list them in every ``.only()`` that feeds a tag.
    NAME_FIELDS = languages.name_fields("name")
    #: What the API shows of a topic nested in a record.
    SUMMARY_FIELDS = ("id", "slug", *NAME_FIELDS)

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=80,
        blank=True,
        help_text=_("Shown on the Russian pages; the English name when empty."),
    )
    name_ar = models.CharField(
        _("name in Arabic"),
        max_length=80,
        blank=True,
        help_text=_("Shown on the Arabic pages; the English name when empty."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        # In the reader's language: the topic filter's choices and the admin show it.
        return self.display_name

    @property
    def display_name(self):
        """The name readers of the active language see (ruiraq.languages)."""
        return languages.display_name(self)

    @property
    def display_language(self):
        return languages.display_language(self)

    def get_absolute_url(self):
        return record_path("articles:event-list") + f"?topic={self.slug}"


# --- sources --------------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    NEWS = "news", _("news")
    ANALYSIS = "analysis", _("analysis")
    OFFICIAL_STATEMENT = "official_statement", _("official statement")
    INTERVIEW = "interview", _("interview")
    DOCUMENT = "document", _("document")


#: Query parameters that track the reader rather than name the page.
_TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "yclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ocid"}
    | {"_ga", "_gl", "ref", "ref_src", "cmpid", "at_medium", "at_campaign", "share"}
)


def _version_field():
    return AutoIncVersionField(verbose_name=_("version"), help_text=_("Edit counter."))


#: The version column is bookkeeping for "no lost updates", not part of a record's history.
_HISTORY_EXCLUDES = ["version"]
#: Search documents are derived from the other fields: nothing to keep in history either.
_DOCUMENT_HISTORY_EXCLUDES = _HISTORY_EXCLUDES + SearchDocumentModel.SEARCH_FIELDS
#: Nor is the status date, derived from the evidence (StatusAsOfModel).
_CLAIM_HISTORY_EXCLUDES = _DOCUMENT_HISTORY_EXCLUDES + list(StatusAsOfModel.STATUS_AS_OF_FIELDS)


class SourceQuerySet(EditorialQuerySet):
    def for_api_list(self):
        """Queries: the page, the count. Never the full text (editors only)."""
        return self.defer("editorial_note", *languages.text_fields("summary"), "text")

    def for_api_detail(self):
        """With its public copies and translations and every public claim citing it, each
        with the record it cites, and its corrections (queries: the source, copies,
        translations, citations, corrections)."""
        cited = (
            Citation.objects.public()
            .select_related("event", "agreement", "actor", "tie__subject", "tie__object")
            .only(
                "id",
                "quote",
                "stance",
                "locator",
                "source",  # the prefetch links each citation back to this source
                *prefixed("event", ("id", "slug", *languages.text_fields("title"))),
                *prefixed("agreement", ("id", "slug", *languages.text_fields("title"))),
                *prefixed("actor", ("id", "slug", "name")),
                *prefixed("tie", ("id", "kind", "subject", "object")),
                *prefixed("tie", languages.text_fields("title")),
                *prefixed("tie__subject", ("id", "slug", "name")),
                *prefixed("tie__object", ("id", "slug", "name")),
            )
        )
        copies = Source.objects.public().only(*Source.SUMMARY_FIELDS, "republishes")
        translations = Source.objects.public().only(*Source.SUMMARY_FIELDS, "translation_of")
        return (
            self.defer("editorial_note", "text", "republishes__text", "translation_of__text")
            .select_related("republishes", "translation_of")
            .prefetch_related(
                Prefetch("republications", queryset=copies),
                Prefetch("translations", queryset=translations),
                Prefetch("citations", queryset=cited),
                Prefetch("corrections", queryset=Correction.objects.for_page()),
            )
        )

    def same_url(self, url):
        """Sources whose URL is ``url`` once both are normalised (Source.normalise_url).

        One query, narrowed to URLs containing the host, then compared in Python.
        """
        key = Source.normalise_url(url)
        if not key:
            return self.none()
        host = key.split("/", 1)[0]
        candidates = Source.objects.filter(url__icontains=host).values_list("pk", "url")
        return self.filter(
            pk__in=[pk for pk, other in candidates if Source.normalise_url(other) == key]
        )


class Source(SearchDocumentModel, SluggedModel, EditorialModel):
    requires_citation = False  # a source is the evidence; it is not itself a claim
    search_fields = ("title", "outlet", "authors", "summary")
    #: What the API shows of a source nested in a record (a citation's source).
    SUMMARY_FIELDS = (
        "id",
        "slug",
        "title",
        "outlet",
        "published_date",
        "published_precision",
        "url",
        "status",
    )
    #: What a page's evidence list shows of a quote's source (templates/ruiraq/_evidence.html).
    EVIDENCE_FIELDS = (
        "slug",
        "title",
        "outlet",
        "url",
        "language",
        "published_date",
        "published_precision",
    )
    #: What a source card shows (templates/articles/_source_item.html).
    CARD_FIELDS = (
        "slug",
        "title",
        "outlet",
        "authors",
        "language",
        "kind",
        "published_date",
        "published_precision",
    )

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        help_text=_("The address the text was read at. Unique: one record per URL."),
    )
    archive_url = models.URLField(
        _("archive URL"),
        max_length=500,
        blank=True,
        help_text=_("A snapshot in a web archive, in case the original disappears."),
    )
    outlet = models.CharField(
        _("outlet"),
        max_length=200,
        blank=True,
        help_text=_("Who published it: Al-Monitor, RIAC, TASS, …"),
    )
    authors = models.CharField(
        _("authors"),
        max_length=300,
        blank=True,
        help_text=_("As the text names them, comma separated."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        default="en",
        help_text=_("ISO 639-1 code of the text (en, ru, ar, …)."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS
    )
    published_date = fuzzy_date_field(_("publication date"))
    published_precision = precision_field(_("publication date precision"))
    republishes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="republications",
        verbose_name=_("republishes"),
        help_text=_("The original this text republishes, if it is a copy."),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_("The original this text translates, if it is a translation."),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_ru = languages.translated(models.TextField, _("summary in Russian"), "ru")
    summary_ar = languages.translated(models.TextField, _("summary in Arabic"), "ar")
    text = models.TextField(
        _("full text"),
        blank=True,
        help_text=_(
            "For editors only, never shown on the site or in the API: the source's text as "
            "published, pasted or imported. When it is given, every quote of this source must "
            "stand in it verbatim; select a passage to cite it."
        ),
    )

    history = HistoricalRecords(excluded_fields=_DOCUMENT_HISTORY_EXCLUDES)
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("publish_source", "Can publish, unpublish and withdraw sources")]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_url_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(republishes=models.F("id")), name="source_not_republishing_itself"
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("id")), name="source_not_translating_itself"
            ),
        ]
        indexes = [
            # Source list filtered by outlet and ordered by date.
            models.Index(fields=["outlet", "published_date"], name="source_outlet_date_idx"),
            # The admin's changelist in its order (Meta.ordering, then -pk): a page is the
            # first 50 entries, not a sort of every source; and its year filter's two ends.
            models.Index(fields=["-published_date", "title", "-id"], name="source_admin_order_idx"),
            # The admin's language filter (ruiraq.admin.IndexedValuesListFilter).
            models.Index(fields=["language"], name="source_language_idx"),
            # PostgreSQL only (migration 0004_search_documents): GIN on search_vector.
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_path("articles:source-detail", slug=self.slug)

    @staticmethod
    def normalise_url(url):
        """The part of a URL that names the page: "example.org/a/b?id=3".

        Drops the scheme, "www.", a default port, the fragment, a trailing slash and the
        tracking parameters (utm_*, fbclid, …); sorts the remaining parameters.
        """
        url = (url or "").strip()
        if not url:
            return ""
        parts = urlsplit(url if "://" in url else f"//{url}")
        host = (parts.hostname or "").lower().removeprefix("www.")
        if parts.port and parts.port not in (80, 443):
            host = f"{host}:{parts.port}"
        path = parts.path.rstrip("/")
        query = sorted(
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not name.lower().startswith("utm_") and name.lower() not in _TRACKING_PARAMETERS
        )
        return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")

    @property
    def published(self):
        if self.published_date is None:
            return None
        return FuzzyDate(self.published_date, self.published_precision)

    #: What the search document reads besides the source's own fields (_search_related): the
    #: quotes taken from it for public records, so a source is found by what it said. The
    #: records' (and a tie's actors') publication decides which quotes count.
    search_dependencies = (
        "citations__event",
        "citations__agreement",
        "citations__actor",
        "citations__tie__subject",
        "citations__tie__object",
    )
    #: What other records' search documents read of a source: whether it is public (only a
    #: published source's quotes go into the documents of the records it is cited for).
    search_read_fields = ("status",)

    def _search_parts(self, related):
        return (self.title,), (self.outlet, self.authors, *self.texts("summary"), *related)

    @classmethod
    def _search_related(cls, pks):
        """The quotes taken from sources ``pks`` for public records: one query. (Whether the
        source itself is public is search's business, not the document's.)"""
        citations = Citation.objects.filter(source_id__in=pks).with_public_record()
        return group_pairs(citations.order_by("pk").values_list("source_id", "quote"))

    def evidence_lost_by(self, status):
        """The published records resting on this source alone, when it leaves publication
        for ``status`` (articles.evidence; a few queries)."""
        if self.pk is None or status == EditorialStatus.PUBLISHED:
            return []
        return left_without_evidence(sources=[self], source_status=status)

    def derive_fields(self):
        super().derive_fields()
        self.published_date = normalise(self.published_date, self.published_precision)


# --- events ---------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    VISIT = "visit", _("visit")
    MEETING = "meeting", _("meeting")
    TALKS = "talks", _("talks")
    ELECTION = "election", _("election")
    DELIVERY = "delivery", _("delivery")
    SIGNING = "signing", _("signing")
    STATEMENT = "statement", _("statement")
    COMMISSION_SESSION = "commission_session", _("commission session")
    OPERATION = "operation", _("operation")


class EventStatus(models.TextChoices):
    OCCURRED = "occurred", _("occurred")
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class ParticipantRole(models.TextChoices):
    HOST = "host", _("host")
    GUEST = "guest", _("guest")
    PARTICIPANT = "participant", _("participant")
    ORGANISER = "organiser", _("organiser")
    SUPPLIER = "supplier", _("supplier")
    RECIPIENT = "recipient", _("recipient")
    SPEAKER = "speaker", _("speaker")


class ClaimQuerySet(EditorialQuerySet):
    """What events and agreements share: cards, the latest-first order, the API's reads."""

    def cards(self):
        """The columns a card shows (templates/articles/_*_item.html)."""
        return self.only(*self.model.CARD_FIELDS)

    def latest_first(self):
        """Latest first, undated last (the public lists' order, served by an index); ties by
        title, then by id, the same in every language."""
        return self.order_by(F("start_date").desc(nulls_last=True), "title", "pk")

    def with_lists(self, roles, topics, actor_fields):
        """The topics (queryset ``topics``) as ``topic_list`` and the public ``roles``
        (participants or parties, with their actors' ``actor_fields``) as ``public_<roles>``,
        in plain lists: held in a relation's cache instead, Django builds a related manager
        and a filtered queryset per row and relation (about 1 ms of a list page of 20).
        Two queries."""
        roles_model = self.model._meta.get_field(roles).related_model
        return self.prefetch_related(
            Prefetch("topics", queryset=topics, to_attr="topic_list"),
            Prefetch(
                roles,
                queryset=roles_model.objects.with_public_actor().with_actor(actor_fields),
                to_attr=f"public_{roles}",
            ),
        )

    def _for_api(self, roles):
        """Topics and public roles as the serializers read them. Queries: the page, the
        count, topics, roles with their actors."""
        return self.with_lists(
            roles, Topic.objects.only(*Topic.SUMMARY_FIELDS), Actor.SUMMARY_FIELDS
        )


class EventQuerySet(ClaimQuerySet):
    def for_api_list(self):
        """Only the columns a list row shows (Event.API_LIST_FIELDS): not the search
        document and vector, a kilobyte a row that nothing in a list reads."""
        return self._for_api("participants").only(*self.model.API_LIST_FIELDS)

    def for_api_detail(self):
        """Also the public agreements, the public citations and the corrections (three more
        queries)."""
        return (
            self._for_api("participants")
            .defer("editorial_note")
            .prefetch_related(
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.public().only(*Agreement.SUMMARY_FIELDS),
                ),
                Prefetch("citations", queryset=Citation.objects.for_api()),
                Prefetch("corrections", queryset=Correction.objects.for_page()),
            )
        )


class Event(SearchDocumentModel, SluggedModel, FuzzySpanModel, StatusAsOfModel, EditorialModel):
    search_fields = ("title", "summary", "place", "citations__quote")
    #: What the API shows of an event nested in another record.
    SUMMARY_FIELDS = (
        "id",
        "slug",
        *languages.text_fields("title"),
        "kind",
        "event_status",
        *FuzzySpanModel.SPAN_FIELDS,
        *StatusAsOfModel.STATUS_AS_OF_FIELDS,
    )
    #: What an event card shows: list them in every ``.only()`` that feeds a card, or each
    #: card costs a query (``Event.objects.cards()``).
    CARD_FIELDS = (
        "slug",
        *languages.text_fields("title", "place"),
        "kind",
        "event_status",
        "country",
        *FuzzySpanModel.SPAN_FIELDS,
        *StatusAsOfModel.STATUS_AS_OF_FIELDS,
    )
    #: What a row of the API's list (and the export) shows (EventListSerializer).
    API_LIST_FIELDS = (
        *SUMMARY_FIELDS,
        *languages.text_fields("place", "summary"),
        "country",
        "updated_at",
    )
    #: What the search document reads besides the event's own fields (_search_related): the
    #: quotes citing it, from published sources only, and its public participants' names in
    #: every script with their aliases. Changes there refresh it (ruiraq.search.documents).
    search_dependencies = (
        "citations__source",
        "participants__actor__aliases",
    )
    #: What other records' search documents read of an event: whether it is public (a
    #: source's document holds the quotes taken from it for public records only).
    search_read_fields = ("status",)

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    title_ru = languages.translated(models.CharField, _("title in Russian"), "ru", max_length=300)
    title_ar = languages.translated(models.CharField, _("title in Arabic"), "ar", max_length=300)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("City or site, as the source gives it.")
    )
    place_ru = languages.translated(models.CharField, _("place in Russian"), "ru", max_length=200)
    place_ar = languages.translated(models.CharField, _("place in Arabic"), "ar", max_length=200)
    # The ISO 3166-1 alpha-2 code, shown by name in the reader's language (as Actor.country).
    country = CountryCodeField(_("country"), blank=True, help_text=_("Where it took place."))
    event_status = models.CharField(
        _("status"),
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.OCCURRED,
        help_text=_("Whether, as of the sources, it happened, is planned or was cancelled."),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_ru = languages.translated(models.TextField, _("summary in Russian"), "ru")
    summary_ar = languages.translated(models.TextField, _("summary in Arabic"), "ar")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="events", verbose_name=_("topics")
    )
    actors = models.ManyToManyField(
        Actor, through="EventParticipant", related_name="events", verbose_name=_("actors")
    )
    agreements = models.ManyToManyField(
        "Agreement",
        blank=True,
        related_name="events",
        verbose_name=_("agreements"),
        help_text=_("Agreements signed, discussed or carried out at this event."),
    )

    history = HistoricalRecords(
        m2m_fields=[topics, agreements], excluded_fields=_CLAIM_HISTORY_EXCLUDES
    )
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("publish_event", "Can publish, unpublish and withdraw events")]
        constraints = [
            *FuzzySpanModel.span_constraints("event"),
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="event_country_is_iso_code",
            ),
        ]
        indexes = [
            # Public event lists and the timeline: published events ordered by date.
            models.Index(fields=["status", "start_date"], name="event_status_date_idx"),
            # The admin's changelist in its order (Meta.ordering, then -pk): a page is the
            # first 50 entries, not a sort of every event (310 ms at 100,000); and its year
            # filter's two ends.
            models.Index(fields=["-start_date", "title", "-id"], name="event_admin_order_idx"),
            # The admin's country filter (ruiraq.admin.IndexedValuesListFilter).
            models.Index(fields=["country"], name="event_country_idx"),
            # "Is this event public (and when)?" from the index alone, for the network's
            # joins from participants (ruiraq.site.network): the table's rows are wide.
            models.Index(
                fields=["id", "start_date"],
                condition=Q(status=EditorialStatus.PUBLISHED),
                name="event_public_idx",
            ),
            # The public list's filters by kind, status and country: its page COUNT from the
            # index (without them, a sequential scan of the wide rows: 170-230 ms at
            # 100,000 events), and the page's ids for a small kind or status.
            *(
                models.Index(
                    fields=[field],
                    condition=Q(status=EditorialStatus.PUBLISHED),
                    name=f"event_public_{field}_idx",
                )
                for field in ("kind", "event_status", "country")
            ),
            # PostgreSQL only (migrations 0006_latest_first_list_indexes and
            # 0014_latest_first_indexes_cover_the_id): (status, start_date DESC NULLS LAST,
            # title, id) for the public list page's order, its page's ids from the index.
            # PostgreSQL only (migration 0004_search_documents): GIN on search_vector.
        ]

    @classmethod
    def bump_versions(cls, pks):
        """Marks events ``pks`` as changed for the no-lost-updates check (one UPDATE): their
        agreements were changed from an agreement's side, so an event form opened before
        must not save its stale list of agreements over it."""
        if pks:
            cls.objects.filter(pk__in=list(pks)).update(version=models.F("version") + 1)

    @staticmethod
    def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
        """m2m_changed receiver: ``agreement.events`` changed in code (the admin's "related
        events" rows go through RelatedEventsFormSet, as Django sends no post_save for the
        link rows). A change from the event's side comes with the event's own save."""
        if not reverse:
            return
        if action == "pre_clear":
            Event.bump_versions(instance.events.values_list("pk", flat=True))
        elif action in ("post_add", "post_remove"):
            Event.bump_versions(pk_set or ())

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_path("articles:event-detail", slug=self.slug)

    @property
    def display_name(self):
        """The title readers of the active language see, else the English (ruiraq.languages):
        what the page's citation data and headings name the record by."""
        return languages.display_name(self, "title")

    def _search_parts(self, related):
        return self.texts("title"), (*self.texts("place", "summary"), *related)

    @classmethod
    def _search_related(cls, pks):
        """The quotes citing events ``pks`` from published sources, and the names of their
        public participants: three queries."""
        return _merged(
            Citation.quotes_for("event", pks), EventParticipant.objects.names_by_record(pks)
        )


class ParticipationQuerySet(models.QuerySet):
    """Event participants and agreement parties: an actor's role in a record
    (``RECORD_FIELD`` names the record's foreign key)."""

    def _record(self):
        return self.model.RECORD_FIELD

    def with_public_actor(self):
        """The roles whose actor is public (the record is the caller's business)."""
        return self.filter(actor__in=Actor.objects.public())

    def with_public_record(self):
        """The roles in a public record (the actor is the caller's business)."""
        record = self.model._meta.get_field(self._record()).related_model
        return self.filter(**{f"{self._record()}__in": record.objects.public()})

    def names_by_record(self, pks):
        """``{record pk: [name, …]}``: the names of the public actors taking part in records
        ``pks``, every spelling of each (English, Russian, Arabic, aliases), for the records'
        search documents. A draft actor's names stay out: its part is not shown either.
        Two queries (the names, the aliases)."""
        record = f"{self._record()}_id"
        rows = list(
            self.filter(**{f"{record}__in": pks})
            .with_public_actor()
            .order_by("pk")
            .values_list(record, "actor_id", "actor__name", "actor__name_ru", "actor__name_ar")
        )
        aliases = group_pairs(
            ActorAlias.objects.filter(actor_id__in={row[1] for row in rows})
            .order_by("pk")
            .values_list("actor_id", "name")
        )
        names, seen = {}, set()
        for pk, actor_id, *spellings in rows:
            if (pk, actor_id) in seen:  # one actor in two roles
                continue
            seen.add((pk, actor_id))
            spelled = [s for s in spellings if s] + aliases.get(actor_id, [])
            names.setdefault(pk, []).extend(spelled)
        return names

    def with_actor(self, fields):
        """Each role with its actor's ``fields`` (a join, not a query per row)."""
        return self.select_related("actor").only(
            self._record(), "role", "note", *prefixed("actor", fields)
        )

    def with_record(self, fields):
        """Each role with its record's ``fields``, latest record first."""
        record = self._record()
        return (
            self.select_related(record)
            .only("actor", "role", "note", *prefixed(record, fields))
            .order_by(f"-{record}__start_date", f"{record}__title", "pk")
        )


class EventParticipant(ChoiceLabelsModel, models.Model):
    RECORD_FIELD = "event"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    # PROTECT: deleting an actor must not silently rewrite what happened; merge it instead.
    # No index of its own: participant_actor_event_idx leads with it.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("actor"),
        db_index=False,
    )
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_('Detail of the role, e.g. "head of delegation".'),
    )

    version = _version_field()

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDES)
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="participant_unique_role"
            ),
        ]
        indexes = [
            # An actor's events, from the index alone: the network's steps and weights
            # (ruiraq.site.network) and the actor page. The unique constraint above serves
            # the other way, an event's actors.
            models.Index(fields=["actor", "event"], name="participant_actor_event_idx"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


# --- agreements -----------------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    ARMS_CONTRACT = "arms_contract", _("arms contract")
    ENERGY_CONTRACT = "energy_contract", _("energy contract")
    INVESTMENT = "investment", _("investment")
    MEMORANDUM = "memorandum", _("memorandum")
    TREATY = "treaty", _("treaty")
    INTERGOVERNMENTAL_BODY = "intergovernmental_body", _("intergovernmental body")
    COOPERATION_PROGRAMME = "cooperation_programme", _("cooperation programme")


class AgreementStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    NEGOTIATING = "negotiating", _("negotiating")
    SIGNED = "signed", _("signed")
    IN_FORCE = "in_force", _("in force")
    COMPLETED = "completed", _("completed")
    SUSPENDED = "suspended", _("suspended")
    RENOUNCED = "renounced", _("renounced")
    DENIED = "denied", _("denied")


class ValueQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    LESS_THAN = "less_than", _("less than")
    ABOUT = "about", _("about")
    UP_TO = "up_to", _("up to")


class PartyRole(models.TextChoices):
    SUPPLIER = "supplier", _("supplier")
    BUYER = "buyer", _("buyer")
    SIGNATORY = "signatory", _("signatory")
    OPERATOR = "operator", _("operator")
    CO_CHAIR = "co_chair", _("co-chair")
    MEMBER = "member", _("member")
    PARTY = "party", _("party")


class AgreementQuerySet(ClaimQuerySet):
    def for_api_list(self):
        """Only the columns a list row shows (Agreement.API_LIST_FIELDS), as for events."""
        return self._for_api("parties").only(*self.model.API_LIST_FIELDS)

    def for_api_detail(self):
        """Also the public events, the public citations and the corrections (three more
        queries)."""
        return (
            self._for_api("parties")
            .defer("editorial_note")
            .prefetch_related(
                Prefetch("events", queryset=Event.objects.public().only(*Event.SUMMARY_FIELDS)),
                Prefetch("citations", queryset=Citation.objects.for_api()),
                Prefetch("corrections", queryset=Correction.objects.for_page()),
            )
        )


class Agreement(SearchDocumentModel, SluggedModel, FuzzySpanModel, StatusAsOfModel, EditorialModel):
    search_fields = ("title", "summary", "citations__quote")
    #: What the API shows of an agreement nested in another record.
    SUMMARY_FIELDS = (
        "id",
        "slug",
        *languages.text_fields("title"),
        "kind",
        "agreement_status",
        *FuzzySpanModel.SPAN_FIELDS,
        *StatusAsOfModel.STATUS_AS_OF_FIELDS,
    )
    #: What an agreement card shows (``Agreement.objects.cards()``).
    CARD_FIELDS = (
        "slug",
        *languages.text_fields("title"),
        "kind",
        "agreement_status",
        "value_amount",
        "value_currency",
        "value_qualifier",
        *FuzzySpanModel.SPAN_FIELDS,
        *StatusAsOfModel.STATUS_AS_OF_FIELDS,
    )
    #: What a row of the API's list (and the export) shows (AgreementListSerializer).
    API_LIST_FIELDS = (
        *SUMMARY_FIELDS,
        *languages.text_fields("summary"),
        "value_amount",
        "value_currency",
        "value_qualifier",
        "updated_at",
    )
    #: As Event.search_dependencies: the quotes, the parties' names.
    search_dependencies = (
        "citations__source",
        "parties__actor__aliases",
    )
    #: As Event.search_read_fields: whether it is public.
    search_read_fields = ("status",)

    kind = models.CharField(_("kind"), max_length=24, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    title_ru = languages.translated(models.CharField, _("title in Russian"), "ru", max_length=300)
    title_ar = languages.translated(models.CharField, _("title in Arabic"), "ar", max_length=300)
    agreement_status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.REPORTED,
        help_text=_("Where the agreement stands according to the sources."),
    )
    #: Money is stored exactly on both databases: SQLite keeps a decimal as a double, exact
    #: to 15 significant digits (it rounded 16, and failed to read 18 back), so 15 digits,
    #: two of them cents: up to 9,999,999,999,999.99, beyond any agreement's value.
    VALUE_MAX_DIGITS = 15
    value_amount = models.DecimalField(
        _("value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The amount the source gives, in the currency below."),
    )
    value_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code: USD, RUB, IQD, EUR.")
    )
    value_qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=ValueQualifier.choices,
        default=ValueQualifier.EXACT,
        help_text=_('As the source hedges it: "more than".'),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_ru = languages.translated(models.TextField, _("summary in Russian"), "ru")
    summary_ar = languages.translated(models.TextField, _("summary in Arabic"), "ar")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="agreements", verbose_name=_("topics")
    )
    actors = models.ManyToManyField(
        Actor, through="AgreementParty", related_name="agreements", verbose_name=_("actors")
    )

    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=_CLAIM_HISTORY_EXCLUDES)
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = [("publish_agreement", "Can publish, unpublish and withdraw agreements")]
        constraints = [
            *FuzzySpanModel.span_constraints("agreement"),
            models.CheckConstraint(condition=~Q(title=""), name="agreement_title_not_empty"),
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True) | Q(value_amount__gte=0),
                name="agreement_value_not_negative",
            ),
            # SQLite ignores max_digits: the range is checked by the database too.
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True) | Q(value_amount__lt=10**13),
                name="agreement_value_exact_range",
            ),
            models.CheckConstraint(
                condition=Q(value_currency="") | Q(value_currency__regex=r"^[A-Z]{3}$"),
                name="agreement_currency_is_iso_code",
            ),
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True, value_currency="")
                | (Q(value_amount__isnull=False) & ~Q(value_currency="")),
                name="agreement_value_has_currency",
            ),
        ]
        indexes = [
            # Public agreement lists ordered by date.
            models.Index(fields=["status", "start_date"], name="agreement_status_date_idx"),
            # The admin's changelist in its order, and its year filter's two ends (as events).
            models.Index(fields=["-start_date", "title", "-id"], name="agreement_admin_order_idx"),
            # As event_public_idx, for the network's joins from parties.
            models.Index(
                fields=["id", "start_date"],
                condition=Q(status=EditorialStatus.PUBLISHED),
                name="agreement_public_idx",
            ),
            # PostgreSQL only (migrations 0006 and 0014): as for events.
            # PostgreSQL only (migration 0004_search_documents): GIN on search_vector.
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_path("articles:agreement-detail", slug=self.slug)

    @property
    def display_name(self):
        """The title readers of the active language see, else the English (ruiraq.languages):
        what the page's citation data and headings name the record by."""
        return languages.display_name(self, "title")

    def _search_parts(self, related):
        return self.texts("title"), (*self.texts("summary"), *related)

    @classmethod
    def _search_related(cls, pks):
        """The quotes citing agreements ``pks`` from published sources, and the names of
        their public parties: three queries."""
        return _merged(
            Citation.quotes_for("agreement", pks), AgreementParty.objects.names_by_record(pks)
        )

    @property
    def value_display(self):
        if self.value_amount is None:
            return ""
        amount = languages.format_amount(self.value_amount)
        qualifier = ""
        if self.value_qualifier != ValueQualifier.EXACT:
            qualifier = f"{self.get_value_qualifier_display()} "
        return f"{qualifier}{amount} {self.value_currency}"

    def clean(self):
        super().clean()
        if self.value_amount is not None and not self.value_currency:
            raise ValidationError({"value_currency": _("Give the currency of the value.")})
        if self.value_currency and self.value_amount is None:
            raise ValidationError({"value_amount": _("A currency needs an amount.")})


class AgreementParty(ChoiceLabelsModel, models.Model):
    RECORD_FIELD = "agreement"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    # PROTECT: see EventParticipant.actor. No index of its own: party_actor_agreement_idx.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("actor"),
        db_index=False,
    )
    role = models.CharField(
        _("role"), max_length=12, choices=PartyRole.choices, default=PartyRole.PARTY
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    version = _version_field()

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDES)
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "actor", "role"], name="party_unique_role"
            ),
        ]
        indexes = [
            # An actor's agreements, from the index alone (as participant_actor_event_idx).
            models.Index(fields=["actor", "agreement"], name="party_actor_agreement_idx"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


# --- citations ------------------------------------------------------------------------------


def _public_record(target):
    """The filter on a citation whose cited record, a ``target`` (Citation.TARGETS), is
    public: each kind of record's own public door."""
    if target == "tie":
        return Q(tie__in=Tie.objects.public())
    return Q(**{f"{target}__status": EditorialStatus.PUBLISHED})


class CitationQuerySet(models.QuerySet):
    def public(self, of=None):
        """Citations whose source and cited record are both public.

        ``of`` (one of Citation.TARGETS, "event"): the caller reads citations of that kind of
        record only (a record page's evidence, a prefetch through ``event.citations``).
        """
        return self.filter(source__status=EditorialStatus.PUBLISHED).with_public_record(of)

    def with_public_record(self, of=None):
        """Citations whose cited record is public (the source is the caller's business).

        With ``of``, only that kind of record's door is asked: a citation cites exactly one
        record (Citation's "exactly one cited record" constraint), so among citations of
        events the other three doors are false anyway. The query then has one join instead
        of three outer joins and the ties' two subqueries: an event page's evidence was
        planned by PostgreSQL in 7.6 ms (and executed in 0.3 ms) at 100,000 events, and is
        now planned in 0.3 ms; Django builds and compiles it in a third of the time too.
        """
        if of is not None:
            return self.filter(_public_record(of))
        return self.filter(reduce(operator.or_, map(_public_record, self.model.TARGETS)))

    def with_source(self, fields):
        """Each citation with its source's ``fields`` (a join)."""
        return self.select_related("source").only(
            "id",
            *languages.name_fields("quote"),
            "stance",
            "locator",
            "quote_verified",
            *self.model.TARGETS,
            *prefixed("source", fields),
        )

    def for_page(self, of=None):
        """Public evidence as a record page shows it (templates/ruiraq/_evidence.html);
        ``of`` as for ``public()``."""
        return self.public(of).with_source(Source.EVIDENCE_FIELDS)

    def for_api(self):
        """Public evidence as the API nests it (CitationSerializer)."""
        return self.public().with_source(Source.SUMMARY_FIELDS)


class Citation(models.Model):
    """One claim's evidence: a record, a source, and the verbatim passage that says so."""

    TARGETS = ("event", "agreement", "actor", "tie")

    # PROTECT: a source that is cited is evidence; it must not disappear under a claim.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("event"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("agreement"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("actor"),
    )
    tie = models.ForeignKey(
        Tie,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("tie"),
    )
    quote = models.TextField(
        _("quote"),
        help_text=_(
            "The passage, copied verbatim from the source: the shortest one that "
            "supports (or disputes) the claim."
        ),
    )
    #: The editors' translations of the quote: shown beneath it, labelled, on the pages of
    #: that language; the quote itself stays as the source wrote it.
    quote_ru = models.TextField(
        _("editors' translation into Russian"),
        blank=True,
        help_text=_("Optional: shown beneath the quote on the Russian pages, labelled."),
    )
    quote_ar = models.TextField(
        _("editors' translation into Arabic"),
        blank=True,
        help_text=_("Optional: shown beneath the quote on the Arabic pages, labelled."),
    )
    locator = models.CharField(
        _("locator"),
        max_length=100,
        blank=True,
        help_text=_('Where in the source: "paragraph 4", "p. 12".'),
    )
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.SUPPORTS
    )
    note = models.TextField(_("note"), blank=True)
    quote_verified = models.BooleanField(
        _("verified against the source text"),
        default=False,
        editable=False,
        help_text=_("Derived: the quote was found verbatim in its source's full text."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = _version_field()

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDES)
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                # Exactly one cited record.
                condition=(
                    Q(
                        event__isnull=False,
                        agreement__isnull=True,
                        actor__isnull=True,
                        tie__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=False,
                        actor__isnull=True,
                        tie__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=True,
                        actor__isnull=False,
                        tie__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=True,
                        actor__isnull=True,
                        tie__isnull=False,
                    )
                ),
                name="citation_cites_exactly_one_record",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="citation_quote_not_empty"),
        ]

    def __str__(self):
        return f"{self.source}: “{self.quote[:60]}”"

    @property
    def editors_translation(self):
        """The editors' translation of the quote into the reader's language ("" when none, or
        on English pages)."""
        return languages.local_name(self, "quote")

    @property
    def target(self):
        """The cited record. Touches the relation: select_related the targets first."""
        for name in self.TARGETS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    def get_absolute_url(self):
        return self.source.get_absolute_url() + f"#citation-{self.pk}"

    # --- search documents: events and agreements carry the quotes that cite them --------

    @classmethod
    def quotes_for(cls, target, pks):
        """``{pk: [quote, …]}`` for records ``pks`` of kind ``target``, from published
        sources only (a draft source's words are not public). One query."""
        citations = cls.objects.filter(
            **{f"{target}_id__in": pks}, source__status=EditorialStatus.PUBLISHED
        ).order_by("pk")
        return group_pairs(citations.values_list(f"{target}_id", "quote"))

    def clean(self):
        super().clean()
        # The record may be set but not saved yet (a citation added with its new record).
        chosen = [
            name
            for name in self.TARGETS
            if getattr(self, f"{name}_id") is not None or getattr(self, name) is not None
        ]
        if len(chosen) != 1:
            raise ValidationError(
                _("A citation cites exactly one record: an event, an agreement, an actor or a tie.")
            )
        text = self._source_text()
        if text and self.quote:
            paragraph = find_quote(self.quote, text)
            if paragraph is None:
                raise ValidationError(
                    {
                        "quote": _(
                            "This quote does not stand verbatim in the source's full text. "
                            "Copy it from the text (spacing and quotation marks may differ), "
                            "or correct the source's text if it is incomplete."
                        )
                    },
                    code="quote_not_in_source",
                )
            if not self.locator:
                self.locator = paragraph_locator(paragraph)

    def _source_text(self):
        """The full text of the cited source ("" without one). Reads the source."""
        if self.source_id is None:
            return ""
        return self.source.text

    def save(self, *args, **kwargs):
        """Records whether the quote stands in its source's text (reads the source)."""
        self.quote_verified = find_quote(self.quote, self._source_text()) is not None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "quote_verified"}
        return super().save(*args, **kwargs)


# --- the editorial record readers see: corrections, and the errors readers report ----------


class RecordKind(models.TextChoices):
    """The public records a correction or a reader's report is about (each has a page)."""

    EVENT = "event", _("event")
    AGREEMENT = "agreement", _("agreement")
    ACTOR = "actor", _("actor")
    SOURCE = "source", _("source")


def _record_model(kind):
    return {"event": Event, "agreement": Agreement, "actor": Actor, "source": Source}[kind]


class AboutRecordQuerySet(models.QuerySet):
    def public(self):
        """Rows about a public record: each record kind through its own public door."""
        return self.filter(
            Q(event__in=Event.objects.public())
            | Q(agreement__in=Agreement.objects.public())
            | Q(actor__in=Actor.objects.public())
            | Q(source__in=Source.objects.public())
        )

    def with_records(self):
        """With the record each row is about, and what its link and name need (joins)."""
        return self.select_related(*AboutRecord.RECORDS)


class AboutRecord(models.Model):
    """A row about exactly one public record: an event, an agreement, an actor or a source.

    Foreign keys rather than a generic relation: the database keeps them (a deleted record
    takes its rows with it), and "about a public record" is one query through each model's
    own ``public()``. Each kind's reverse relation is named after the model
    (``event.corrections``, ``event.errorreports``).
    """

    RECORDS = tuple(RecordKind.values)

    # CASCADE: a correction or a report means nothing without its record.
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("event"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("agreement"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("actor"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("source"),
    )

    objects = AboutRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        event__isnull=False,
                        agreement__isnull=True,
                        actor__isnull=True,
                        source__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=False,
                        actor__isnull=True,
                        source__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=True,
                        actor__isnull=False,
                        source__isnull=True,
                    )
                    | Q(
                        event__isnull=True,
                        agreement__isnull=True,
                        actor__isnull=True,
                        source__isnull=False,
                    )
                ),
                name="%(class)s_about_exactly_one_record",
            ),
        ]

    @property
    def kind(self):
        """ "event", "agreement", "actor" or "source"; no query."""
        for name in self.RECORDS:
            if getattr(self, f"{name}_id") is not None:
                return name
        return None

    @property
    def kind_label(self):
        """The kind of record in the reader's language ("event", "событие"); no query."""
        return RecordKind(self.kind).label if self.kind else ""

    @property
    def record(self):
        """The record. Touches the relation: use ``with_records()`` first."""
        kind = self.kind
        return getattr(self, kind) if kind else None

    @record.setter
    def record(self, record):
        for name in self.RECORDS:
            setattr(self, name, None)
        setattr(self, record._meta.model_name, record)

    @classmethod
    def public_record(cls, kind, slug):
        """The public record of ``kind`` ("event", …) with ``slug``, or None. One query."""
        if kind not in cls.RECORDS:
            return None
        return _record_model(kind).objects.public().filter(slug=slug).first()


class CorrectionQuerySet(AboutRecordQuerySet):
    def for_page(self):
        """What a record's page lists of its corrections (a prefetch of the record's)."""
        return self.only("id", "note", "corrected_at", *AboutRecord.RECORDS)

    def for_list(self):
        """With the record each correction is about, as much as its link and name need
        (joins): /corrections/ and the API's list."""
        return self.select_related(*AboutRecord.RECORDS).only(
            "id",
            "note",
            "corrected_at",
            *prefixed("event", ("id", "slug", "title")),
            *prefixed("agreement", ("id", "slug", "title")),
            *prefixed("actor", ("id", "slug", *Actor.NAME_FIELDS)),
            *prefixed("source", ("id", "slug", "title", "language")),
        )


class Correction(AboutRecord):
    """An edit to a published record that its editor marked as a correction: shown on the
    record's page, on /corrections/ and in its feed, with what changed."""

    note = models.TextField(
        _("what changed"),
        max_length=1000,
        help_text=_(
            "Shown to the public: what was wrong and what the record says now, in a sentence "
            "or two."
        ),
    )
    corrected_at = models.DateTimeField(_("corrected on"), default=timezone.now)
    # SET_NULL: the correction stays public when an editor's account is removed.
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections_made",
        verbose_name=_("editor"),
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta(AboutRecord.Meta):
        ordering = ["-corrected_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [
            # /corrections/ and its feed: the newest first.
            models.Index(fields=["-corrected_at", "-id"], name="correction_newest_idx"),
        ]

    def __str__(self):
        return f"{self.corrected_at:%Y-%m-%d}: {self.note[:60]}"

    def get_absolute_url(self):
        """The corrected record's page, at its list of corrections. Touches the relation."""
        return self.record.get_absolute_url() + f"#correction-{self.pk}"


class ErrorReportQuerySet(AboutRecordQuerySet):
    def open(self):
        return self.filter(handled_at__isnull=True)


class ErrorReport(AboutRecord):
    """An error a reader reported on a record's page. Only editors ever see it."""

    #: The longest message a reader may send, and the shortest that can say anything.
    MESSAGE_MAX = 2000
    MESSAGE_MIN = 10

    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    email = models.EmailField(
        _("reader's email"), blank=True, help_text=_("Given by the reader for a reply, if at all.")
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    # SET_NULL: the report stays handled when the editor's account is removed.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports_handled",
        verbose_name=_("handled by"),
    )

    objects = ErrorReportQuerySet.as_manager()

    class Meta(AboutRecord.Meta):
        ordering = ["created_at", "pk"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        indexes = [
            # The editors' queue: open reports, oldest first.
            models.Index(fields=["handled_at", "created_at"], name="errorreport_queue_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}: {self.message[:60]}"

    @property
    def is_handled(self):
        return self.handled_at is not None

    def get_absolute_url(self):
        # Never public: its place is the admin.
        return reverse("admin:articles_errorreport_change", args=[self.pk])
