"""
The admin base every curated record's admin builds on: the editorial workflow (status
choices by permission, bulk actions), no lost updates, history with a field diff and the
inline rows' changes, fuzzy date columns and filters, "view on site" once published.

It configures; the rules live on the models (ruiraq.models.EditorialModel) and the forms
(ruiraq.forms).
"""

from concurrency.exceptions import RecordModifiedError
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connections, transaction
from django.db.models import Max, Min
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from ruiraq.dates import FuzzyDate
from ruiraq.forms import (
    CitationInlineFormSet,
    ConcurrentInlineFormSet,
    EditorialForm,
    FormFactory,
    InlineForm,
    KeyedModelMultipleChoiceField,
    parse_key,
)
from ruiraq.models import EditorialStatus, EvidenceWouldBeLost
from ruiraq.resources import ImportFileStorage, SignedConfirmImportForm, sign_import_file_name
from ruiraq.revisions.admin import RevisionAdminMixin
from ruiraq.search import documents

admin.site.site_header = _("ruiraq editorial admin")
admin.site.site_title = _("ruiraq admin")
admin.site.index_title = _("Curation")

#: Fields every record has that an editor does not type.
STAMPS = ("created_at", "updated_at", "submitted_at", "published_at", "withdrawn_at")

#: The last fieldsets of every slugged curated record: its workflow, then its bookkeeping.
EDITORIAL_FIELDSETS = [
    (_("Editorial"), {"fields": ["status", "editorial_note"]}),
    (_("Record"), {"fields": ["slug", *STAMPS], "classes": ["collapse"]}),
]

#: On a record that has been published: an edit can be marked a correction (EditorialForm).
CORRECTION_FIELDSET = (
    _("Correction"),
    {
        "fields": ["is_correction", "correction_note"],
        "description": _(
            "Corrections are listed publicly, on the record and on the corrections page."
        ),
    },
)

#: Changed on every save: noise in a history diff.
_HISTORY_NOISE = ["updated_at"]


# --- hostile input -------------------------------------------------------------------------


def _without_nul(text):
    # PostgreSQL text cannot hold NUL (psycopg refuses it before sending the query), and no
    # name or title contains one: it is dropped from what an editor searches or filters by.
    return text.replace("\x00", "")


class _KnownKeysOnly:
    """An autocomplete widget that shows back only the posted values that can be keys, and
    shows the records its form already holds without querying for them again.

    On a form with errors the admin's widget looks up every posted value to show it again,
    and a value such as "abc" or a 30-digit number raised instead of the form saying
    "Select a valid choice".

    Django's widget queries for its selected records on every render: one query per inline
    row. ``selected_records`` ({key as text: record}, in the model's order) is what the form
    found loaded on its instance (ruiraq.forms.SelectedRecordsFormMixin); when it holds every
    selected key, the options are written from it, in the same markup.
    """

    selected_records = None

    def optgroups(self, name, value, attr=None):
        value = [v for v in value if parse_key(v) is not None]
        selected = {str(v) for v in value}
        known = self.selected_records or {}
        if not selected or not selected <= known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key, record in known.items():
            if key in selected:
                label = self.choices.field.label_from_instance(record)
                # Django's widget passes the set of selected keys as "selected".
                options.append(self.create_option(name, record.pk, label, selected, len(options)))
        return [(None, options, 0)]


class _AutocompleteSelect(_KnownKeysOnly, AutocompleteSelect):
    pass


class _AutocompleteSelectMultiple(_KnownKeysOnly, AutocompleteSelectMultiple):
    pass


class HostileInputMixin:
    """What every admin and inline of ruiraq shares against malformed input: autocomplete
    fields that survive any posted value, searches and filters without NUL, and history
    pages that answer an impossible id as the change page does (back to the index with a
    message), never with a 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, _without_nul(search_term))

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in name + "".join(values) for name, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                cleaned.setlist(_without_nul(name), [_without_nul(v) for v in values])
            request.GET = cleaned
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if parse_key(unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if parse_key(unquote(object_id)) is None or parse_key(version_id) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class EditorialImportExportMixin(ImportExportMixin):
    """Bulk import and export, with the uploaded file kept between preview and confirmation
    where every worker finds it and no posted name can reach anything else
    (ruiraq.resources.ImportFileStorage, SignedConfirmImportForm)."""

    tmp_storage_class = ImportFileStorage
    confirm_form_class = SignedConfirmImportForm
    # The preview shows the first rows with their changes and counts the rest.
    import_template_name = "admin/ruiraq/import.html"

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "user": request.user,
            "model": self.model,
            "formats": len(self.get_import_formats()),
            "resources": len(self.get_import_resource_classes(request)),
        }

    def process_result(self, result, request):
        """After the confirm step: a file that failed (a row found bad, a record saved by
        someone else meanwhile) was rolled back whole; say so instead of "Import finished"."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        problems = [str(error.error) for error in result.base_errors]
        problems += [
            f"{row.number}: {'; '.join(m for ms in row.error_dict.values() for m in ms)}"
            for row in result.invalid_rows
        ]
        messages.error(
            request,
            _("Nothing was imported: %(problems)s") % {"problems": " · ".join(problems[:20])},
        )
        return HttpResponseRedirect(request.path.rsplit("process_import/", 1)[0])

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            initial["import_file_name"] = sign_import_file_name(
                initial["import_file_name"], request.user, self.model
            )
        return initial


# --- list filters ---------------------------------------------------------------------------


class YearListFilter(admin.SimpleListFilter):
    """Records by the year of a date column, newest first, plus "no date". One query.

    The years offered run from the earliest date to the latest (two ends of the column's
    index; Django's date hierarchy and ``dates()`` read every row for the years present, 27 ms
    at 100,000 events): a year in between with no record shows an empty list.
    """

    title = _("year")
    parameter_name = "year"
    field_name = "start_date"

    def lookups(self, request, model_admin):
        span = model_admin.model._default_manager.aggregate(
            first=Min(self.field_name), last=Max(self.field_name)
        )
        years = range(span["last"].year, span["first"].year - 1, -1) if span["first"] else ()
        return [("none", _("no date")), *((str(year), str(year)) for year in years)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        if value and value.isascii() and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(**{f"{self.field_name}__year": int(value)})
        return queryset


class PublishedYearListFilter(YearListFilter):
    title = _("publication year")
    field_name = "published_date"


class IndexedValuesListFilter(admin.AllValuesFieldListFilter):
    """The values present in a column, read by skipping through the column's index: one
    probe per distinct value, not a scan of the table.

    Django's AllValuesFieldListFilter runs DISTINCT over every row (and over the changelist's
    joins): 197 ms for the countries of 100,000 events. A recursive query asks the index for
    the smallest value greater than the last one until there is none, in portable SQL
    (SQLite and PostgreSQL); the column needs an index of its own (or leading one), and is
    not nullable (a nullable column keeps Django's query).
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        if field_path != field.name or field.null:  # Django's own query
            return
        connection = connections[model._default_manager.db]
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        sql = (
            f"WITH RECURSIVE present(value) AS ("
            f"SELECT MIN({column}) FROM {table} "
            f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > value) "
            f"FROM present WHERE value IS NOT NULL) "
            f"SELECT value FROM present WHERE value IS NOT NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            self.lookup_choices = [row[0] for row in cursor.fetchall()]


class CountryListFilter(IndexedValuesListFilter):
    """The countries present (read through the column's index), by name in the editor's
    language (django-countries), sorted by that name."""

    def choices(self, changelist):
        names = {code: countries.name(code) or code for code in self.lookup_choices if code}
        self.lookup_choices = sorted(self.lookup_choices, key=lambda code: names.get(code, ""))
        for choice in super().choices(changelist):
            if choice["display"] in names:
                choice = {**choice, "display": names[choice["display"]]}
            elif choice["display"] == "":  # no country: the admin's own empty marker
                choice = {**choice, "display": changelist.model_admin.get_empty_value_display()}
            yield choice


class SupportedListFilter(admin.SimpleListFilter):
    """Whether a record has the supporting citation publishing needs."""

    title = _("supporting citation")
    parameter_name = "supported"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no: cannot be published"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.supported(self.value() == "yes")


# --- inlines --------------------------------------------------------------------------------


class SelectedWithRowsMixin:
    """An inline whose rows come with the records their autocomplete fields point at (a
    participation's actor, a citation's source, a tie's other actor) and with their parent
    (a tie's label names both actors; Django sets only the parent's key on the rows): one
    query for the inline, where each row cost up to three more (its label, "Actor (role)",
    and its widget's selected option, which the form then takes from the row:
    _KnownKeysOnly)."""

    def get_queryset(self, request):
        opts = self.model._meta
        names = [
            name
            for name in self.get_autocomplete_fields(request)
            if opts.get_field(name).many_to_one
        ]
        parent = _parent_key(self.parent_model, self.model, self.fk_name).name
        return super().get_queryset(request).select_related(parent, *names)


class ConcurrentInlineMixin(SelectedWithRowsMixin, HostileInputMixin):
    """An inline whose rows carry a version: a stale row refuses the whole save."""

    form = InlineForm
    formset = ConcurrentInlineFormSet


class CitationInlineBase(ConcurrentInlineMixin, admin.StackedInline):
    """Citations of a record; a ``?source=<pk>`` in the address fills in the first new one."""

    formset = CitationInlineFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", ("stance", "locator"), "quote", ("quote_ru", "quote_ar"), "note", "version"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = parse_key(request.GET.get("source", ""))
        if source is None:
            return formset

        class PrefilledFormSet(formset):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", [{"source": source}])
                super().__init__(*args, **kwargs)

        return PrefilledFormSet


# --- the base admin -------------------------------------------------------------------------


class EditorialAdmin(RevisionAdminMixin, HostileInputMixin, SimpleHistoryAdmin):
    form = EditorialForm
    object_history_template = "admin/ruiraq/object_history.html"
    readonly_fields = STAMPS
    actions = ["send_to_review", "publish", "unpublish", "withdraw"]
    list_per_page = 50
    # The full count would be a second COUNT of the whole table after the filtered one.
    show_full_result_count = False
    save_on_top = True

    # --- columns ---

    def get_queryset(self, request):
        """On the changelist (its page and its actions), the citation counts in the same
        query as the rows; elsewhere (change page, autocomplete) the plain rows."""
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").endswith("_changelist"):
            return queryset
        return queryset.with_citation_counts()

    @admin.display(description=_("citations"), ordering="citations_total")
    def citation_count(self, obj):
        return obj.citations_total

    @admin.display(description=_("supporting"), ordering="supporting_total")
    def supporting_count(self, obj):
        return obj.supporting_total

    @admin.display(description=_("date"), ordering="start_date")
    def when(self, obj):
        """The span at its precision ("March 2019"), never a raw date."""
        return obj.when or "–"

    # --- workflow ---

    def view_on_site(self, obj):
        """Only a published record has a public page.

        A form sent back with errors shows the record as the editor typed it: an emptied slug
        (derived again when saved) has no address yet, so the page has no link rather than a
        500."""
        if not obj.is_public:
            return None
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None

    def get_fieldsets(self, request, obj=None):
        """The record's fieldsets, plus the correction fields once it has been published
        (records with a ``corrections`` relation; the history revert page has no inlines
        and no corrections either)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.published_at is not None and hasattr(obj, "corrections"):
            fieldsets = [*fieldsets, CORRECTION_FIELDSET]
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note = getattr(form, "correction", "")
        # An editor's change to a published record waits for review (RevisionAdminMixin):
        # its correction is listed when the change is applied, not before.
        if note and getattr(request, "_revision_of", None) is None:
            obj.corrections.create(note=note, editor=request.user)

    def has_publish_permission(self, request):
        return request.user.has_perm(self.model.publish_permission())

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form, told who the editor is and whether the record's citations are edited on
        the same page (then their formset checks the publishing rule: see EditorialForm)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        return FormFactory(
            form,
            editor=request.user,
            inline_citations=self._edits_citations_inline(request, obj),
        )

    def _edits_citations_inline(self, request, obj):
        # The revert page (simple-history) shows the record without its inlines.
        match = getattr(request, "resolver_match", None)
        if match is not None and (match.url_name or "").endswith("_simple_history"):
            return False
        return any(
            issubclass(inline.formset, CitationInlineFormSet)
            for inline in self.get_inline_instances(request, obj)
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with documents.left_waiting() as waiting:
                response = super().changeform_view(request, object_id, form_url, extra_context)
            if waiting[0]:  # saved, and more records reached than a save refreshes
                self.message_user(
                    request,
                    _(
                        "Search will show this change in the records linked to it within a "
                        "few minutes."
                    ),
                    messages.INFO,
                )
            return response
        except (RecordModifiedError, OperationalError) as exc:
            # Someone saved between our version check and our UPDATE, or (SQLite) held the
            # write lock longer than the busy timeout (settings): all was rolled back.
            if isinstance(exc, OperationalError) and not _is_lock_timeout(exc):
                raise
            self.message_user(
                request,
                _(
                    "Edit conflict: someone else saved this record at the same moment, so "
                    "your changes were not saved. The page shows the current version."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def _change_status(self, request, queryset, status, done):
        """All selected records move to ``status`` as the user, or none does.

        Each goes through EditorialModel.change_status, which checks who may make the
        change and the publishing rule; every refusal is collected and reported by name,
        and the whole change is rolled back. ``done`` is the message saying it happened: an
        ngettext_lazy with the placeholders count, name and names (verbose names), one per
        action so that translations can agree.
        """
        records = list(queryset)
        confirmed = request.POST.get("confirm_demotion") == "yes"
        refusals, lost, evidence_refusals = [], [], []
        try:
            with transaction.atomic():
                for record in records:
                    if record.status == status:
                        continue
                    try:
                        record.change_status(status, request.user, confirm=confirmed)
                    except PermissionDenied as exc:
                        refusals = [str(exc)]
                        break
                    except EvidenceWouldBeLost as exc:
                        lost.extend(exc.records)
                        evidence_refusals.extend(exc.messages)
                    except ValidationError as exc:
                        refusals.extend(exc.messages)
                if refusals or evidence_refusals:
                    transaction.set_rollback(True)
        except RecordModifiedError:
            refusals = [_("Someone else saved one of these records at the same moment.")]
        if (
            evidence_refusals
            and not refusals
            and EvidenceWouldBeLost.may_confirm(request.user, lost)
        ):
            return self._confirm_evidence_loss(request, records, lost)
        refusals += evidence_refusals
        if refusals:
            if status == EditorialStatus.PUBLISHED:
                refused = _("Nothing was published: %(reasons)s")
            else:
                refused = _("Nothing was changed: %(reasons)s")
            self.message_user(request, refused % {"reasons": " ".join(refusals)}, messages.ERROR)
            return None
        self.message_user(
            request,
            done
            % {
                "count": len(records),
                "name": self.model._meta.verbose_name,
                "names": self.model._meta.verbose_name_plural,
            },
            messages.SUCCESS,
        )

    def _confirm_evidence_loss(self, request, records, lost):
        """The page asking a reviewer to confirm a status change that leaves ``lost``
        without evidence; confirming posts the same action again, with confirm_demotion."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Send records without evidence back to review?"),
            "action": request.POST.get("action", ""),
            "records": records,
            "lost": [(record, record._meta.verbose_name) for record in dict.fromkeys(lost)],
            "selected": [record.pk for record in records],
        }
        return TemplateResponse(request, "admin/ruiraq/confirm_evidence_loss.html", context)

    @admin.action(description=_("Send selected records to review"), permissions=["change"])
    def send_to_review(self, request, queryset):
        drafts = queryset.filter(status=EditorialStatus.DRAFT)
        return self._change_status(
            request,
            drafts,
            EditorialStatus.IN_REVIEW,
            ngettext_lazy(
                "%(count)d %(name)s sent to review.", "%(count)d %(names)s sent to review.", "count"
            ),
        )

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        return self._change_status(
            request,
            queryset,
            EditorialStatus.PUBLISHED,
            ngettext_lazy(
                "%(count)d %(name)s published.", "%(count)d %(names)s published.", "count"
            ),
        )

    @admin.action(
        description=_("Unpublish selected records (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        published = queryset.filter(status=EditorialStatus.PUBLISHED)
        return self._change_status(
            request,
            published,
            EditorialStatus.DRAFT,
            ngettext_lazy(
                "%(count)d %(name)s unpublished.", "%(count)d %(names)s unpublished.", "count"
            ),
        )

    @admin.action(description=_("Withdraw selected records"), permissions=["publish"])
    def withdraw(self, request, queryset):
        return self._change_status(
            request,
            queryset,
            EditorialStatus.WITHDRAWN,
            ngettext_lazy(
                "%(count)d %(name)s withdrawn.", "%(count)d %(names)s withdrawn.", "count"
            ),
        )

    # --- history ---

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """As simple-history does, without the timestamp every save changes."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=_HISTORY_NOISE,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_historical_record_context_helper(self, request, historical_record):
        return _FuzzyDateContextHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        if parse_key(unquote(object_id)) is None:  # before _inline_history queries with it
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        extra_context = {**(extra_context or {}), "inline_history": self._inline_history(object_id)}
        return super().history_view(request, object_id, extra_context)

    def _inline_history(self, object_id):
        """The changes to each inline's rows of this record, oldest first, with their diffs.

        One query per inline model (the rows' related objects joined in).
        """
        sections = []
        for inline in self.inlines:
            model = inline.model
            if not hasattr(model, "history"):
                continue
            fk = _parent_key(self.model, model, inline.fk_name)
            # Only what the history keeps: derived columns (a tie's status date) are not.
            kept = {f.name for f in model.history.model._meta.fields}
            shown = [
                f
                for f in model._meta.fields
                if f.name in kept
                and f.name not in ("id", fk.name, "version", "created_at", "updated_at")
            ]
            related = [f.name for f in shown if f.is_relation]
            records = (
                model.history.filter(**{fk.attname: object_id})
                .select_related("history_user", *related)
                .order_by("history_date", "history_id")
            )
            rows, previous = [], {}
            for record in records:
                values = {f: _history_value(record, f) for f in shown}
                before = previous.get(record.id)
                if record.history_type == "+" or before is None:
                    changes = [(f.verbose_name, "", v) for f, v in values.items() if v != ""]
                elif record.history_type == "-":
                    changes = []
                else:
                    changes = [
                        (f.verbose_name, before[f], v) for f, v in values.items() if before[f] != v
                    ]
                previous[record.id] = values
                if changes or record.history_type != "~":
                    rows.append({"record": record, "changes": changes})
            if rows:
                name = inline.verbose_name_plural or model._meta.verbose_name_plural
                sections.append({"name": name, "rows": rows[::-1]})
        return sections


def _parent_key(parent, model, fk_name=None):
    """The foreign key from an inline's ``model`` to ``parent``: ``fk_name``'s field, or the
    one key to ``parent`` (what Django's admin requires of an inline without fk_name)."""
    if fk_name:
        return model._meta.get_field(fk_name)
    (fk,) = (
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and issubclass(parent, f.remote_field.model)
    )
    return fk


def _is_lock_timeout(exc):
    """SQLite's "database is locked": another writer outlasted the busy timeout."""
    return "database is locked" in str(exc)


class _FuzzyDateContextHelper(HistoricalRecordContextHelper):
    """Dates in a history diff at their precision ("March 2019"), as everywhere else."""

    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for item, change in zip(context, delta.changes, strict=True):
            if not change.field.endswith("_date"):
                continue
            precision = change.field.replace("_date", "_precision")
            for key, record, value in (
                ("old", delta.old_record, change.old),
                ("new", delta.new_record, change.new),
            ):
                if value is not None:
                    item[key] = FuzzyDate(value, getattr(record, precision, "day")).display()
        return context


def _history_value(record, field):
    """A historical row's value of ``field`` as an editor reads it."""
    if field.is_relation:
        return str(getattr(record, field.name) or "")
    value = getattr(record, field.attname)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return ""
    if field.name.endswith("_date"):
        precision = getattr(record, field.name.replace("_date", "_precision"), "day")
        return FuzzyDate(value, precision).display()
    return str(value)
