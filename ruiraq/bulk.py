"""
Writing many curated records at once (an import of thousands of rows) with everything a
one-row ``save()`` and its signals would have done, in a fixed number of queries per batch.

A row-by-row save costs about nine queries (a free slug, a savepoint, the insert, the history
row, the search document's related rows, the changelog's and the cache's signals), and
Django's validation four more (each unique field and each constraint asks the database on its
own, in a savepoint). Here:

- ``FileChecks`` validates uniqueness once per file: one query per unique field over all the
  file's values, plus the file's own repeats; check constraints are read in memory
  (``holds``), with the database's query only for an expression it cannot read.
- ``create`` and ``update`` derive what ``save()`` derives (``derive_fields``: status stamps,
  normalised dates; the search document; a free slug per batch, ``assign_unique_slugs``) and
  write each batch with its history rows (``insert`` and ``write_history``: the editor, the
  reason, the type) and its versions; ``update`` refuses a batch whose stored versions moved
  since the rows were read (no lost update), notes public records leaving the public in the
  changelog, and both mark the public cache stale (once, inside
  ``cache.deferred_invalidation()``).

The history rows are copied by the database from the rows just written (``INSERT … SELECT``,
``write_history``), not built in Python as simple-history's bulk helpers do: those make a
model instance per history row and compile each of its values into the INSERT, which was 40 %
of a 10,000-actor import. The rows are the same (simple-history's columns, one row per record,
its tracked fields as stored); like its bulk helpers, no history signal is sent.

No signal is sent: callers that need one (the admin log) do it themselves.
"""

import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import connections, models, router
from django.db.models import F, Q
from django.db.models.constraints import CheckConstraint, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruiraq import cache, changelog

#: Rows per INSERT/UPDATE statement (and per history insert).
BATCH_SIZE = 500

# --- check constraints, read in memory -------------------------------------------------------


class _Unreadable(Exception):
    """An expression ``holds`` does not read: the database decides."""


def _compare(lookup, left, right):
    if lookup == "isnull":
        return (left is None) == bool(right)
    if left is None or right is None:
        return None
    if lookup == "exact":
        return left == right
    if lookup == "iexact":
        return str(left).casefold() == str(right).casefold()
    if lookup == "regex":
        return re.search(right, str(left)) is not None
    if lookup in ("gt", "gte", "lt", "lte"):
        op = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}[lookup]
        return getattr(left, op)(right)
    if lookup == "in":
        return left in right
    raise _Unreadable(lookup)


def _value(model, instance, name):
    field = model._meta.get_field("id" if name == "pk" else name)
    if not field.concrete or field.many_to_many:
        raise _Unreadable(name)
    return getattr(instance, field.attname)


def _evaluate(model, instance, condition):
    """SQL's three-valued answer (True, False, None) of ``condition`` for ``instance``."""
    answers = []
    for child in condition.children:
        if isinstance(child, Q):
            answer = _evaluate(model, instance, child)
        else:
            path, right = child
            name, _sep, lookup = path.partition("__")
            lookup = lookup or "exact"
            if "__" in lookup:
                raise _Unreadable(path)
            if lookup == "exact" and right is None:  # Django reads "= None" as IS NULL
                lookup, right = "isnull", True
            elif isinstance(right, F):  # NULL = NULL is unknown in SQL
                right = _value(model, instance, right.name)
            elif hasattr(right, "resolve_expression"):
                raise _Unreadable(path)
            left = _value(model, instance, name)
            answer = _compare(lookup, left, right)
        answers.append(answer)
    if condition.connector == Q.AND:
        answer = False if False in answers else (None if None in answers else True)
    else:
        answer = True if True in answers else (None if None in answers else False)
    if condition.negated and answer is not None:
        answer = not answer
    return answer


def holds(model, instance, condition, using=None):
    """Whether ``instance`` satisfies ``condition`` as a database CHECK would (unknown passes),
    read in memory for plain lookups on the row's own columns; any other expression is asked
    of the database (Django's ``Q.check``, one query)."""
    try:
        return _evaluate(model, instance, condition) is not False
    except (_Unreadable, FieldError, TypeError, re.error):
        against = instance._get_field_value_map(meta=model._meta)
        try:
            return condition.check(against, using=using)
        except FieldError:
            return True


# --- uniqueness, once per file ---------------------------------------------------------------


class FileChecks:
    """The constraints and unique fields of ``model`` checked for a whole file: ``values`` are
    ``{field name: [value of each row]}`` (as the rows will be saved), read once."""

    def __init__(self, model, values):
        self.model = model
        # unique: name -> (condition or None, constraint or None), one query per file below;
        # checks: CheckConstraints and multi-column uniques, per row.
        self.unique, self.checks = self._rules(model)
        self.stored = {}  # name -> {value: pk}
        self.repeated = {}  # name -> {value on more than one row}
        for name in self.unique:
            column = [value for value in values.get(name, ()) if value not in (None, "")]
            seen, repeated = set(), set()
            for value in column:
                (repeated if value in seen else seen).add(value)
            self.repeated[name] = repeated
            stored = model._base_manager.filter(**{f"{name}__in": seen}) if seen else None
            self.stored[name] = dict(stored.values_list(name, "pk")) if seen else {}

    @staticmethod
    def _rules(model):
        unique, checks = {}, []
        for field in model._meta.local_concrete_fields:
            if field.unique and not field.primary_key:
                unique[field.name] = (None, None)
        for constraint in model._meta.constraints:
            if (
                isinstance(constraint, UniqueConstraint)
                and len(constraint.fields) == 1
                and not constraint.expressions
            ):
                unique[constraint.fields[0]] = (constraint.condition, constraint)
            else:
                checks.append(constraint)
        return unique, checks

    @classmethod
    def unique_fields(cls, model):
        """The names of the fields whose values ``values`` must hold, one per row."""
        return set(cls._rules(model)[0])

    def errors(self, instance, exclude=()):
        """``{field or NON_FIELD_ERRORS: [ValidationError]}`` for one row."""
        errors = {}
        for name, (condition, constraint) in self.unique.items():
            value = getattr(instance, name)
            if name in exclude or value in (None, ""):
                continue
            if condition is not None and not holds(self.model, instance, condition):
                continue
            if value in self.repeated[name]:
                field = self.model._meta.get_field(name)
                error = ValidationError(
                    _(
                        "This %(field)s is on more than one row of the file: keep one row "
                        "per record."
                    ),
                    code="repeated",
                    params={"field": field.verbose_name},
                )
            elif self.stored[name].get(value, instance.pk) != instance.pk:
                if constraint is None:
                    error = ValidationError(instance.unique_error_message(self.model, (name,)))
                else:
                    error = ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
            else:
                continue
            key = name if constraint is None else NON_FIELD_ERRORS
            errors.setdefault(key, []).append(error)
        for constraint in self.checks:
            if isinstance(constraint, CheckConstraint):
                if holds(self.model, instance, constraint.condition):
                    continue
                error = ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
                errors.setdefault(NON_FIELD_ERRORS, []).append(error)
            else:
                try:
                    constraint.validate(self.model, instance, exclude=set(exclude))
                except ValidationError as exc:
                    errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.error_list)
        return errors


# --- writing ----------------------------------------------------------------------------------

#: The columns simple-history adds to a tracked model's own in its history table.
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user")


def write_history(model, pks, history_type, *, user, reason=""):
    """One history row of type ``history_type`` ("+" created, "~" changed) for each of the
    records ``pks`` of ``model``, as they are stored now, by ``user`` with ``reason``: the
    rows simple-history's ``bulk_history_create`` writes, copied by the database. One query
    per ``BATCH_SIZE`` records."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    using = router.db_for_write(history)
    connection = connections[using]
    quote = connection.ops.quote_name
    tracked = history.tracked_fields
    own = {field.name for field in history._meta.concrete_fields} - {"history_id"}
    if own != {field.name for field in tracked} | set(_HISTORY_COLUMNS):
        raise NotImplementedError(f"{history._meta.label} has columns write_history does not fill")
    stamp = {
        "history_date": timezone.now(),
        "history_change_reason": reason or None,
        "history_type": history_type,
        "history_user": getattr(user, "pk", None),
    }
    columns = [history._meta.get_field(field.name).column for field in tracked]
    columns += [history._meta.get_field(name).column for name in _HISTORY_COLUMNS]
    stamp_params = [
        history._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in stamp.items()
    ]
    selected = ", ".join(quote(field.column) for field in tracked)
    pk_column = quote(model._meta.pk.column)
    pks = sorted(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({', '.join(quote(column) for column in columns)}) "
                f"SELECT {selected}, {', '.join(['%s'] * len(stamp_params))} "
                f"FROM {quote(model._meta.db_table)} "
                f"WHERE {pk_column} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {pk_column}",
                [*stamp_params, *batch],
            )


def insert(model, instances, *, user, reason=""):
    """``bulk_create`` of ``instances`` (which get their ids) and their history rows by
    ``user``. Queries per ``BATCH_SIZE`` rows: the INSERT (several on SQLite, whose statements
    take ~999 values), the history INSERT."""
    created = model._default_manager.bulk_create(instances, batch_size=BATCH_SIZE)
    write_history(model, [instance.pk for instance in created], "+", user=user, reason=reason)
    return created


def create(model, instances, *, user, related=None, reason=""):
    """Insert new records ``instances`` in batches, each with its history row (by ``user``),
    its version, a free slug if it has none and its search document derived from its fields
    and ``related`` (``{id(instance): [text, …]}``, the rows it will read once they exist).
    Queries: one per batch for slugs (plus one per title already taken), the INSERT, the
    history INSERT."""
    related = related or {}
    for instance in instances:
        instance.derive_fields()
        instance.set_search_document(related.get(id(instance), ()))
    model.assign_unique_slugs([instance for instance in instances if not instance.slug])
    created = insert(model, instances, user=user, reason=reason)
    for instance in created:
        instance._loaded_status = instance.status
    if created:
        cache.invalidate()
    return created


class StaleRows(Exception):
    """Records saved by someone else since the rows were read: nothing may be written."""

    def __init__(self, instances):
        self.instances = instances
        super().__init__(", ".join(str(instance) for instance in instances))


def update(model, instances, fields, *, user, reason=""):
    """Write ``fields`` of loaded records ``instances`` (and what save() derives: status
    stamps, the search document, ``updated_at``, the version), with one history row each
    (by ``user``). Refuses (StaleRows) if any stored version differs from the one the
    instance was read with. Queries per batch: the versions, the related rows of the search
    documents, the UPDATE, the history INSERT, and the changelog's INSERT if a public record
    left the public."""
    derived = {"version", "updated_at", "submitted_at", "published_at", "withdrawn_at"}
    derived |= set(getattr(model, "SEARCH_FIELDS", ()))
    fields = sorted(set(fields) | derived)
    version = model._concurrencymeta.field.attname
    now = timezone.now()
    for start in range(0, len(instances), BATCH_SIZE):
        batch = instances[start : start + BATCH_SIZE]
        pks = [instance.pk for instance in batch]
        stored = dict(
            model._base_manager.select_for_update().filter(pk__in=pks).values_list("pk", version)
        )
        stale = [i for i in batch if stored.get(i.pk) != getattr(i, version)]
        if stale:
            raise StaleRows(stale)
        related = model._search_related(pks)
        for instance in batch:
            instance.derive_fields()
            instance.set_search_document(related.get(instance.pk, ()))
            instance.updated_at = now
            setattr(instance, version, getattr(instance, version) + 1)
        model._default_manager.bulk_update(batch, fields, batch_size=BATCH_SIZE)
        write_history(model, pks, "~", user=user, reason=reason)
        changelog.note_status_changes(model, batch)
    if instances:
        cache.invalidate()


def concrete_field_names(model, names):
    """The names among ``names`` that are concrete columns of ``model`` one may write."""
    result = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if isinstance(field, models.Field) and field.concrete and not field.primary_key:
            if not getattr(field, "generated", False):
                result.append(field.name)
    return result
