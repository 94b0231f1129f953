"""
The editorial base shared by every curated record (actors, ties, sources, events,
agreements): its life cycle, who may change it, the publishing rule (a published claim
rests on a supporting citation), its timestamps, and the one queryset method that decides
what the public may see.
"""

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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


class Stance(models.TextChoices):
    """How a citation's quote bears on the record it cites (articles.models.Citation)."""

    SUPPORTS = "supports", _("supports")
    DISPUTES = "disputes", _("disputes")


# What counts as support for publishing is decided by these two, in SQL (stored citations)
# and in memory (a form's unsaved rows), and nowhere else: change them together.


def supporting_citations(prefix=""):
    """A filter selecting the citations that support their record; ``prefix`` is the path
    from the queried model to the citation ("citations__" from a record)."""
    return Q(**{f"{prefix}stance": Stance.SUPPORTS})


def is_supporting(citation):
    """``supporting_citations()`` for one citation in memory, saved or not."""
    return citation.stance == Stance.SUPPORTS


class EditorialQuerySet(models.QuerySet):
    def public(self):
        """The only door public code (pages, API, search, feeds, sitemaps, exports) uses."""
        return self.filter(status=EditorialStatus.PUBLISHED)

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

    def validate_publishable(self, citations=None, status=None):
        """The publishing rule: a published record rests on at least one supporting citation.

        The one check every path that publishes a record, or changes what it rests on,
        calls: the admin form (or, when the citations are edited on the same page, its
        CitationInlineFormSet), change_status and so the bulk actions, import, history
        revert (the form) and Actor.merge_into.

        ``status`` is the status the record would have (default: its own). ``citations``
        are the citations it will have, saved or not, when the caller knows them (a form
        counts the rows kept and added, less the deleted ones); by default the stored ones
        (one query). Raises a ValidationError holding every reason, each naming the record.

        ``clean()`` does not call it: a record validated by a form cannot see the citations
        added on the same page, so which citations count is the caller's to say.
        """
        status = self.status if status is None else status
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
                            "needs at least one citation with the stance “supports”."
                        ),
                        code="no_supporting_citation",
                        params={"record": self, "kind": self._meta.verbose_name},
                    )
                ]
            )

    def change_status(self, new, user, reason=""):
        """Move the record to ``new`` as ``user``: the one path the bulk actions take.

        Refuses a change ``user`` may not make (PermissionDenied) or the publishing rule
        refuses (ValidationError, one query) before changing anything; then saves, so the
        change is versioned and recorded in the history with ``user`` and ``reason``.
        """
        old = self.status
        if not self.may_change_status(user, old, new):
            raise PermissionDenied(_("Only reviewers publish, unpublish and withdraw records."))
        self.validate_publishable(status=new)
        self.status = new
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
