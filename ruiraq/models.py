"""
The editorial base shared by every curated record (actors, ties, sources, events,
agreements): its life cycle, who may change it, the publishing rule (a published claim
rests on a supporting citation), its timestamps, and the one queryset method that decides
what the public may see.
"""

import functools

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.choices import flatten_choices
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ruiraq import counts
from ruiraq.dates import FuzzyDate, FuzzySpan, Precision, normalise


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Statuses only a reviewer (the model's "publish" permission) may give or take away.
REVIEWED_STATUSES = frozenset({EditorialStatus.PUBLISHED, EditorialStatus.WITHDRAWN})


class Stance(models.TextChoices):
    """How a citation's quote bears on the record it cites (articles.models.Citation)."""

    SUPPORTS = "supports", _("supports")
    DISPUTES = "disputes", _("disputes")


# What counts as support for publishing is decided by these two, in SQL (stored citations)
# and in memory (a form's unsaved rows), and nowhere else: change them together. A quote
# supports its record when its stance says so and its source is itself published: a draft
# source's words are no public evidence.


def supporting_citations(prefix=""):
    """A filter selecting the citations that support their record; ``prefix`` is the path
    from the queried model to the citation ("citations__" from a record)."""
    return Q(
        **{f"{prefix}stance": Stance.SUPPORTS, f"{prefix}source__status": EditorialStatus.PUBLISHED}
    )


def is_supporting(citation):
    """``supporting_citations()`` for one citation in memory, saved or not. Reads the
    citation's source: select_related it when there are many."""
    if citation.stance != Stance.SUPPORTS or citation.source_id is None:
        return False
    return citation.source.status == EditorialStatus.PUBLISHED


class EvidenceWouldBeLost(ValidationError):
    """A change refused because it would leave published records (``records``) without a
    supporting citation from a published source: unpublishing a source, deleting a
    citation, changing its stance, source or record.

    A reviewer may confirm such a change instead: the records then go back to "in review"
    in the same transaction (``EditorialModel.send_back_to_review``).
    """

    def __init__(self, records):
        self.records = list(records)
        super().__init__(
            [
                ValidationError(
                    _(
                        "The %(kind)s “%(record)s” is published and would be left without a "
                        "supporting citation from a published source."
                    ),
                    code="evidence_lost",
                    params={"kind": record._meta.verbose_name, "record": record},
                )
                for record in self.records
            ]
        )

    @staticmethod
    def may_confirm(user, records):
        """Whether ``user`` may send every one of ``records`` back to review (a reviewer)."""
        return all(
            record.may_change_status(user, record.status, EditorialStatus.IN_REVIEW)
            for record in records
        )


def kept_count_models():
    """The concrete models whose number of public records the database keeps
    (EditorialQuerySet.keeps_published_count, ruiraq.counts)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and issubclass(model._default_manager._queryset_class, EditorialQuerySet)
        and model._default_manager._queryset_class.keeps_published_count()
    ]


def install_published_counts(using="default", **kwargs):
    """The counts and their triggers on database ``using`` (after every migrate, wired in
    ruiraq.apps, and after a restore)."""
    counts.install(kept_count_models(), using)


class EditorialQuerySet(models.QuerySet):
    def public(self):
        """The only door public code (pages, API, search, feeds, sitemaps, exports) uses."""
        return self.filter(status=EditorialStatus.PUBLISHED)

    @classmethod
    def keeps_published_count(cls):
        """Whether the database keeps the number of these records that are public
        (ruiraq.counts): when ``public()`` is the status alone, not narrowed further."""
        return cls.public is EditorialQuerySet.public

    def count(self):
        """As QuerySet.count(); for every public record of a kind (``public()`` narrowed by
        nothing else: an unfiltered list page, the API's list), the count the database
        keeps (ruiraq.counts) instead of a scan of every published row."""
        if (
            self._result_cache is None
            and self.keeps_published_count()
            and self._is_every_public_record()
        ):
            kept = counts.published(self.model, self.db)
            if kept is not None:
                return kept
        return super().count()

    def _is_every_public_record(self):
        query = self.query
        if (
            query.distinct
            or query.combinator
            or query.annotations
            or query.group_by
            or query.is_sliced
            or query.extra
        ):
            return False
        return query.where == self.model._default_manager.public().query.where

    def with_citation_counts(self):
        """Annotates ``citations_total`` and ``supporting_total`` (the admin's changelist
        columns), each a correlated subquery over the citations' foreign-key index.

        A subquery in the SELECT list is evaluated only for the rows the query returns, after
        its LIMIT: a changelist page of 50 costs 100 index lookups whatever the table's size.
        (A ``Count`` over a join grouped the whole table before the page was cut: 410 ms at
        100,000 events, and the changelist's COUNT and its DISTINCT list filters ran over the
        same join.) Ordering by a count still evaluates it for every row.
        """
        relation = self.model._meta.get_field("citations")
        citations = relation.related_model._default_manager.filter(
            **{relation.field.name: OuterRef("pk")}
        ).order_by()

        def count(rows):
            counted = rows.values(relation.field.name).annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)

        return self.annotate(
            citations_total=count(citations),
            supporting_total=count(citations.filter(supporting_citations())),
        )

    def supported(self, yes=True):
        """Records that have (``yes``) or lack a supporting citation, as stored."""
        relation = self.model._meta.get_field("citations")
        exists = Exists(
            relation.related_model._default_manager.filter(
                supporting_citations(), **{relation.field.name: OuterRef("pk")}
            )
        )
        return self.filter(exists if yes else ~exists)


@functools.cache
def _choice_labels(field, language):
    """``{value: label}`` of ``field``'s choices as readers of ``language`` read them."""
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }


class ChoiceLabelsModel:
    """``get_<field>_display()`` from the field's labels translated once per language.

    Django's builds a dict of the field's choices on every call, hashing each lazy label,
    which translates it: a 9-kind choice cost 9 gettext calls for one label, and a page of
    20 event cards about 250. Same result (a value without a label is returned as it is).
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field, get_language()).get(make_hashable(value), value)
        return force_str(label, strings_only=True)


class EditorialModel(ChoiceLabelsModel, models.Model):
    """Abstract base of every curated record."""

    #: Records that make a claim need a supporting citation before they are published.
    requires_citation = True

    status = models.CharField(
        _("editorial status"),
        max_length=16,
        choices=EditorialStatus.choices,
        default=EditorialStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown on the site and in the API."),
    )
    editorial_note = models.TextField(
        _("editorial note"),
        blank=True,
        help_text=_(
            "For editors: how a date or claim was inferred, doubts, what to check. "
            "Never shown to the public."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    #: No lost updates: every save bumps it, and a save from a stale copy is refused.
    version = AutoIncVersionField(verbose_name=_("version"), help_text=_("Edit counter."))

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == EditorialStatus.PUBLISHED

    # --- who may change a status ---

    @classmethod
    def publish_permission(cls):
        """The permission that lets a user publish, unpublish and withdraw this model."""
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    @classmethod
    def may_change_status(cls, user, old, new):
        """Editors move records between draft and review; reviewers do anything.

        The one rule of who may change a status: the admin form (its choices and its
        check), change_status (so the bulk actions) and import all ask it.
        """
        if old == new:
            return True
        if old in REVIEWED_STATUSES or new in REVIEWED_STATUSES:
            return user.has_perm(cls.publish_permission())
        return True

    @classmethod
    def statuses_for(cls, user, current):
        """The statuses ``user`` may choose for a record whose status is ``current``."""
        return [
            value for value in EditorialStatus.values if cls.may_change_status(user, current, value)
        ]

    # --- the publishing rule ---

    def has_supporting_citation(self):
        """Whether a supporting citation is stored. Queries the database."""
        if self.pk is None:
            return False
        return self.citations.filter(supporting_citations()).exists()

    def evidence_lost_by(self, status):
        """The published records that would lose their last supporting citation if this
        record moved to ``status``: none, but for a source (articles.models.Source)."""
        return []

    def validate_publishable(self, citations=None, status=None):
        """The publishing rule: a published record rests on at least one supporting citation,
        and a supporting citation is one whose source is published (``is_supporting``).

        The one check every path that publishes a record, or changes what it rests on,
        calls: the admin form (or, when the citations are edited on the same page, its
        CitationInlineFormSet), change_status and so the bulk actions, import, history
        revert (the form) and Actor.merge_into. The other side of the rule, a record that
        would lose its evidence when a source leaves publication, is checked here too
        (``evidence_lost_by``, raising EvidenceWouldBeLost); the citations' own paths
        (deleting one, changing its stance, source or record) ask
        ``articles.evidence.left_without_evidence``, which applies the same ``is_supporting``.

        ``status`` is the status the record would have (default: its own). ``citations``
        are the citations it will have, saved or not, when the caller knows them (a form
        counts the rows kept and added, less the deleted ones); by default the stored ones
        (one query). Raises a ValidationError holding every reason, each naming the record.

        ``clean()`` does not call it: a record validated by a form cannot see the citations
        added on the same page, so which citations count is the caller's to say.
        """
        status = self.status if status is None else status
        lost = self.evidence_lost_by(status)
        if lost:
            raise EvidenceWouldBeLost(lost)
        if status != EditorialStatus.PUBLISHED or not self.requires_citation:
            return
        if citations is None:
            supported = self.has_supporting_citation()
        else:
            supported = any(is_supporting(citation) for citation in citations)
        if not supported:
            raise ValidationError(
                [
                    ValidationError(
                        _(
                            "“%(record)s” has no supporting citation: a published %(kind)s "
                            "needs at least one citation with the stance “supports” from a "
                            "published source."
                        ),
                        code="no_supporting_citation",
                        params={"record": self, "kind": self._meta.verbose_name},
                    )
                ]
            )

    def change_status(self, new, user, reason="", confirm=False):
        """Move the record to ``new`` as ``user``: the one path the bulk actions take.

        Refuses a change ``user`` may not make (PermissionDenied) or the publishing rule
        refuses (ValidationError, one query) before changing anything; then saves, so the
        change is versioned and recorded in the history with ``user`` and ``reason``.
        With ``confirm``, a change that would leave other published records without
        evidence (EvidenceWouldBeLost) goes through and sends them back to review; call it
        in a transaction.
        """
        old = self.status
        if not self.may_change_status(user, old, new):
            raise PermissionDenied(_("Only reviewers publish, unpublish and withdraw records."))
        try:
            self.validate_publishable(status=new)
        except EvidenceWouldBeLost as exc:
            if not confirm:
                raise
            self.send_back_to_review(exc.records, user, reason=f"evidence lost: {self}")
        self.status = new
        self._history_user = user
        self._change_reason = reason or f"status: {old} → {new}"
        self.save()

    @staticmethod
    def send_back_to_review(records, user, reason):
        """Move published ``records`` back to "in review" as ``user`` (a reviewer: anyone
        else is refused with PermissionDenied), each saved and recorded in its history: what a
        confirmed change that takes their last evidence away does. Call it in the change's
        transaction."""
        for record in records:
            record.change_status(EditorialStatus.IN_REVIEW, user, reason=reason)

    def _stamp_status(self):
        now = timezone.now()
        if self.status == EditorialStatus.IN_REVIEW and self.submitted_at is None:
            self.submitted_at = now
        if self.status == EditorialStatus.PUBLISHED and self.published_at is None:
            self.published_at = now
        if self.status == EditorialStatus.WITHDRAWN:
            self.withdrawn_at = self.withdrawn_at or now
        elif self.withdrawn_at is not None:
            self.withdrawn_at = None

    def derive_fields(self):
        """Set the columns derived from this row's own fields (status stamps; subclasses add
        theirs). No query: ``save()`` calls it, and so do bulk paths (ruiraq.bulk), which
        save no row one by one."""
        self._stamp_status()

    def save(self, *args, **kwargs):
        self.derive_fields()
        return super().save(*args, **kwargs)


class SluggedModel(models.Model):
    """A slug derived once from ``slug_source`` and kept stable afterwards (permalinks)."""

    slug_source = "title"
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "The record's permanent address. Filled in from the title when empty; "
            "changing it breaks links and citations of this page."
        ),
    )

    class Meta:
        abstract = True

    def _slug_base(self):
        base = slugify(getattr(self, self.slug_source) or "")[:100].strip("-")
        return base or self._meta.model_name

    @staticmethod
    def _first_free(base, taken):
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _unique_slug(self):
        """The slug of the title, or of the title with the first free "-N": one query."""
        base = self._slug_base()
        taken = set(
            type(self)
            ._default_manager.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        return self._first_free(base, taken)

    @classmethod
    def assign_unique_slugs(cls, instances, reserved=()):
        """Give each of the unsaved ``instances`` the slug ``save()`` would, free among the
        stored slugs, ``reserved`` ones and each other's. One query for the whole list, plus
        one per title whose plain slug is taken (as ``_unique_slug``)."""
        bases = [instance._slug_base() for instance in instances]
        manager = cls._default_manager
        stored = set(manager.filter(slug__in=set(bases)).values_list("slug", flat=True))
        assigned, probed, reserved = set(), set(), set(reserved)
        for instance, base in zip(instances, bases, strict=True):
            if base in stored or base in assigned or base in reserved:
                if base not in probed:
                    probed.add(base)
                    stored |= set(
                        manager.filter(slug__startswith=base).values_list("slug", flat=True)
                    )
                base = cls._first_free(base, stored | assigned | reserved)
            instance.slug = base
            assigned.add(base)

    #: How often a save retries a slug that another save took in the meantime.
    SLUG_ATTEMPTS = 5

    def save(self, *args, **kwargs):
        if self.slug:
            return super().save(*args, **kwargs)
        # Two saves of the same title can both find "-2" free; the unique index refuses the
        # second, which then takes the next free slug (in a savepoint, so an outer
        # transaction survives the refused INSERT).
        for attempt in range(self.SLUG_ATTEMPTS):
            self.slug = self._unique_slug()
            try:
                with transaction.atomic(
                    using=kwargs.get("using") or router.db_for_write(type(self))
                ):
                    return super().save(*args, **kwargs)
            except IntegrityError:
                taken = (
                    type(self)._default_manager.exclude(pk=self.pk).filter(slug=self.slug).exists()
                )
                self.slug = ""
                if not taken or attempt == self.SLUG_ATTEMPTS - 1:
                    raise


def stable_order(queryset):
    """``queryset`` ordered by ``pk`` after its own terms, so records that tie on a date, a
    title or a name keep one order in every language and on every page (a tie is otherwise
    the database's to break, and a Russian page's name order differs from an English one's).
    Unordered querysets take the model's ``Meta.ordering`` first."""
    if orders_by_id(queryset):
        return queryset
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


def orders_by_id(queryset):
    """Whether ``queryset``'s order (its own, or the model's ``Meta.ordering``) includes the
    id: a total order, the same in every language, whose reverse is exact."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return any(str(term).lstrip("-") in ("pk", "id") for term in ordering)


def prefixed(relation, fields):
    """``fields`` seen through ``relation``: ("slug", "name") → ("actor__slug", "actor__name"),
    for the ``only()`` of a queryset that selects the related row."""
    return tuple(f"{relation}__{field}" for field in fields)


class CountryCodeField(CountryField):
    """A country, stored as its ISO 3166-1 alpha-2 code ("IQ") and read as django-countries'
    ``Country`` (``record.country.name`` is its name in the active language, from
    django-countries' CLDR-based catalogues; ``.code`` the code).

    django-countries turns ``country__regex`` into a match on country *names*; here it stays
    a regular expression over the stored code, as on any CharField, because the tables'
    CHECK constraints ("an ISO code or empty") are written with it. (With django-countries'
    lookup, SQLite's rebuild of a table compiled that constraint to ``country = ''``.)
    """

    def get_lookup(self, lookup_name):
        if lookup_name in ("regex", "iregex"):
            return models.CharField.get_lookup(self, lookup_name)
        return super().get_lookup(lookup_name)

    @property
    def flatchoices(self):
        """The (code, name) pairs, flattened once per language: the admin's changelist asks
        for them for every row it shows (Django's ``display_for_field``), and flattening 249
        countries 50 times was a third of the event changelist's time at 100,000 events."""
        cache = self.__dict__.setdefault("_flatchoices_by_language", {})
        language = get_language()
        if language not in cache:
            cache[language] = list(flatten_choices(self.choices))
        return cache[language]

    def validate(self, value, model_instance):
        """Django's check that a code is one of the choices, asked of the codes directly.

        Django walks the choices on every call, and these are django-countries' list of ~250
        countries re-normalised each time (about 1 ms a record: most of the validation of a
        10,000-actor import). Same rule, same message; blank and null as Django checks them.
        """
        if self.multiple or not self.editable or value in self.empty_values:
            return super().validate(value, model_instance)
        if value not in self.countries:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return None


def fuzzy_date_field(verbose_name, **kwargs):
    return models.DateField(verbose_name, null=True, blank=True, **kwargs)


def precision_field(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_(
            "How much of the date the source gives: the day, only the month, "
            "or only the year. Never guess a day the source does not give."
        ),
    )


class FuzzySpanModel(models.Model):
    """A fuzzy start and an optional fuzzy end (see ruiraq.dates for the storage)."""

    #: The columns ``span`` (and so every date shown) reads: list them in every ``only()``.
    SPAN_FIELDS = ("start_date", "start_precision", "end_date", "end_precision")

    start_date = fuzzy_date_field(_("start date"))
    start_precision = precision_field(_("start precision"))
    end_date = fuzzy_date_field(_("end date"), help_text=_("Leave empty for a single date."))
    end_precision = precision_field(_("end precision"))

    class Meta:
        abstract = True

    @property
    def span(self) -> FuzzySpan:
        return FuzzySpan.from_fields(
            self.start_date, self.start_precision, self.end_date, self.end_precision
        )

    @property
    def when(self) -> str:
        return self.span.display()

    def clean(self):
        super().clean()
        if (
            self.start_date
            and self.end_date
            and self.end_date < normalise(self.start_date, self.start_precision)
        ):
            raise ValidationError({"end_date": _("The end cannot be before the start.")})

    def save(self, *args, **kwargs):
        self.start_date = normalise(self.start_date, self.start_precision)
        self.end_date = normalise(self.end_date, self.end_precision)
        return super().save(*args, **kwargs)

    @staticmethod
    def span_constraints(prefix):
        """Database-side integrity of a fuzzy span; ``prefix`` names the constraints."""
        return [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name=f"{prefix}_end_not_before_start",
            ),
        ]


class StatusAsOfModel(models.Model):
    """A record whose status (an event's, an agreement's, a tie's) is dated by the latest
    published source that supports it: "planned, as of May 2018", so that a 2018 plan does
    not read as a claim about today.

    Kept in two columns (``STATUS_AS_OF_FIELDS``, read like any card field, so lists need no
    extra query), derived from the record's supporting citations (``supporting_citations``:
    stance "supports", published source) and their sources' publication dates, in one
    place: ``latest_confirmations``. The record's own ``save()`` derives it (one query);
    changes to its citations or to a cited source refresh it (``refresh_status_as_of``,
    called by the receivers articles.evidence connects at start-up). Paths that write
    without signals (bulk_create, ``queryset.update``) call ``refresh_status_as_of``
    themselves, as the synthetic generator does.
    """

    #: The columns ``status_as_of`` reads: list them in every ``only()`` that shows a status.
    STATUS_AS_OF_FIELDS = ("status_as_of_date", "status_as_of_precision")
    #: How many records one refresh reads and writes at most (keeps IN lists within limits).
    REFRESH_BATCH = 500

    status_as_of_date = models.DateField(
        _("status as of"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Derived: the publication date of the latest published source supporting this "
            "record; the status is what the sources said then."
        ),
    )
    status_as_of_precision = models.CharField(
        _("status as of precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        editable=False,
    )

    class Meta:
        abstract = True

    @property
    def status_as_of(self) -> FuzzyDate | None:
        """When the sources last confirmed the status, at their precision; None if undated."""
        if self.status_as_of_date is None:
            return None
        return FuzzyDate(self.status_as_of_date, self.status_as_of_precision)

    @classmethod
    def latest_confirmations(cls, pks):
        """``{pk: (date, precision)}``: the latest publication date among the published
        sources supporting each of records ``pks`` (records without a dated one are left
        out). "Latest" compares the last day of each date's period, so "2019" (any day of
        it) comes after "15 January 2019"; at an equal last day the finer date wins. One
        query."""
        relation = cls._meta.get_field("citations")
        field = relation.field.name
        rows = (
            relation.related_model._default_manager.filter(
                supporting_citations(), **{f"{field}__in": list(pks)}
            )
            .exclude(source__published_date=None)
            .values_list(field, "source__published_date", "source__published_precision")
        )
        finer = {Precision.DAY: 2, Precision.MONTH: 1, Precision.YEAR: 0}
        latest = {}
        for pk, date, precision in rows:
            fuzzy = FuzzyDate(date, precision)
            key = (fuzzy.last_day, finer[precision])
            if pk not in latest or key > latest[pk][0]:
                latest[pk] = (key, (fuzzy.date, precision))
        return {pk: value for pk, (_key, value) in latest.items()}

    def _derive_status_as_of(self):
        date, precision = (
            self.latest_confirmations([self.pk]).get(self.pk) if self.pk is not None else None
        ) or (None, Precision.DAY)
        self.status_as_of_date, self.status_as_of_precision = date, precision

    def save(self, *args, **kwargs):
        """Derives the status date from the stored citations first (one query)."""
        self._derive_status_as_of()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.STATUS_AS_OF_FIELDS}
        return super().save(*args, **kwargs)

    @classmethod
    def refresh_status_as_of(cls, pks):
        """Re-derive the status dates of records ``pks`` after their evidence changed: per
        batch, two queries and one UPDATE of the rows that differ (no history, no version:
        nothing an editor typed changed). Returns how many changed."""
        pks = sorted({pk for pk in pks if pk is not None})
        changed = 0
        for start in range(0, len(pks), cls.REFRESH_BATCH):
            batch = pks[start : start + cls.REFRESH_BATCH]
            latest = cls.latest_confirmations(batch)
            stale = []
            for record in cls._base_manager.filter(pk__in=batch).only(*cls.STATUS_AS_OF_FIELDS):
                date, precision = latest.get(record.pk) or (None, Precision.DAY)
                if (record.status_as_of_date, record.status_as_of_precision) != (date, precision):
                    record.status_as_of_date, record.status_as_of_precision = date, precision
                    stale.append(record)
            if stale:
                cls._base_manager.bulk_update(stale, cls.STATUS_AS_OF_FIELDS)
                changed += len(stale)
        return changed


# --- the record of changes a public copy must follow -----------------------------------------


class ChangeKind(models.TextChoices):
    WITHDRAWN = "withdrawn", _("withdrawn")
    UNPUBLISHED = "unpublished", _("unpublished")
    DELETED = "deleted", _("deleted")
    MERGED = "merged", _("merged")


class RecordChangeQuerySet(models.QuerySet):
    def since(self, moment):
        return self.filter(at__gte=moment) if moment is not None else self

    def successor_of(self, label, *, pk=None, slug=None):
        """(id, slug) of the record that replaced ``label`` #``pk`` (or ``slug``) in a
        merge, or None. One query; merges of merges are already resolved (ruiraq.changelog
        points earlier merges at the last survivor)."""
        changes = self.filter(model=label, kind=ChangeKind.MERGED).exclude(replaced_by_id=None)
        changes = changes.filter(object_id=pk) if pk is not None else changes.filter(slug=slug)
        change = changes.order_by("-at", "-pk").only("replaced_by_id", "replaced_by_slug").first()
        return (change.replaced_by_id, change.replaced_by_slug) if change else None


class RecordChange(models.Model):
    """A public record that left the public: withdrawn, unpublished, deleted or merged.

    Kept by signals (ruiraq.changelog, wired in RuiraqConfig.ready()), so every path that
    saves or deletes through the ORM, ``queryset.delete()`` included, is recorded. Only
    records that were public are recorded: a deleted draft's title or slug never leaks.
    ``queryset.update(status=...)`` sends no signal and is not seen: editorial code changes
    a status through ``EditorialModel.change_status`` or ``save()``.
    """

    model = models.CharField(
        _("model"), max_length=60, help_text=_('The record\'s model label, "actors.actor".')
    )
    object_id = models.BigIntegerField(_("record id"))
    slug = models.CharField(_("slug"), max_length=120, blank=True)
    kind = models.CharField(_("change"), max_length=12, choices=ChangeKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    #: The surviving record of a merge. Not a foreign key: the log is generic, and keeps
    #: pointing at the survivor's id even if that is later deleted in its turn.
    replaced_by_id = models.BigIntegerField(_("replaced by (id)"), null=True, blank=True)
    replaced_by_slug = models.CharField(_("replaced by (slug)"), max_length=120, blank=True)

    objects = RecordChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        indexes = [
            # /api/v1/changes/?since=…: the changes after a time, oldest first.
            models.Index(fields=["at", "id"], name="recordchange_at_idx"),
            # An old address of a merged record: its successor, by model and slug or id.
            models.Index(fields=["model", "slug"], name="recordchange_model_slug_idx"),
            models.Index(fields=["model", "object_id"], name="recordchange_model_id_idx"),
        ]

    def __str__(self):
        return f"{self.model} #{self.object_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


# The pending revisions of published records live in their own module (ruiraq.revisions);
# imported here so that Django finds the model with the app's others.
from ruiraq.revisions.models import PendingRevision  # noqa: E402, F401
from ruiraq.search.documents import PendingDocument  # noqa: E402, F401
