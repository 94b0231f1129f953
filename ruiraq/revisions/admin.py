"""
The admin side of reviewed revisions: the mixin every curated record's admin carries
(EditorialAdmin), and the reviewers' queue of pending revisions with the diff and the
approve, reject and withdraw buttons.

The mixin leaves Django's change view to do what it does (validate the form and its
formsets, re-display errors) and changes only what a valid save of a published record by an
editor does: instead of saving the record and its inline rows, it keeps the posted form as a
PendingRevision. Approving replays that form through the same admin, as the reviewer.
"""

import copy

from concurrency.exceptions import RecordModifiedError
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import Q
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ruiraq.forms import parse_key
from ruiraq.revisions.diff import form_changes, is_empty
from ruiraq.revisions.models import PendingRevision, RevisionState


def _record_url(model, pk):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


class WaitingRevisionFormMixin:
    """Refuses a second change while one already waits for review (one per record)."""

    waiting_revision = None

    def clean(self):
        cleaned = super().clean()
        revision = self.waiting_revision
        raise ValidationError(
            format_html(
                gettext(
                    "Not saved: a change to this record proposed by {who} on {when} is still "
                    'awaiting review (<a href="{url}">see it</a>). Only one change to a published '
                    "record waits at a time: its author may withdraw it, or a reviewer decide "
                    "on it, before another is proposed."
                ),
                who=revision.author or gettext("someone"),
                when=revision.proposed_at.strftime("%Y-%m-%d %H:%M UTC"),
                url=revision.get_absolute_url(),
            ),
            code="revision_pending",
        )
        return cleaned  # pragma: no cover


class RevisionAdminMixin:
    """Makes an editor's change to a published record a pending revision (see the module).

    Put before the admin's other bases.
    """

    change_form_template = "admin/ruiraq/revisions/change_form.html"

    # --- the editor's side ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        record = None
        if object_id is not None and parse_key(unquote(object_id)) is not None:
            record = self.get_object(request, unquote(object_id))
            # Django's view asks for the same record: it gets this one (no second query).
            request._revision_record = (unquote(object_id), record)
        if record is not None:
            latest = self._latest_revision(request, record)
            waiting = latest if latest is not None and latest.is_pending else None
            if request.method == "POST" and PendingRevision.required_for(record, request.user):
                request._revision_of = record
                request._revision_base = (str(record), record.version)
                request._revision_waiting = waiting
            extra_context = {
                **(extra_context or {}),
                **self._revision_context(request, record, latest, waiting),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        cached = getattr(request, "_revision_record", None)
        if cached is not None and from_field is None and cached[0] == object_id:
            request._revision_record = None
            return cached[1]
        return super().get_object(request, object_id, from_field)

    @staticmethod
    def _latest_revision(request, record):
        """The record's pending revision, else the user's latest decided one: one query.

        A pending revision is always the record's newest (no other is proposed while it
        waits), so the newest of "pending or mine" is the one the banner shows."""
        return (
            PendingRevision.objects.for_record(record)
            .filter(Q(state=RevisionState.PENDING) | Q(author=request.user.pk))
            .exclude(state=RevisionState.WITHDRAWN)
            .select_related("author", "reviewed_by")
            .order_by("-proposed_at", "-pk")
            .first()
        )

    def _revision_context(self, request, record, latest, waiting):
        """What the change form's banner shows: the change waiting for review, or the user's
        last change of this record if it was rejected (with the reviewer's note)."""
        rejected = latest is not None and latest.state == RevisionState.REJECTED
        return {
            "revision_waiting": waiting,
            "revision_may_withdraw": waiting is not None and waiting.may_withdraw(request.user),
            "revision_may_review": waiting is not None and waiting.may_review(request.user),
            "revision_rejected": latest if rejected else None,
            "revision_required": PendingRevision.required_for(record, request.user),
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        waiting = getattr(request, "_revision_waiting", None)
        if waiting is None:
            return form
        return type(form.__name__, (WaitingRevisionFormMixin, form), {"waiting_revision": waiting})

    def save_model(self, request, obj, form, change):
        if getattr(request, "_revision_of", None) is None:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        record = getattr(request, "_revision_of", None)
        if record is None:
            return super().save_related(request, form, formsets, change)
        changes = form_changes(form, formsets, self._formset_names(request, record, formsets))
        label, version = request._revision_base
        request._revision = None
        if is_empty(changes):
            return
        try:
            with transaction.atomic(using=router.db_for_write(PendingRevision)):
                request._revision = PendingRevision.propose(
                    record, request.user, request.POST, changes, label=label, version=version
                )
        except IntegrityError:  # another change was proposed at the same moment
            request._revision = False

    def _formset_names(self, request, record, formsets):
        """Each formset's name as its inline shows it ("ties to this actor"), untranslated
        yet: the diff writes it out in every language."""
        names = []
        inlines = self.get_inline_instances(request, record)
        for formset in formsets:
            inline = next(
                (
                    i
                    for i in inlines
                    if i.model is formset.model
                    and (i.fk_name is None or i.fk_name == formset.fk.name)
                ),
                None,
            )
            names.append(inline.verbose_name_plural if inline else "")
        return names

    def construct_change_message(self, request, form, formsets, add=False):
        # The formsets were not saved, so Django's message (read from their saved rows)
        # has nothing to read: the revision holds the change.
        if getattr(request, "_revision_of", None) is None:
            return super().construct_change_message(request, form, formsets, add)
        return []

    def log_change(self, request, obj, message):
        # Nothing changed yet: the record's history notes the change when it is approved.
        if getattr(request, "_revision_of", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        if getattr(request, "_revision_of", None) is None:
            return super().response_change(request, obj)
        revision = request._revision
        if revision is False:
            self.message_user(
                request,
                _(
                    "Not saved: someone proposed another change to this record at the same "
                    "moment, and only one waits for review at a time."
                ),
                messages.ERROR,
            )
        elif revision is None:
            self.message_user(request, _("Nothing was changed."), messages.INFO)
        else:
            self.message_user(
                request,
                format_html(
                    gettext(
                        "Your change was kept as a pending revision: “{record}” is published, "
                        "so a reviewer approves changes to it before the public sees them. "
                        '<a href="{url}">See the revision</a>.'
                    ),
                    record=obj,
                    url=revision.get_absolute_url(),
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(_record_url(self.model, obj.pk))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting a published record from its history saves it and its links at once,
        past any review: editors propose the old values from the change form instead."""
        pk = parse_key(unquote(object_id))
        record = self.model._base_manager.filter(pk=pk).first() if pk is not None else None
        if request.method == "POST" and PendingRevision.required_for(record, request.user):
            self.message_user(
                request,
                _(
                    "Only reviewers revert a published record from its history. Make the "
                    "change on the record's page: it is kept for a reviewer to approve."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(_record_url(self.model, pk))
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- the reviewer's side ---

    def apply_revision(self, request, revision):
        """Replay ``revision``'s form as ``request.user`` (a reviewer) against the record as it
        is now, and save it as the change view would, in one transaction.

        Returns the reasons it was refused (a conflict, a rule the form checks), or an empty
        list once applied and the revision marked approved.
        """
        replay = copy.copy(request)
        replay.method = "POST"
        data = QueryDict(mutable=True)
        for name, values in revision.data.items():
            data.setlist(name, values)
        replay.POST = data
        replay._files = MultiValueDict()
        replay.GET = QueryDict()
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                obj = self.get_object(replay, str(revision.object_id))
                if obj is None:
                    return [gettext("The record was deleted after the change was proposed.")]
                if not self.has_change_permission(replay, obj):
                    raise PermissionDenied
                fieldsets = self.get_fieldsets(replay, obj)
                form_class = self.get_form(
                    replay, obj, change=True, fields=flatten_fieldsets(fieldsets)
                )
                form = form_class(replay.POST, replay.FILES, instance=obj)
                formsets, _inlines = self._create_formsets(replay, form.instance, change=True)
                form_valid = form.is_valid()
                if not (all_valid(formsets) and form_valid):
                    return _errors(form, formsets)
                record = self.save_form(replay, form, change=True)
                record._change_reason = gettext(
                    "Change proposed by %(author)s on %(when)s, approved by %(reviewer)s"
                ) % {
                    "author": revision.author or gettext("someone"),
                    "when": revision.proposed_at.strftime("%Y-%m-%d %H:%M UTC"),
                    "reviewer": request.user,
                }
                self.save_model(replay, record, form, True)
                self.save_related(replay, form, formsets, True)
                message = self.construct_change_message(replay, form, formsets, False)
                self.log_change(replay, record, message)
                revision.mark_approved(request.user)
        except ValidationError as exc:
            return list(exc.messages)
        except RecordModifiedError:
            return [gettext("Someone else saved this record at the same moment: try again.")]
        return []


class _ReviewedRowFormMixin:
    reviewed_user = None
    reviewed_fields = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.reviewed_fields:
            if PendingRevision.required_for(cleaned.get(name), self.reviewed_user):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "“%(record)s” is published: add or change its rows on its own "
                            "page, where the change is kept for a reviewer to approve."
                        ),
                        code="reviewed",
                        params={"record": cleaned[name]},
                    ),
                )
        return cleaned


class ReviewedRowAdminMixin:
    """The admin of rows that are part of a curated record's content but also have a page of
    their own (a citation): there an editor may not add, change or delete such a row of a
    published record, which would go live past review. On the record's page the same change
    is kept as a pending revision (RevisionAdminMixin). ``reviewed_fields`` name the row's
    keys to its records."""

    reviewed_fields = ()

    def _reviewed(self, request, obj):
        """Whether ``obj`` belongs to a record ``request.user`` may change only by review."""
        return obj is not None and any(
            PendingRevision.required_for(getattr(obj, name), request.user)
            for name in self.reviewed_fields
            if getattr(obj, f"{name}_id", None) is not None
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._reviewed(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Also what refuses a bulk deletion: the admin asks it for each row deleted.
        return super().has_delete_permission(request, obj) and not self._reviewed(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(
            form.__name__,
            (_ReviewedRowFormMixin, form),
            {"reviewed_user": request.user, "reviewed_fields": self.reviewed_fields},
        )


class _ReviewedInlineFormSetMixin:
    reviewed_user = None

    def clean(self):
        super().clean()
        # A change of the parent record that waits for review carries its rows with it.
        if PendingRevision.required_for(self.instance, self.reviewed_user):
            return
        refused = []
        for form in self.initial_forms:
            if not (form.has_changed() or self._should_delete_form(form)):
                continue
            stored = self.model._default_manager.filter(pk=form.instance.pk).first()
            if PendingRevision.required_for(stored, self.reviewed_user):
                refused.append(
                    ValidationError(
                        _(
                            "“%(record)s” is published: change or delete it on its own page, "
                            "where the change is kept for a reviewer to approve."
                        ),
                        code="reviewed",
                        params={"record": stored},
                    )
                )
        if refused:  # the formset's own errors: a deleted row's form errors are not shown
            raise ValidationError(refused)


class ReviewedInlineMixin:
    """An inline whose rows are curated records of their own (a tie on an actor's page).

    On a published record an editor's change, rows and all, waits for review
    (RevisionAdminMixin). On a draft, rows are saved with it, except a row that is itself
    published: changing or deleting it here would put the change live past review (the tie
    keeps its status when the actor is unpublished, and shows again when the actor is
    published), so the editor is sent to its own page."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (_ReviewedInlineFormSetMixin, formset),
            {"reviewed_user": request.user},
        )


def _errors(form, formsets):
    """Every error of a replayed form and its formsets, each field named."""
    found = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = form.fields[name].label if name in form.fields else name
        found += [format_html("{}: {}", label, error) for error in errors]
    for formset in formsets:
        found += list(formset.non_form_errors())
        for row in formset.forms:
            for name, errors in row.errors.items():
                label = row.fields[name].label if name in row.fields else ""
                found += [format_html("{}: {}", label, e) if label else e for e in errors]
    return found


# --- the queue ------------------------------------------------------------------------------


class PendingStateFilter(admin.SimpleListFilter):
    """Pending revisions by default: the queue is what waits."""

    title = _("review state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *RevisionState.choices]

    def choices(self, changelist):
        value = self.value() or RevisionState.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or RevisionState.PENDING
        if value == "all":
            return queryset
        if value in RevisionState.values:
            return queryset.filter(state=value)
        return queryset.none()


@admin.register(PendingRevision)
class PendingRevisionAdmin(admin.ModelAdmin):
    """The reviewers' queue: changes to published records waiting for a decision.

    Editors see the queue and the diffs (their own changes' fate included) and withdraw
    their own; reviewers of a kind of record approve or reject its changes.
    """

    list_display = ["record_link", "kind", "author", "proposed_at", "state", "reviewed_by"]
    list_filter = [PendingStateFilter, "content_type"]
    list_select_related = ["content_type", "author", "reviewed_by"]
    search_fields = ["record_label", "author__username"]
    list_per_page = 50
    # The queue's own count is enough: the full one would be a second COUNT.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("proposed_at", "pk")

    @admin.display(description=_("record"), ordering="record_label")
    def record_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:ruiraq_pendingrevision_change", args=[obj.pk]),
            obj.record_label,
        )

    @admin.display(description=_("kind"), ordering="content_type__model")
    def kind(self, obj):
        model = obj.content_type.model_class()
        return model._meta.verbose_name if model else obj.content_type.model

    # --- who sees it: whoever edits curated records ---

    def _curated_models(self):
        return [
            model
            for model, model_admin in self.admin_site._registry.items()
            if isinstance(model_admin, RevisionAdminMixin)
        ]

    def _edits_records(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and any(
                user.has_perm(f"{m._meta.app_label}.change_{m._meta.model_name}")
                for m in self._curated_models()
            )
        )

    def has_module_permission(self, request):
        return self._edits_records(request)

    def has_view_permission(self, request, obj=None):
        return self._edits_records(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- the revision's page: the diff, and the decision ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_key(unquote(object_id))
        if pk is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        revision = get_object_or_404(
            PendingRevision.objects.select_related("content_type", "author", "reviewed_by"), pk=pk
        )
        model = revision.model
        target_admin = self.admin_site._registry.get(model) if model is not None else None
        problems = []
        if request.method == "POST":
            response, problems = self._decide(request, revision, target_admin)
            if response is not None:
                return response
        record_url = (
            _record_url(model, revision.object_id)
            if model is not None and model._base_manager.filter(pk=revision.object_id).exists()
            else None
        )
        context = {
            **self.admin_site.each_context(request),
            "title": str(revision),
            "subtitle": None,
            "opts": self.opts,
            "revision": revision,
            "record_url": record_url,
            "record_kind": model._meta.verbose_name if model else revision.content_type.model,
            "changed_since": revision.is_pending and revision.record_changed_since(),
            "may_review": revision.is_pending and revision.may_review(request.user),
            "may_withdraw": revision.is_pending and revision.may_withdraw(request.user),
            "problems": problems,
            "note": request.POST.get("review_note", "") if request.method == "POST" else "",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/ruiraq/revisions/review.html", context)

    def _decide(self, request, revision, target_admin):
        """Approve, reject or withdraw, as the posted button says. (response, problems)."""
        here = HttpResponseRedirect(request.get_full_path())
        try:
            if "_withdraw" in request.POST:
                revision.withdraw(request.user)
                self.message_user(request, _("Your change was withdrawn."), messages.SUCCESS)
                return HttpResponseRedirect(_record_url(revision.model, revision.object_id)), []
            if "_reject" in request.POST:
                revision.reject(request.user, request.POST.get("review_note", ""))
                self.message_user(
                    request,
                    _("The change was rejected; its author sees your note."),
                    messages.SUCCESS,
                )
                return here, []
            if "_approve" in request.POST:
                if not revision.may_review(request.user) or not isinstance(
                    target_admin, RevisionAdminMixin
                ):
                    raise PermissionDenied(
                        _("Only reviewers approve changes to published records.")
                    )
                if not revision.is_pending:
                    raise ValidationError(_("This revision was already decided."))
                problems = target_admin.apply_revision(request, revision)
                if problems:
                    return None, problems
                self.message_user(
                    request,
                    _("The change was approved and is now public."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(_record_url(revision.model, revision.object_id)), []
        except PermissionDenied as exc:
            self.message_user(request, str(exc) or _("You may not do that."), messages.ERROR)
            return here, []
        except (ValidationError, IntegrityError) as exc:
            return None, list(getattr(exc, "messages", [str(exc)]))
        return None, [_("Choose approve, reject or withdraw.")]
