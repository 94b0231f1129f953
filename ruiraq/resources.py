"""
The base of the bulk import/export resources (django-import-export): one row per record,
validated like a form — the model's full_clean, the status workflow, the publishing rule —
so that a file with a bad row reports it with its number and saves nothing (the import runs
in one transaction, IMPORT_EXPORT_USE_TRANSACTIONS).
"""

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from ruiraq.dates import FuzzyDate, parse_fuzzy
from ruiraq.models import EditorialStatus
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


class EditorialResource(resources.ModelResource):
    """Rows identified by slug (stable across databases); validated like the admin form."""

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        # A file of new records may leave out the slug column: each slug is then derived.
        if dataset.headers and "slug" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="slug")

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._status_before_import = EditorialStatus.DRAFT if new else instance.status

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's own validation (full_clean), plus who may set its status and the
        publishing rule (EditorialModel.validate_publishable, with the stored citations: a
        file brings none), each reported on the row's status."""
        errors = dict(import_validation_errors or {})
        user = getattr(self, "_user", None)
        before = getattr(instance, "_status_before_import", EditorialStatus.DRAFT)
        if user is not None and not instance.may_change_status(user, before, instance.status):
            errors["status"] = ValidationError(
                _(
                    "Only reviewers can publish, unpublish or withdraw: import as draft or "
                    "in_review."
                ),
                code="permission",
            )
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
                errors["status"] = exc
        super().validate_instance(instance, errors, validate_unique)
