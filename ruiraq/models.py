"""
The editorial base shared by every curated record (actors, ties, sources, events,
agreements): its life cycle, its timestamps, and the one queryset method that decides what
the public may see.
"""

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ruiraq.dates import FuzzySpan, Precision, normalise


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Statuses only a reviewer (the model's "publish" permission) may give or take away.
REVIEWED_STATUSES = frozenset({EditorialStatus.PUBLISHED, EditorialStatus.WITHDRAWN})


class EditorialQuerySet(models.QuerySet):
    def public(self):
        """The only door public code (pages, API, search, feeds, sitemaps, exports) uses."""
        return self.filter(status=EditorialStatus.PUBLISHED)


class EditorialModel(models.Model):
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

    #: Set by a form that validates this record together with its unsaved citations (the
    #: admin's citation formset): that form checks the publishing rule itself, counting the
    #: citations being added in the same request, which this model cannot see.
    citation_check_deferred = False

    @classmethod
    def publish_permission(cls):
        """The permission that lets a user publish, unpublish and withdraw this model."""
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    @classmethod
    def may_change_status(cls, user, old, new):
        """Editors move records between draft and review; reviewers do anything."""
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

    def has_supporting_citation(self):
        """Whether a citation with stance "supports" exists. Queries the database."""
        if self.pk is None:
            return False
        return self.citations.filter(stance="supports").exists()

    def check_publishable(self, supporting_citations=None):
        """Refuse a published status without a supporting citation.

        ``supporting_citations`` is the number a caller counted itself (a form with unsaved
        inline citations); by default the database is asked.
        """
        if self.status != EditorialStatus.PUBLISHED or not self.requires_citation:
            return
        if supporting_citations is None:
            supporting_citations = int(self.has_supporting_citation())
        if supporting_citations < 1:
            raise ValidationError(
                {
                    "status": _(
                        "A record needs at least one supporting citation "
                        "before it can be published."
                    )
                },
                code="no_supporting_citation",
            )

    def clean(self):
        super().clean()
        # A record not yet saved has no citations in the database: only a form that also
        # sees the citations being added can judge it (see citation_check_deferred).
        if self.pk is not None and not self.citation_check_deferred:
            self.check_publishable()

    def change_status(self, new, user, reason=""):
        """Move the record to ``new`` as ``user``: the one path bulk actions take.

        Checks the user's permission and the citation rule (one query), then saves, so the
        change is versioned and recorded in the history with ``user`` and ``reason``.
        """
        old = self.status
        if not self.may_change_status(user, old, new):
            raise PermissionDenied(_("Only reviewers publish, unpublish and withdraw records."))
        self.status = new
        try:
            self.check_publishable()
        except ValidationError:
            self.status = old
            raise
        self._history_user = user
        self._change_reason = reason or f"status: {old} → {new}"
        self.save()

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

    def save(self, *args, **kwargs):
        self._stamp_status()
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

    def _unique_slug(self):
        """The slug of the title, or of the title with the first free "-N": one query."""
        base = slugify(getattr(self, self.slug_source) or "")[:100].strip("-")
        base = base or self._meta.model_name
        taken = set(
            type(self)
            ._default_manager.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

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
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(str(term).lstrip("-") in ("pk", "id") for term in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


def prefixed(relation, fields):
    """``fields`` seen through ``relation``: ("slug", "name") → ("actor__slug", "actor__name"),
    for the ``only()`` of a queryset that selects the related row."""
    return tuple(f"{relation}__{field}" for field in fields)


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
