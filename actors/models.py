"""Who: actors, the names they go by, and the ties between them over time."""

from concurrency.fields import AutoIncVersionField
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.names import name_key
from ruiraq import languages, search
from ruiraq.addresses import record_path
from ruiraq.dates import FuzzyDate, normalise
from ruiraq.models import (
    CountryCodeField,
    EditorialModel,
    EditorialQuerySet,
    FuzzySpanModel,
    SluggedModel,
    StatusAsOfModel,
    fuzzy_date_field,
    precision_field,
    prefixed,
)
from ruiraq.search.documents import SearchDocumentModel, group_pairs

#: The version column is bookkeeping for "no lost updates", not part of a record's history.
_HISTORY_EXCLUDES = ["version"]


class ActorKind(models.TextChoices):
    PERSON = "person", _("person")
    STATE = "state", _("state")
    GOVERNMENT_BODY = "government_body", _("government body")
    COMPANY = "company", _("company")
    PARTY = "party", _("party or movement")
    ARMED_GROUP = "armed_group", _("armed group")
    INTERNATIONAL_ORG = "international_org", _("international organisation")
    MEDIA = "media", _("media")


def _related_model(model, relation):
    """The model at the other end of ``relation``: for the articles app's models, which this
    module (imported by theirs) cannot import."""
    return model._meta.get_field(relation).related_model


class ActorQuerySet(EditorialQuerySet):
    def for_api_list(self):
        """Queries: the page, the count, its aliases."""
        return self.defer("editorial_note", *languages.name_fields("description")).prefetch_related(
            Prefetch("aliases", queryset=ActorAlias.objects.only(*ActorAlias.API_FIELDS))
        )

    def for_api_detail(self):
        """With its public ties both ways, its roles in public events and agreements (latest
        first) and its public evidence. Queries: the actor, aliases, ties and their
        citations (both ways), events, agreements, citations, corrections."""
        participation = _related_model(Actor, "participations")
        party = _related_model(Actor, "agreement_parties")
        citation = _related_model(Actor, "citations")
        return (
            self.for_api_list()
            .defer(None)
            .defer("editorial_note")
            .prefetch_related(
                Prefetch("ties", queryset=Tie.objects.for_api()),
                Prefetch("incoming_ties", queryset=Tie.objects.for_api()),
                Prefetch(
                    "participations",
                    queryset=participation.objects.with_public_record().with_record(
                        _related_model(participation, "event").SUMMARY_FIELDS
                    ),
                ),
                Prefetch(
                    "agreement_parties",
                    queryset=party.objects.with_public_record().with_record(
                        _related_model(party, "agreement").SUMMARY_FIELDS
                    ),
                ),
                Prefetch("citations", queryset=citation.objects.for_api()),
                Prefetch(
                    "corrections",
                    queryset=_related_model(Actor, "corrections").objects.for_page(),
                ),
            )
        )

    def by_local_name(self, descending=False):
        """Ordered by the name readers of the active language see (ruiraq.languages)."""
        return self.order_by(*languages.name_ordering(descending=descending), "pk")

    def named(self, name, limit=20):
        """The actors ``name`` may mean, as a list of at most ``limit`` (by local name): the
        one whose slug it is; else those with a name, Russian or Arabic name or alias that
        is ``name`` (folded as search folds: case, accents, ё, Arabic letter variants and
        article); else those whose names have words beginning with each of its words
        ("Lavrov", "хаким", "Maliki"). Names only: a description that mentions it does not
        count. One query, two when no slug or name is ``name`` itself."""
        exact, partial = search.title_matches(self, name)
        slug = name.strip().lower()
        fields = ("slug", *Actor.NAME_FIELDS)
        found = list((self.filter(slug=slug) | exact).by_local_name().only(*fields)[:limit])
        by_slug = [actor for actor in found if actor.slug == slug]
        if by_slug:
            return by_slug
        if not found:
            found = list(partial.by_local_name().only(*fields)[:limit])
        return found

    def similar_to(self, *names):
        """Actors whose name, Russian or Arabic name or an alias has the key of one of
        ``names`` (actors.names.name_key: case, accents, transliteration and word order
        evened out).

        Reads the names of every actor and alias (two queries) and compares them in Python:
        quick for the thousands of actors an editorial database holds.
        """
        keys = {name_key(name) for name in names} - {""}
        if not keys:
            return self.none()
        ids = {
            pk
            for pk, *spellings in Actor.objects.values_list("pk", "name", "name_ru", "name_ar")
            if keys.intersection(name_key(s) for s in spellings if s)
        }
        ids.update(
            actor_id
            for actor_id, alias in ActorAlias.objects.values_list("actor_id", "name")
            if name_key(alias) in keys
        )
        return self.filter(pk__in=ids)


class Actor(SearchDocumentModel, SluggedModel, EditorialModel):
    slug_source = "name"
    #: Fields ruiraq.search matches against.
    search_fields = ("name", "name_ru", "name_ar", "aliases__name", "description")
    #: What the search document reads besides the actor's own fields (_search_related):
    #: changes there refresh it (ruiraq.search.documents).
    search_dependencies = ("aliases",)
    #: The names a page may show (display_name, other_names): list them in every ``.only()``
    #: that feeds a page, or each name shown costs a query.
    NAME_FIELDS = languages.name_fields("name")
    #: What the API shows of an actor nested in another record (a participant, a tie).
    SUMMARY_FIELDS = ("id", "slug", "name", "kind")
    #: What a page shows of an actor it links to (a participant, a tie's other end).
    LINK_FIELDS = ("slug", "kind", *NAME_FIELDS)
    #: What other records' search documents read of an actor (ruiraq.search.documents):
    #: whether it is public, and its names (events' and agreements' documents hold their
    #: public participants' names). Editing anything else refreshes none of them.
    search_read_fields = ("status", *NAME_FIELDS)
    #: Names ruiraq.search also matches by trigram similarity on PostgreSQL (misspellings),
    #: each with the script it is written in (None: any).
    search_name_fields = {
        "name": "latin",
        "name_ru": "cyrillic",
        "name_ar": "arabic",
        "aliases__name": None,
    }

    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    name = models.CharField(
        _("name (English)"),
        max_length=200,
        help_text=_("The canonical English name, as most English sources spell it."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        help_text=_("Cyrillic spelling, e.g. Сергей Лавров. Leave empty if unsure."),
    )
    name_ar = models.CharField(
        _("name in Arabic"),
        max_length=200,
        blank=True,
        help_text=_("Arabic-script spelling, e.g. سيرغي لافروف. Leave empty if unsure."),
    )
    # Stored as the ISO 3166-1 alpha-2 code; shown by its name in the reader's language
    # (``actor.country.name``, from django-countries' CLDR-based catalogues).
    country = CountryCodeField(
        _("country"),
        blank=True,
        help_text=_("The country the actor belongs to; empty for international organisations."),
    )
    description = models.TextField(_("description"), blank=True)
    description_ru = languages.translated(models.TextField, _("description in Russian"), "ru")
    description_ar = languages.translated(models.TextField, _("description in Arabic"), "ar")
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        help_text=_("The Q-number, e.g. Q159 for Russia. Leave empty if unsure."),
    )

    history = HistoricalRecords(
        excluded_fields=_HISTORY_EXCLUDES + SearchDocumentModel.SEARCH_FIELDS
    )
    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        permissions = [("publish_actor", "Can publish, unpublish and withdraw actors")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="actor_wikidata_id_is_q_number",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="actor_wikidata_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="actor_country_is_iso_code",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
        ]
        indexes = [
            # Actor list filtered by kind and country, ordered by name.
            models.Index(fields=["kind", "country"], name="actor_kind_country_idx"),
            # The admin's country filter (ruiraq.admin.IndexedValuesListFilter).
            models.Index(fields=["country"], name="actor_country_idx"),
            # PostgreSQL only (migration 0003_search_documents): GIN on search_vector for
            # full-text search, trigram GIN on UPPER(name), UPPER(name_ru), UPPER(name_ar)
            # for misspelled names and icontains.
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_path("actors:detail", slug=self.slug)

    @property
    def local_name(self):
        """The name in the script of the active language ("Сергей Лавров" on Russian pages);
        "" on English pages or when none is recorded."""
        return languages.local_name(self)

    @property
    def display_name(self):
        """The name a reader of the active language sees: local_name, else the English one."""
        return languages.display_name(self)

    @property
    def display_language(self):
        """The language display_name is in ("ru", "ar" or "en")."""
        return languages.display_language(self)

    def other_names(self):
        """[(language, name)]: the recorded spellings other than display_name, English first."""
        shown = self.display_name
        names = [("en", self.name), ("ru", self.name_ru), ("ar", self.name_ar)]
        return [(code, name) for code, name in names if name and name != shown]

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""

    def _search_parts(self, related):
        return (self.name, self.name_ru, self.name_ar, *related), self.texts("description")

    @classmethod
    def _search_related(cls, pks):
        """The aliases of actors ``pks``: one query."""
        aliases = ActorAlias.objects.filter(actor_id__in=pks).order_by("pk")
        return group_pairs(aliases.values_list("actor_id", "name"))

    def merge_into(self, other, user):
        """Fold this actor into ``other`` and delete it; returns what moved, by kind.

        Event participations, agreement parties, ties (both ends), citations and aliases move
        to ``other``; this actor's names become aliases of ``other``; empty fields of
        ``other`` are filled from this one. A row ``other`` already has (same event and role,
        same alias) is dropped after its note is kept. A tie between the two actors would tie
        ``other`` to itself: it is deleted and its citations move to ``other``. Every row is
        saved one by one, so each lands in the history with ``user`` and a reason naming the
        merge; all of it in one transaction, undone if ``other`` is published and the
        publishing rule refuses it (ValidationError). Touches every relation of both actors.
        """
        if other.pk == self.pk:
            raise ValueError("an actor cannot be merged into itself")
        reason = f"merged {self.name} (#{self.pk}) into {other.name} (#{other.pk})"
        moved = {"participations": 0, "parties": 0, "ties": 0, "citations": 0, "aliases": 0}

        def _save(obj):
            obj._history_user = user
            obj._change_reason = reason
            obj.save()

        def _delete(obj):
            obj._history_user = user
            obj._change_reason = reason
            obj.delete()

        with transaction.atomic():
            for relation, key, count in (
                (self.participations, "event_id", "participations"),
                (self.agreement_parties, "agreement_id", "parties"),
            ):
                for row in relation.all():
                    twin = (
                        type(row)
                        ._default_manager.filter(
                            actor=other, role=row.role, **{key: getattr(row, key)}
                        )
                        .first()
                    )
                    if twin is None:
                        row.actor = other
                        _save(row)
                    else:
                        if row.note and row.note not in twin.note:
                            twin.note = "; ".join(filter(None, [twin.note, row.note]))[:200]
                            _save(twin)
                        _delete(row)
                    moved[count] += 1

            for tie in [*self.ties.all(), *self.incoming_ties.all()]:
                if other.pk in (tie.subject_id, tie.object_id):
                    for citation in tie.citations.all():
                        citation.tie, citation.actor = None, other
                        _save(citation)
                        moved["citations"] += 1
                    _delete(tie)
                    continue
                if tie.subject_id == self.pk:
                    tie.subject = other
                if tie.object_id == self.pk:
                    tie.object = other
                _save(tie)
                moved["ties"] += 1

            for citation in self.citations.all():
                citation.actor = other
                _save(citation)
                moved["citations"] += 1

            known = {a.name.casefold() for a in other.aliases.all()} | {other.name.casefold()}
            for alias in self.aliases.all():
                if alias.name.casefold() in known:
                    _delete(alias)
                    continue
                alias.actor = other
                _save(alias)
                known.add(alias.name.casefold())
                moved["aliases"] += 1
            names = [(self.name, "en")]
            for field, language in (("name_ru", "ru"), ("name_ar", "ar")):
                value = getattr(self, field)
                if value and not getattr(other, field):
                    setattr(other, field, value)
                elif value and value != getattr(other, field):
                    names.append((value, language))
            for name, language in names:
                if name.casefold() not in known:
                    _save(ActorAlias(actor=other, name=name, language=language))
                    known.add(name.casefold())
                    moved["aliases"] += 1

            for field in ("country", *languages.name_fields("description"), "wikidata_id"):
                if not getattr(other, field) and getattr(self, field):
                    setattr(other, field, getattr(self, field))
            stamp = timezone.now().date().isoformat()
            note = f"Merged {self.name} ({self.slug}) into this actor on {stamp} by {user}."
            other.editorial_note = "\n".join(
                filter(None, [other.editorial_note, note, self.editorial_note])
            )
            # With what moved to it: the evidence a published survivor rests on.
            other.validate_publishable()
            # Delete first: the Wikidata id and slug are unique. The change log notes the
            # survivor (ruiraq.changelog), so the old id, slug and page lead to it.
            self._replaced_by = other
            _delete(self)
            _save(other)
        return moved


class AliasKind(models.TextChoices):
    TRANSLITERATION = "transliteration", _("transliteration")
    ACRONYM = "acronym", _("acronym")
    FORMER_NAME = "former_name", _("former name")
    VARIANT = "variant", _("variant spelling")


class ActorAlias(models.Model):
    #: What the API shows of an alias (AliasSerializer).
    API_FIELDS = ("id", "actor", "name", "language", "kind")

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("actor")
    )
    name = models.CharField(_("alias"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=8,
        default="en",
        help_text=_("ISO 639-1 code of the alias's language (en, ru, ar, …)."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AliasKind.choices, default=AliasKind.VARIANT
    )

    version = AutoIncVersionField(verbose_name=_("version"), help_text=_("Edit counter."))

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDES)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="alias_unique_per_actor"),
            models.CheckConstraint(condition=~Q(name=""), name="alias_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class TieKind(models.TextChoices):
    POSITION = "position", _("position")
    MEMBERSHIP = "membership", _("membership")
    LEADERSHIP = "leadership", _("leadership")
    OWNERSHIP = "ownership", _("ownership")


class TieQuerySet(EditorialQuerySet):
    def public(self):
        """A tie is public when it and both its actors are."""
        return (
            super()
            .public()
            .filter(subject__in=Actor.objects.public(), object__in=Actor.objects.public())
        )

    def _with_ends(self, actor_fields):
        """Public ties with both actors' ``actor_fields``, oldest first (undated last)."""
        return (
            self.public()
            .select_related("subject", "object")
            .only(
                "kind",
                *languages.name_fields("title"),
                *FuzzySpanModel.SPAN_FIELDS,
                *StatusAsOfModel.STATUS_AS_OF_FIELDS,
                *prefixed("subject", actor_fields),
                *prefixed("object", actor_fields),
            )
            .order_by(F("start_date").asc(nulls_last=True), "pk")
        )

    def for_page(self):
        """Public ties as an actor's page shows them, with their public evidence (two
        queries: the ties, their citations)."""
        citation = _related_model(Tie, "citations")
        return self._with_ends(Actor.LINK_FIELDS).prefetch_related(
            Prefetch("citations", queryset=citation.objects.for_page())
        )

    def for_api(self):
        """Public ties as the API nests them, with their public evidence."""
        citation = _related_model(Tie, "citations")
        return self._with_ends(Actor.SUMMARY_FIELDS).prefetch_related(
            Prefetch("citations", queryset=citation.objects.for_api())
        )


class Tie(FuzzySpanModel, StatusAsOfModel, EditorialModel):
    """A dated relation between two actors: "X is Ambassador of Russia to Iraq"."""

    #: What sources' search documents read of a tie they are cited for: whether it is public
    #: (its ends, which also decide it, are followed by ruiraq.search.documents).
    search_read_fields = ("status",)

    subject = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="ties",
        verbose_name=_("subject"),
        help_text=_("Who holds the position, is the member, leads or owns."),
    )
    object = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="incoming_ties",
        verbose_name=_("object"),
        help_text=_("The organisation, state or body the tie is with."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TieKind.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            'The office or role as the source words it, e.g. "Ambassador of Russia to Iraq".'
        ),
    )
    title_ru = languages.translated(models.CharField, _("title in Russian"), "ru", max_length=200)
    title_ar = languages.translated(models.CharField, _("title in Arabic"), "ar", max_length=200)
    # Sources mostly attest a tie at one moment ("Maximov, Russia's ambassador", in a text of
    # May 2018) without saying when it began or ended: that moment is not a start date.
    as_of_date = fuzzy_date_field(
        _("as of"),
        help_text=_(
            "The date at which the sources attest this tie: 'ambassador, as of February "
            "2018'. Leave empty if the sources give no date."
        ),
    )
    as_of_precision = precision_field(_("as-of precision"))

    history = HistoricalRecords(
        excluded_fields=[*_HISTORY_EXCLUDES, *StatusAsOfModel.STATUS_AS_OF_FIELDS]
    )
    objects = TieQuerySet.as_manager()

    class Meta:
        ordering = ["subject__name", "start_date"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        permissions = [("publish_tie", "Can publish, unpublish and withdraw ties")]
        constraints = [
            *FuzzySpanModel.span_constraints("tie"),
            models.CheckConstraint(
                condition=~Q(subject=models.F("object")), name="tie_not_to_itself"
            ),
        ]

    def __str__(self):
        what = self.title or self.get_kind_display()
        return f"{self.subject_id and self.subject}: {what} ({self.object_id and self.object})"

    def get_absolute_url(self):
        return record_path("actors:detail", slug=self.subject.slug) + f"#tie-{self.pk}"

    @property
    def as_of(self) -> FuzzyDate | None:
        """When the sources attest the tie, at the precision they give; None if undated."""
        if self.as_of_date is None:
            return None
        return FuzzyDate(self.as_of_date, self.as_of_precision)

    def save(self, *args, **kwargs):
        self.as_of_date = normalise(self.as_of_date, self.as_of_precision)
        return super().save(*args, **kwargs)
