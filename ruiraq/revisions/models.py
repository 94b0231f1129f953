"""The pending revision of a published record and the reviewers' queue (see the package)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruiraq.revisions.diff import in_language

#: What the kept form leaves out: the CSRF token (it is the editor's, and the reviewer's
#: request carries its own) and the buttons (which page to show next).
_NOT_KEPT = frozenset({"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"})


class RevisionState(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class PendingRevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=RevisionState.PENDING)

    def awaiting_review(self, user=None):
        """Pending revisions, oldest first, with what their list shows (record kind, author)
        joined in: the reviewers' queue, and the dashboard's "pending revisions". With
        ``user``, only the kinds of record that user may publish (one permission check per
        kind, no query once the user's permissions are cached)."""
        queryset = (
            self.pending().select_related("content_type", "author").order_by("proposed_at", "pk")
        )
        if user is None:
            return queryset
        kinds = [
            content_type.pk
            for content_type in ContentType.objects.filter(
                pk__in=self.pending().values("content_type")
            )
            if (model := content_type.model_class()) is not None
            and hasattr(model, "publish_permission")
            and user.has_perm(model.publish_permission())
        ]
        return queryset.filter(content_type__in=kinds)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class PendingRevision(models.Model):
    """An editor's change to a published record, kept until a reviewer decides on it.

    ``data`` is the change form as the editor posted it (every field and inline row, with the
    version stamps the page was opened with): approving replays it through the record's admin
    form against the record as it is then. ``changes`` is the diff the editor made, read from
    the validated form when it was proposed (ruiraq.revisions.diff), so the reviewer sees
    what the editor saw, even if the record has changed since; ``diff`` is it in the reader's
    language.
    """

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,  # a kind of record is never removed while revisions name it
        related_name="pending_revisions",
        verbose_name=_("kind of record"),
    )
    object_id = models.BigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(
        _("record"), max_length=300, help_text=_("The record's name when the change was proposed.")
    )
    base_version = models.PositiveBigIntegerField(
        _("version edited"), help_text=_("The record's version the editor's page was opened at.")
    )
    data = models.JSONField(_("posted form"), default=dict)
    changes = models.JSONField(_("changes"), default=dict)
    state = models.CharField(
        _("review state"),
        max_length=10,
        choices=RevisionState.choices,
        default=RevisionState.PENDING,
    )
    # A user who leaves keeps their revisions' history: the name goes, the decision stays.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposed_revisions",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_revisions",
        verbose_name=_("decided by"),
    )
    reviewed_at = models.DateTimeField(_("decided"), null=True, blank=True)
    review_note = models.TextField(
        _("note to the editor"),
        blank=True,
        help_text=_("Why the change was rejected, or what to do next. The editor sees it."),
    )

    objects = PendingRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        constraints = [
            # One change waits per record: a second one would be replayed against a record
            # the first had already changed (refused as a conflict at best).
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="pending"),
                name="pendingrevision_one_pending_per_record",
            ),
        ]
        indexes = [
            # The queue: pending revisions, oldest first (awaiting_review()).
            models.Index(fields=["state", "proposed_at"], name="pendingrevision_queue_idx"),
            # A record's revisions (its change form's banner).
            models.Index(fields=["content_type", "object_id"], name="pendingrevision_record_idx"),
        ]

    def __str__(self):
        return _("Change to “%(record)s” proposed %(when)s") % {
            "record": self.record_label,
            "when": timezone.localtime(self.proposed_at).strftime("%Y-%m-%d %H:%M"),
        }

    def get_absolute_url(self):
        return reverse("admin:ruiraq_pendingrevision_change", args=[self.pk])

    # --- who ---

    @staticmethod
    def required_for(record, user):
        """Whether ``user``'s change to ``record`` (as stored) must wait for a reviewer: the
        record is published and the user may not publish it. The one rule of what is
        reviewed; drafts and records in review are edited directly."""
        return (
            record is not None
            and record.pk is not None
            and getattr(record, "is_public", False)
            and not user.has_perm(record.publish_permission())
        )

    @property
    def model(self):
        return self.content_type.model_class()

    def may_review(self, user):
        """Reviewers of the record's kind approve and reject (its publish permission)."""
        model = self.model
        return model is not None and user.has_perm(model.publish_permission())

    def may_withdraw(self, user):
        return self.author_id is not None and self.author_id == user.pk

    @property
    def diff(self):
        """The change in the active language: labels, choices and dates as the reader reads
        them, whatever language the editor proposed it in."""
        return in_language(self.changes, get_language())

    @property
    def is_pending(self):
        return self.state == RevisionState.PENDING

    # --- what ---

    @classmethod
    def propose(cls, record, user, post, changes, *, label=None, version=None):
        """Keep ``post`` (the change form's QueryDict) as ``user``'s revision of ``record``.

        ``label`` and ``version`` are the record's name and version as stored (default: the
        ``record``'s own; a form that validated the change has already written the new
        values onto its instance). The version is the one the editor's page carried, or the
        form would have refused the save as a conflict."""
        data = {name: values for name, values in post.lists() if name not in _NOT_KEPT}
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            record_label=str(record if label is None else label)[:300],
            base_version=record.version if version is None else version,
            data=data,
            changes=changes,
            author=user,
        )

    def record_changed_since(self):
        """Whether the record was saved since the revision was proposed (one query), or
        deleted. Approving would then be refused as a conflict."""
        model = self.model
        if model is None:
            return True
        version = model._base_manager.filter(pk=self.object_id).values_list("version", flat=True)
        return version.first() != self.base_version

    def _decide(self, state, user, note=""):
        if not self.is_pending:
            raise ValidationError(
                _("This revision was already decided: %(state)s.")
                % {"state": self.get_state_display()},
                code="decided",
            )
        self.state = state
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        self.review_note = note
        self.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])

    def mark_approved(self, user, note=""):
        """Recorded after the revision was applied (RevisionAdminMixin.apply_revision)."""
        if not self.may_review(user):
            raise PermissionDenied(_("Only reviewers approve changes to published records."))
        self._decide(RevisionState.APPROVED, user, note)

    def reject(self, user, note):
        """Refuse the change, telling its author why: the record stays as it is."""
        if not self.may_review(user):
            raise PermissionDenied(_("Only reviewers reject changes to published records."))
        if not note.strip():
            raise ValidationError(
                _("Say why the change is rejected: the editor reads the note."), code="note"
            )
        self._decide(RevisionState.REJECTED, user, note.strip())

    def withdraw(self, user):
        """Its author takes the change back; the record stays as it is."""
        if not self.may_withdraw(user):
            raise PermissionDenied(_("Only the editor who proposed a change withdraws it."))
        self._decide(RevisionState.WITHDRAWN, user)
