"""
The base of the bulk import/export resources (django-import-export): one row per record,
validated like a form — the model's full_clean, the status workflow, the publishing rule —
so that a file with a bad row reports it with its number and saves nothing (the import runs
in one transaction, IMPORT_EXPORT_USE_TRANSACTIONS).
"""

import copy

import tablib
from django import forms
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, results, widgets
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm
from import_export.instance_loaders import CachedInstanceLoader
from import_export.tmp_storages import CacheStorage

from ruiraq import bulk, cache
from ruiraq.dates import FuzzyDate, parse_fuzzy
from ruiraq.models import EditorialStatus
from ruiraq.revisions.models import PendingRevision
from ruiraq.search import documents
from ruiraq.spreadsheets import neutralise, restore


def _map_cells(dataset, function):
    mapped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        mapped.append([function(cell) if isinstance(cell, str) else cell for cell in row])
    return mapped


class CSV(base_formats.CSV):
    """The admin's CSV: a cell a spreadsheet would run as a formula is written with a quote in
    front, and read back without it (ruiraq.spreadsheets), so an export imports unchanged.

    Not django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT: it only deletes a
    leading "=" (changing the value, and leaving "+", "-", "@" live), in JSON exports too.
    """

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, neutralise), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), restore)


class FuzzyDateWidget(widgets.Widget):
    """A fuzzy date in one cell, as an editor writes it: "2014", "March 2019"."""

    def clean(self, value, row=None, **kwargs):
        return parse_fuzzy(str(value)) if value not in (None, "") else None

    def render(self, value, obj=None, **kwargs):
        # In English whatever the admin's language: an exported file reads the same for
        # every editor (parse_fuzzy reads Russian and Arabic dates back all the same).
        return value.display("en") if isinstance(value, FuzzyDate) else ""


class FuzzyDateColumn(fields.Field):
    """Exports the model's FuzzyDate property; imports into its date and precision columns."""

    def __init__(self, attribute, date_field, precision_field, **kwargs):
        super().__init__(attribute=attribute, widget=FuzzyDateWidget(), **kwargs)
        self.date_field, self.precision_field = date_field, precision_field

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row)
        setattr(instance, self.date_field, value.date if value else None)
        if value:
            setattr(instance, self.precision_field, value.precision)


# --- the uploaded file between preview and confirmation -----------------------------------------


class ImportFileStorage(CacheStorage):
    """Keeps an uploaded import file in the shared "imports" cache (settings), under a random
    name, for a day.

    django-import-export's default wrote it to the system's temporary folder and read, then
    deleted, whatever file the confirm step's ``import_file_name`` named there. Here a name is
    only ever a cache key, and the admin hands it to the browser signed for the one editor and
    model it was uploaded for (SignedConfirmImportForm).
    """

    def save(self, data):
        if not self.name:
            super().save(data)  # picks a random name
        caches["imports"].set(self.CACHE_PREFIX + self.name, data, self.CACHE_LIFETIME)

    def read(self):
        return caches["imports"].get(self.CACHE_PREFIX + self.name)

    def remove(self):
        caches["imports"].delete(self.CACHE_PREFIX + self.name)


def _salt(user, model):
    return f"ruiraq.import:{model._meta.label}:{user.pk}"


def sign_import_file_name(name, user, model):
    """The storage name as the confirm form carries it: only ``user`` may confirm it, for
    ``model``'s import."""
    return signing.dumps(name, salt=_salt(user, model))


class SignedConfirmImportForm(ConfirmImportForm):
    """The import's confirm step, refusing with a message (not a 500) a file name that is not
    this editor's upload for this model, or has expired, and a format or resource that is not
    one of the choices."""

    def __init__(self, *args, user=None, model=None, formats=0, resources=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.model = user, model
        self.format_count, self.resource_count = formats, resources

    def clean_import_file_name(self):
        try:
            name = signing.loads(
                self.cleaned_data["import_file_name"],
                salt=_salt(self.user, self.model),
                max_age=ImportFileStorage.CACHE_LIFETIME,
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This import is not yours or has expired: upload the file again."),
                code="bad_file",
            ) from None
        if ImportFileStorage(name=name).read() is None:
            raise forms.ValidationError(
                _("The uploaded file has expired: upload it again."), code="expired"
            )
        return name

    @staticmethod
    def _index(value, count):
        value = str(value)
        if not (value.isascii() and value.isdigit() and int(value) < count):
            raise forms.ValidationError(_("Choose one of the offered choices."), code="invalid")
        return value

    def clean_format(self):
        return self._index(self.cleaned_data["format"], self.format_count)

    def clean_resource(self):
        value = self.cleaned_data.get("resource") or "0"
        return self._index(value, self.resource_count)


class ImportResult(results.Result):
    """An import's result as its preview shows it: the first rows with their changes field by
    field (EditorialResource.preview_rows), and how many more rows there are."""

    def previewed_rows(self):
        return [row for row in self.valid_rows() if row.diff is not None]

    def rows_not_previewed(self):
        return sum(1 for row in self.valid_rows() if row.diff is None)


class ImportConflict(Exception):
    """Records of the file were saved by someone else while it was being imported."""


class EditorialResource(resources.ModelResource):
    """Rows identified by slug (stable across databases); validated like the admin form, and
    written in bulk (ruiraq.bulk), so a 10,000-row file imports in seconds.

    No lost updates: an export carries each record's version, and a row that brings one
    (an edited export) is refused if the record was saved since, as a stale change form is;
    a record saved by someone else between the reading of the rows and their writing fails
    the import. A file naming one slug (or one URL, or any unique value) on two rows is
    refused: which row would win is not the editor's choice.

    Validation runs each row's fields and ``clean()`` (``full_clean`` without the database),
    then uniqueness and constraints against the whole file at once (ruiraq.bulk.FileChecks:
    one query per unique field per file, not four per row). The records are read in one
    query (CachedInstanceLoader) and written per batch of ``batch_size``, with their history
    rows, versions, slugs and search documents; nothing is written while any row is bad (the
    import's transaction is then rolled back whole), nor in the preview (a dry run).
    """

    version = fields.Field(attribute="version", column_name="version", readonly=True)

    #: Rows a preview shows with their changes field by field; the others are counted only.
    #: Each shown row costs a copy of the record and an HTML diff of every column (a third
    #: of a preview's time at 10,000 rows, and a 9 MB page), and nobody reads ten thousand.
    preview_rows = 100

    class Meta:
        use_bulk = True
        batch_size = bulk.BATCH_SIZE
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # This import's own options: import_row reads skip_diff row by row (below), and the
        # class's options are shared by every import in the process.
        self._meta = copy.copy(self._meta)

    def get_result_class(self):
        return ImportResult

    def get_import_fields(self):
        # Asked several times a row (about 10 µs each); the columns are fixed per import.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_row(self, row, instance_loader, **kwargs):
        """One row; with the copy of the record before it and the field-by-field diff only
        for the rows a preview shows. Whether a row changes anything (skip_unchanged) is read
        from the values noted before the row (after_init_instance), not from that copy."""
        shown = kwargs.get("dry_run") and kwargs.get("row_number", 0) <= self.preview_rows
        self._meta.skip_diff = not shown
        return super().import_row(row, instance_loader, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row is skipped when it leaves every column as it was (and is not invalid)."""
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        before = instance._import_values_stored
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                return False  # not compared (none here): such a row is never skipped
            if field.get_value(instance) != before[field.column_name]:
                return False
        return True

    def import_data(self, *args, **kwargs):
        # A row found bad at the confirm step (a colleague's save since the preview) fails
        # the whole file there too, as it does in the preview.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(*args, **kwargs)

    def import_data_inner(self, *args, **kwargs):
        """The rows, inside the import's transaction, with the search documents refreshed and
        the public cache's version replaced once at the end instead of after every row."""
        with cache.deferred_invalidation(), documents.deferred():
            return super().import_data_inner(*args, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        # A file of new records may leave out the slug column: each slug is then derived.
        if dataset.headers and "slug" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="slug")
        rows = dataset.dict if dataset.headers else []
        self._file_slugs = {str(row.get("slug") or "").strip() for row in rows} - {""}
        self._checks = bulk.FileChecks(self._meta.model, self._column_values(rows))

    def _column_values(self, rows):
        """``{unique field: [value of each row, as it will be saved]}`` for FileChecks."""
        values = {}
        unique = bulk.FileChecks.unique_fields(self._meta.model)
        for field in self.get_import_fields():
            if field.attribute not in unique or field.column_name not in (rows[0] if rows else {}):
                continue
            column = values.setdefault(field.attribute, [])
            for row in rows:
                try:
                    column.append(field.clean(row))
                except (ValueError, ValidationError, TypeError):
                    continue  # the row's own validation reports it
        return values

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_values_stored = {
            field.column_name: field.get_value(instance)
            for field in self.get_import_fields()
            if not isinstance(field.widget, widgets.ManyToManyWidget)
        }
        instance._status_before_import = EditorialStatus.DRAFT if new else instance.status
        # As stored, before the row: would this user's change wait for a reviewer?
        user = getattr(self, "_user", None)
        instance._change_reviewed = (
            not new and user is not None and PendingRevision.required_for(instance, user)
        )
        instance._label_stored = str(instance)
        instance._version_stored = None if new else instance.version
        instance._version_in_file = str(row.get("version") or "").strip()

    def _version_errors(self, instance):
        stored, in_file = instance._version_stored, getattr(instance, "_version_in_file", "")
        if stored is not None and in_file and in_file != str(stored):
            return ValidationError(
                _(
                    "“%(record)s” was changed after this file was exported (version "
                    "%(stored)s, the file has %(in_file)s): export it again and redo this row's "
                    "changes, so that nobody's edit is lost."
                ),
                code="conflict",
                params={"record": instance, "stored": stored, "in_file": in_file},
            )
        return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's own validation (its fields and ``clean()``), uniqueness and constraints
        checked against the whole file (FileChecks), who may set its status and the publishing
        rule (EditorialModel.validate_publishable, with the stored citations: a file brings
        none), each reported on the row's column."""
        errors = {}
        for key, value in (import_validation_errors or {}).items():
            errors[key] = list(value) if isinstance(value, list) else [value]
        conflict = self._version_errors(instance)
        if conflict is not None:
            errors["version"] = [conflict]
        user = getattr(self, "_user", None)
        before = getattr(instance, "_status_before_import", EditorialStatus.DRAFT)
        if getattr(instance, "_change_reviewed", False):
            # An editor's change to a published record waits for a reviewer on the record's
            # own page (ruiraq.revisions); a file cannot wait, so it is refused. (A row that
            # changes nothing is skipped before it gets here.)
            errors["status"] = [
                ValidationError(
                    _(
                        "“%(record)s” is published: a change to it waits for a reviewer, so "
                        "make it on the record's page, or ask a reviewer to import this row."
                    ),
                    code="reviewed",
                    params={"record": instance._label_stored},
                )
            ]
        elif user is not None and not instance.may_change_status(user, before, instance.status):
            errors["status"] = [
                ValidationError(
                    _(
                        "Only reviewers can publish, unpublish or withdraw: import as draft or "
                        "in_review."
                    ),
                    code="permission",
                )
            ]
        else:
            try:
                instance.validate_publishable()
            except ValidationError as exc:
                if instance.pk is None:
                    exc.error_list.append(
                        ValidationError(
                            _(
                                "A new record cannot be imported as published: import it as "
                                "draft, cite it, then publish it."
                            ),
                            code="no_supporting_citation",
                        )
                    )
                errors["status"] = exc.error_list
        try:
            instance.full_clean(
                exclude=list(errors), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        checks = getattr(self, "_checks", None)
        if checks is not None:
            for key, found in checks.errors(instance, exclude=set(errors)).items():
                errors.setdefault(key, []).extend(found)
        if errors:
            raise ValidationError(errors)

    # --- writing, per batch (use_bulk) ---

    def _may_write(self, dry_run, result):
        return not dry_run and not (
            result is not None and (result.has_errors() or result.has_validation_errors())
        )

    def _written_fields(self):
        """The model columns the file's columns write (for bulk_update)."""
        names = []
        for field in self.get_import_fields():
            if field.readonly or field.column_name in self.get_import_id_fields():
                continue
            if isinstance(field, FuzzyDateColumn):
                names += [field.date_field, field.precision_field]
            elif field.attribute:
                names.append(field.attribute)
        return bulk.concrete_field_names(self._meta.model, names)

    def related_texts(self, instances):
        """``{id(instance): [text, …]}``: what new records' search documents read from rows
        the import writes with them (an actor's aliases)."""
        return {}

    def after_bulk_create(self, instances):
        """Rows that hang off new records (an actor's aliases), now they have ids."""

    def before_bulk_update(self, instances):
        """Rows that hang off updated records, written before their documents are derived."""

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.create_instances = list(self.create_instances), []
        if not instances or not self._may_write(dry_run, result):
            return
        try:
            bulk.create(
                self._meta.model,
                instances,
                user=self._user,
                related=self.related_texts(instances),
                reason=str(_("import")),
            )
            self.after_bulk_create(instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.update_instances = list(self.update_instances), []
        if not instances or not self._may_write(dry_run, result):
            return
        try:
            self.before_bulk_update(instances)
            bulk.update(
                self._meta.model,
                instances,
                self._written_fields(),
                user=self._user,
                reason=str(_("import")),
            )
        except bulk.StaleRows as exc:
            error = ImportConflict(
                _(
                    "Saved by someone else during this import: %(records)s. Nothing was "
                    "imported: export them again and redo the changes."
                )
                % {"records": exc}
            )
            self.handle_import_error(result, error, raise_errors)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
