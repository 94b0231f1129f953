"""The diff of a change form: what an editor changed, field by field, old → new, with the
inline rows added, changed and deleted, as plain text a reviewer reads.

Read from a validated form and its formsets before anything is saved: the form's initial
values are the record as stored, its cleaned values what the editor typed. Kept as JSON on
the PendingRevision, so the reviewer sees the change as the editor made it, written out in
every language of the site (field labels, choices, dates), so each reviewer reads it in
their own (``PendingRevision.diff``).
"""

from django import forms
from django.conf import settings
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import translation

from ruiraq.dates import FuzzyDate, Precision

#: Form fields that are bookkeeping, not content: never shown as changes.
_SKIPPED = frozenset({"version", "not_a_duplicate", "id", DELETION_FIELD_NAME})


def _objects(field, value):
    """The objects a model choice ``value`` names (objects, keys or a queryset)."""
    if value in (None, "", [], ()):
        return []
    values = (
        list(value) if isinstance(value, list | tuple | set) or hasattr(value, "model") else [value]
    )
    keys = [v for v in values if not hasattr(v, "_meta")]
    found = {str(o.pk): o for o in field.queryset.filter(pk__in=keys)} if keys else {}
    return [v if hasattr(v, "_meta") else found.get(str(v), v) for v in values]


def _display(form, name, value):
    """``value`` of ``form``'s field ``name`` as an editor reads it."""
    field = form.fields[name]
    if isinstance(value, FuzzyDate):
        return value.display()
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(o) for o in _objects(field, value)))
    if isinstance(field, forms.ModelChoiceField):
        return ", ".join(str(o) for o in _objects(field, value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if value is None:
        return ""
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in _flat_choices(field.choices)}
        return labels.get(str(value), str(value))
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield key, label


def _new_value(form, name):
    """The cleaned value, with a fuzzy date read back at the precision the editor typed
    (FuzzyDateFormMixin stores the date and puts the precision on the instance)."""
    value = form.cleaned_data.get(name)
    precision_name = getattr(form, "fuzzy_dates", {}).get(name)
    if precision_name and value is not None:
        return FuzzyDate(value, getattr(form.instance, precision_name, None) or Precision.DAY)
    return value


def _field_changes(form, names):
    changes = []
    for name in names:
        if name in _SKIPPED or name not in form.fields:
            continue
        old = _display(form, name, form.get_initial_for_field(form.fields[name], name))
        new = _display(form, name, _new_value(form, name))
        if old != new:
            changes.append(
                {"name": name, "label": str(form.fields[name].label), "old": old, "new": new}
            )
    return changes


def _row_fields(form):
    """The names of an inline row's content fields (not its key to the parent)."""
    fk = getattr(form, "_parent_fk_name", None)
    return [name for name in form.fields if name not in _SKIPPED and name != fk]


def form_changes(form, formsets, names=()):
    """{"languages": {code: {"fields": [...], "inlines": [...]}}}: what ``form`` and
    ``formsets`` (validated) would change, written out in each language of the site;
    ``names`` are the formsets' names as their inlines show them (lazy, to be translated).
    Per language, one query per model choice field changed and one per formset with stored
    rows (their names)."""
    languages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            languages[code] = _changes(form, formsets, names)
    return {"languages": languages}


def _changes(form, formsets, names):
    result = {"fields": _field_changes(form, form.changed_data), "inlines": []}
    names = [str(n) for n in names] + [""] * (len(formsets) - len(names))
    for formset, name in zip(formsets, names, strict=True):
        fk = getattr(formset, "fk", None)
        rows = []
        deleted = set(map(id, formset.deleted_forms)) if formset.can_delete else set()
        existing = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        stored = formset.model._base_manager.in_bulk(existing) if existing else {}
        for row in formset.forms:
            row._parent_fk_name = fk.name if fk is not None else None
            pk = row.instance.pk if row in formset.initial_forms else None
            label = str(stored.get(pk, "")) if pk is not None else ""
            if id(row) in deleted and pk is not None:
                fields = [
                    {
                        "name": name,
                        "label": str(row.fields[name].label),
                        "old": _display(
                            row, name, row.get_initial_for_field(row.fields[name], name)
                        ),
                        "new": "",
                    }
                    for name in _row_fields(row)
                ]
                rows.append(
                    {"action": "deleted", "label": label, "fields": [f for f in fields if f["old"]]}
                )
            elif pk is None and row.has_changed() and id(row) not in deleted:
                fields = [
                    {"name": name, "label": str(row.fields[name].label), "old": "", "new": new}
                    for name in _row_fields(row)
                    if (new := _display(row, name, _new_value(row, name)))
                ]
                rows.append({"action": "added", "label": "", "fields": fields})
            elif pk is not None and row.has_changed():
                fields = _field_changes(row, [n for n in row.changed_data if n in _row_fields(row)])
                if fields:
                    rows.append({"action": "changed", "label": label, "fields": fields})
        if rows:
            opts = formset.model._meta
            result["inlines"].append({"name": name or str(opts.verbose_name_plural), "rows": rows})
    return result


def in_language(changes, code):
    """The diff in language ``code`` (else the site's default, else any); a diff kept before
    diffs were written out per language is returned as it is."""
    languages = changes.get("languages")
    if languages is None:
        return changes
    return languages.get(code) or languages.get(settings.LANGUAGE_CODE) or {}


def is_empty(changes):
    diff = in_language(changes, settings.LANGUAGE_CODE)
    return not diff.get("fields") and not diff.get("inlines")
