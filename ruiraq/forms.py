"""
Forms shared by the admin of both apps: fuzzy date inputs, the editorial form (who may set
which status, no lost updates, the publishing rule) and the inline formsets (no lost updates
on inline rows; the publishing rule counted with the citations being saved on the same page).
"""

import datetime as dt
from functools import cached_property

from concurrency import forms as concurrency_forms
from concurrency.exceptions import VersionError
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ruiraq.dates import FuzzyDate, Precision, parse_fuzzy
from ruiraq.models import EditorialModel, EditorialStatus, EvidenceWouldBeLost

FUZZY_DATE_HELP = _(
    "As precisely as the source gives it: a year (2014), a month (March 2019 or 2019-03) "
    "or a day (29 January 2019 or 2019-01-29). The precision follows from what you type."
)


#: The largest key a BigAutoField holds (PostgreSQL bigint, SQLite INTEGER).
_MAX_KEY = 2**63 - 1


def parse_key(value):
    """``value`` (from an address or a form) as a primary key, or None when it cannot be one.

    Not ``str.isdigit()``: "²" passes it and int() then fails; nor any integer: one beyond
    64 bits overflows SQLite's driver (OverflowError) and PostgreSQL's bigint.
    """
    value = str(value)
    if not (value.isascii() and value.isdigit()):
        return None
    key = int(value)
    return key if 0 < key <= _MAX_KEY else None


class KeyedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many choice by primary key that refuses a value no key can have as a form
    error: Django's own queried ``pk__in`` with it, and a 30-digit number overflowed."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_key(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class FuzzyDateFormField(forms.Field):
    """One text input for a date and its precision: "2014", "March 2019", "29 January 2019".

    Cleans to a ``FuzzyDate`` (or ``None``); FuzzyDateFormMixin stores it in the model's two
    columns.
    """

    widget = forms.TextInput

    #: The three precisions, shown as examples in the input (in the editor's language).
    _EXAMPLES = (
        FuzzyDate(dt.date(2014, 1, 1), Precision.YEAR),
        FuzzyDate(dt.date(2019, 3, 1), Precision.MONTH),
        FuzzyDate(dt.date(2019, 1, 29), Precision.DAY),
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", FUZZY_DATE_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault(
            "placeholder", " · ".join(example.display() for example in self._EXAMPLES)
        )

    def prepare_value(self, value):
        if isinstance(value, FuzzyDate):
            return value.display()
        if isinstance(value, dt.date):
            return FuzzyDate(value).display()
        return value

    def to_python(self, value):
        if isinstance(value, FuzzyDate) or value is None:
            return value
        try:
            return parse_fuzzy(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class FuzzyDateFormMixin:
    """Edits each fuzzy date (a date column plus its precision column) in one text input.

    ``fuzzy_dates`` maps a date field to its precision field; list only the date field in the
    admin's fields: the precision is derived from what the editor types.
    """

    fuzzy_dates = {
        "start_date": "start_precision",
        "end_date": "end_precision",
        "published_date": "published_precision",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for date_name, precision_name in self.fuzzy_dates.items():
            field = self.fields.get(date_name)
            if field is None:
                continue
            self.fields[date_name] = FuzzyDateFormField(
                label=field.label, required=field.required, help_text=FUZZY_DATE_HELP
            )
            value = self.initial.get(date_name)
            if isinstance(value, dt.date):
                precision = getattr(self.instance, precision_name, None) or Precision.DAY
                self.initial[date_name] = FuzzyDate(value, precision)

    def clean(self):
        cleaned = super().clean()
        for date_name, precision_name in self.fuzzy_dates.items():
            if date_name not in self.fields or date_name not in cleaned:
                continue
            value = cleaned[date_name]
            cleaned[date_name] = value.date if value else None
            # Not a form field, so construct_instance() leaves it to us.
            setattr(self.instance, precision_name, value.precision if value else Precision.DAY)
        return cleaned


class VersionField(concurrency_forms.VersionField):
    """The version the page was opened with (signed, hidden).

    Not an edit: it never marks a form as changed, so an inline's empty extra row stays
    empty and the change message does not mention it.
    """

    def has_changed(self, initial, data):
        return False

    def to_python(self, value):
        try:
            return super().to_python(value)
        except VersionError:  # a SuspiciousOperation (400): a form error says more
            raise ValidationError(
                _("This page's version stamp is missing or damaged: reload the page."),
                code="version",
            ) from None


class VersionedFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"] = VersionField()


def _change_url(instance):
    opts = instance._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    except NoReverseMatch:
        return ""


def conflict_error(instance, reload_instance=None):
    """The message refusing a save from a stale copy of ``instance``.

    Names who saved it last and when (one query), and links to the page to reload:
    ``reload_instance``'s (the parent record of an inline row) or the record's own.
    """
    opts = instance._meta
    latest = instance.history.first() if hasattr(instance, "history") else None
    if latest is None:
        return ValidationError(
            _("This %(name)s was deleted by someone else after you opened the page.")
            % {"name": opts.verbose_name},
            code="conflict",
        )
    who = latest.history_user or _("someone else")
    when = latest.history_date.strftime("%Y-%m-%d %H:%M UTC")
    url = _change_url(reload_instance or instance)
    return ValidationError(
        format_html(
            gettext(
                "Edit conflict: the {kind} “{record}” was saved by {who} at {when} after you "
                'opened this page, so your changes were not saved. <a href="{url}">Reload the '
                "page</a> to see the current version, then make your changes again."
            ),
            kind=opts.verbose_name,
            record=instance,
            who=who,
            when=when,
            url=url,
        ),
        code="conflict",
    )


class EvidenceConfirmationMixin(forms.Form):
    """A form whose change may take the last evidence away from published records
    (EvidenceWouldBeLost): it refuses, naming them; a reviewer may instead tick "send them
    back to review" (shown with the refusal), and then saving the form moves them to "in
    review" in the same transaction as the change. List ``confirm_demotion`` in the admin's
    fields. ``editor`` is the user the form serves."""

    confirm_demotion = forms.BooleanField(
        label=_("Send them back to review"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_(
            "Tick to make this change anyway: the records named above leave the public site "
            "and go back to “in review” until they have evidence again."
        ),
    )

    editor = None
    sent_back_to_review = ()

    def settle_lost_evidence(self, exc, field=None):
        """Accept EvidenceWouldBeLost ``exc`` when a reviewer confirmed it, or refuse the
        form with it (showing the confirmation box to a reviewer)."""
        may_confirm = self.editor is not None and EvidenceWouldBeLost.may_confirm(
            self.editor, exc.records
        )
        if may_confirm and self.cleaned_data.get("confirm_demotion"):
            self.sent_back_to_review = exc.records
            return
        if may_confirm:
            self.fields["confirm_demotion"].widget = forms.CheckboxInput()
            hint = _(
                "Add another supporting citation from a published source to them first, or "
                "tick “Send them back to review” below and save again."
            )
        else:
            hint = _(
                "Add another supporting citation from a published source to them first, or "
                "ask a reviewer to unpublish them."
            )
        self.add_error(field, ValidationError([*exc.error_list, ValidationError(hint)]))

    def save(self, commit=True):
        instance = super().save(commit)
        if self.sent_back_to_review:
            EditorialModel.send_back_to_review(
                self.sent_back_to_review, self.editor, reason=f"evidence lost: {instance}"
            )
        return instance


class SelectedRecordsFormMixin:
    """Hands each autocomplete widget (ruiraq.admin._KnownKeysOnly) the records it shows as
    selected when the form already holds them: a foreign key's record loaded on the instance
    (an inline's rows are fetched with theirs: ruiraq.admin.SelectedWithRowsMixin; a tie with
    its two actors: TieAdmin), or a many-to-many's initial records (the form read them to
    fill itself in). Rendering the widget then queries nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self._meta.model._meta
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper
            if not hasattr(widget, "selected_records"):
                continue
            try:
                key = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if key.many_to_one and key.is_cached(self.instance):
                records = [key.get_cached_value(self.instance)]
            elif key.many_to_many:
                # The form's initial value: the records themselves, in the model's order.
                records = self.initial.get(name)
            else:
                continue
            if isinstance(records, list) and all(isinstance(r, models.Model) for r in records):
                widget.selected_records = {str(r.pk): r for r in records}


class EditorialForm(
    EvidenceConfirmationMixin,
    SelectedRecordsFormMixin,
    VersionedFormMixin,
    FuzzyDateFormMixin,
    forms.ModelForm,
):
    """The change form of a curated record: who may set which status, no lost updates, and
    the publishing rule (EditorialModel.validate_publishable).

    ``editor`` is the user the form serves (EditorialAdmin.get_form passes it): the status
    choices and the status check follow what they may do. ``inline_citations`` says the
    record's citations are edited on the same page: their CitationInlineFormSet then checks
    the publishing rule with the rows being saved, which this form cannot see; otherwise this
    form checks it with the stored citations.
    """

    #: An edit of a published record may be marked a correction: it is then listed on the
    #: record's page and on /corrections/ with ``correction_note`` (models with a
    #: ``corrections`` relation; EditorialAdmin shows the two fields on those).
    is_correction = forms.BooleanField(
        label=_("This edit corrects an error"),
        required=False,
        help_text=_(
            "Tick it when the published record said something wrong: readers will see the "
            "date and your note on the record and on the corrections page. Leave it for "
            "additions and wording."
        ),
    )
    correction_note = forms.CharField(
        label=_("What changed (shown to the public)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('For example: "The visit took place in 2019, not 2018."'),
    )

    def __init__(self, *args, editor=None, inline_citations=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.inline_citations = inline_citations
        status = self.fields.get("status")
        if status is not None and editor is not None:
            allowed = self._meta.model.statuses_for(editor, self._stored_status)
            status.widget.choices = [c for c in status.choices if c[0] in allowed]
            if len(allowed) < len(EditorialStatus.values):
                status.help_text = _(
                    "Send it to review when it is ready: only reviewers publish, unpublish "
                    "and withdraw."
                )

    @cached_property
    def _stored(self):
        """(status, version) as stored now; None for a new or deleted record. One query."""
        if self.instance.pk is None:
            return None
        model = self._meta.model
        return (
            model._base_manager.filter(pk=self.instance.pk).values_list("status", "version").first()
        )

    @property
    def _stored_status(self):
        return self._stored[0] if self._stored else EditorialStatus.DRAFT

    def clean_status(self):
        new = self.cleaned_data["status"]
        if self.editor is not None and not self._meta.model.may_change_status(
            self.editor, self._stored_status, new
        ):
            raise ValidationError(
                _(
                    "Only reviewers can publish, unpublish or withdraw a record. Choose "
                    "“draft” or “in review”; a reviewer will take it from there."
                ),
                code="permission",
            )
        return new

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "version" in self.fields:
            posted = cleaned.get("version")
            if self._stored is None or (posted is not None and posted != self._stored[1]):
                raise conflict_error(self.instance)
        self._clean_correction(cleaned)
        if "status" in cleaned and not self.inline_citations:
            try:
                self.instance.validate_publishable(status=cleaned["status"])
            except EvidenceWouldBeLost as exc:
                self.settle_lost_evidence(exc, "status")
            except ValidationError as exc:
                self.add_error("status", exc)
        return cleaned

    def _clean_correction(self, cleaned):
        if not cleaned.get("is_correction"):
            cleaned["correction_note"] = ""
            return
        if not cleaned.get("correction_note", "").strip():
            self.add_error(
                "correction_note", _("Say what changed: readers see this note with the date.")
            )
        if self.instance.pk is None or self.instance.published_at is None:
            self.add_error(
                "is_correction",
                _("Only a record that has been published can be corrected."),
            )

    @property
    def correction(self):
        """The note of the correction this edit is marked as, or "" (after validation)."""
        return self.cleaned_data.get("correction_note", "").strip()


class FormFactory:
    """A form class with constructor arguments bound in: called as the class is, and read as
    the class is (``base_fields``, ``_meta``, ``media``).

    ModelAdmin.get_form must return something the admin calls itself; EditorialAdmin passes
    the editor to the form through this, rather than making a subclass per request.
    """

    def __init__(self, form_class, **kwargs):
        self.form_class = form_class
        self.kwargs = kwargs

    def __call__(self, *args, **kwargs):
        return self.form_class(*args, **self.kwargs, **kwargs)

    def __getattr__(self, name):
        return getattr(self.form_class, name)


class InlineForm(SelectedRecordsFormMixin, VersionedFormMixin, FuzzyDateFormMixin, forms.ModelForm):
    """The form of an inline row (ties carry fuzzy dates)."""


class InlineFormSet(BaseInlineFormSet):
    """The base of ruiraq's inline formsets: one empty form per formset.

    Django builds a new ``empty_form`` (the row "Add another" copies) on every access, and the
    admin reads it about four times per inline (its field headers, its media, the rows it
    renders): an actor's page built 23 forms where it shows 10. It is never bound, so one
    per formset serves them all.
    """

    @cached_property
    def empty_form(self):
        return super().empty_form


class ConcurrentInlineFormSet(InlineFormSet):
    """Refuses the whole save when a row was changed by someone else since the page opened.

    Every row's version is compared with the database in one query.
    """

    def clean(self):
        super().clean()
        posted = {
            form.instance.pk: form.cleaned_data.get("version")
            for form in self.initial_forms
            if form.instance.pk is not None and "version" in getattr(form, "cleaned_data", {})
        }
        if not posted:
            return
        stored = dict(self.model._base_manager.filter(pk__in=posted).values_list("pk", "version"))
        for form in self.initial_forms:
            pk = form.instance.pk
            if pk in posted and stored.get(pk) != posted[pk]:
                raise conflict_error(form.instance, reload_instance=self.instance)


class CitationInlineFormSet(ConcurrentInlineFormSet):
    """A record's citations on the record's page; checks the publishing rule for the record.

    The record's form cannot see the citations added on the same page (EditorialForm
    ``inline_citations``), so this formset calls EditorialModel.validate_publishable with the
    citations the record will have once saved.
    """

    def citations_after_save(self):
        """The rows kept and added, with the values posted (a stance may have changed), less
        the rows being deleted and the empty extra ones."""
        citations = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and data.get(DELETION_FIELD_NAME)):
                continue
            citations.append(form.instance)
        return citations

    def clean(self):
        super().clean()
        try:
            self.instance.validate_publishable(citations=self.citations_after_save())
        except ValidationError as exc:
            raise ValidationError(
                [
                    *exc.error_list,
                    ValidationError(
                        _(
                            "Nothing was saved: add a supporting citation below, or choose "
                            "another status."
                        ),
                        code="no_supporting_citation",
                    ),
                ]
            ) from None


class DuplicateWarningForm(EditorialForm):
    """Warns, with links, when the record looks like one already in the database.

    The save goes through once the editor ticks "not a duplicate" (shown with the warning).
    Subclasses say which fields to compare (``compared_fields``) and how to find look-alikes
    (``similar_records``).
    """

    compared_fields = ()
    not_a_duplicate = forms.BooleanField(
        label=_("Not a duplicate"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Tick after checking the similar records listed above, then save again."),
    )

    def similar_records(self, cleaned):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("not_a_duplicate"):
            return cleaned
        if self.instance.pk is not None and not set(self.compared_fields) & set(self.changed_data):
            return cleaned
        matches = list(self.similar_records(cleaned).exclude(pk=self.instance.pk)[:5])
        if matches:
            self.fields["not_a_duplicate"].widget = forms.CheckboxInput()
            links = format_html_join(
                ", ", '<a href="{}" target="_blank">{}</a>', ((_change_url(m), m) for m in matches)
            )
            raise ValidationError(
                format_html(
                    gettext(
                        "Possible duplicate: a similar {kind} already exists ({links}). If it "
                        "is the same, add what is new to it instead (a spelling as an alias); "
                        "if not, tick “Not a duplicate” below and save again."
                    ),
                    kind=self._meta.model._meta.verbose_name,
                    links=links,
                ),
                code="duplicate",
            )
        return cleaned
