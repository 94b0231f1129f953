"""
The stored search document of a searchable model, and the one mechanism that keeps it current.

A record's document is two columns of folded text derived from its own fields and from rows
it reads through relations (an event's citation quotes, an actor's aliases). Its own fields
are the record's business: ``save()`` derives the document, as save() derives a slug. The
rows it reads through relations are declared, once, on the model::

    class Event(SearchDocumentModel, ...):
        search_dependencies = ("citations", "citations__source")

Each entry is a lookup path from the model, as ``filter()`` takes it; a path implies its
prefixes ("citations__source" also reads "citations"). The paths and ``_search_related``
(which fetches those rows) must agree: a relation read but not declared goes stale, which
``manage.py refresh_search`` then reports as rebuilt documents. At start-up ``connect()`` (called
from ``RuiraqConfig.ready()``) resolves every path through ``_meta`` (a path that does not
resolve stops the start with ImproperlyConfigured) and connects one set of receivers to the
models and many-to-many tables on the paths: ``pre_save``/``post_save``,
``pre_delete``/``post_delete`` and ``m2m_changed``. Whatever writes a row through the ORM
one row at a time (a form, an admin action, ``queryset.delete()``, an import, a merge, a
revert) then refreshes the documents that read it, with ``refresh_search_documents``:
batched, writing only documents that changed, no history rows.

What a changed row refreshes depends on where its link to the record is stored:

- A row that holds the link (reverse foreign key: a Citation's ``event``): the records it
  pointed to before the save (read in ``pre_save``, one query) and after it, so a citation
  moved to another event leaves the first event's document too.
- A row the link points at (forward foreign key, either side of a many-to-many: a Source
  cited by citations): the records that reach it now, found by one query on the path
  (``Event.objects.filter(citations__source=…)``); on delete, found in ``pre_delete`` while
  the links still exist, refreshed in ``post_delete`` once the row is gone.
- A many-to-many link (``event.topics.add(…)``, ``.remove()``, ``.set()``, ``.clear()``, from
  either side): ``m2m_changed`` names the rows on the record's side (before a clear from the
  far side, one query reads them); a row of an explicit ``through`` model is a row that
  holds the link.

A row the link points at declares what of it other records' documents read,
``search_read_fields`` (its ``status``, for the door every document's related rows pass
through; an actor's names): saving it refreshes the records that reach it only when one of
those changed, or a foreign key a path goes on through (a tie's ends). An actor named in
20,000 events otherwise had their documents reread on every save, to find nothing changed
when an editor corrected its description (8 s at 100,000 events). A model reached by a path
that declares none stops the start with ImproperlyConfigured: what it lends a document is
said where it is saved, and said once.

An edit that reaches more records than a request should refresh (``SEARCH_REFRESH_AT_ONCE``,
5,000) records them as ``PendingDocument`` rows in its own transaction, for ``manage.py
refresh_search --pending`` (``PendingDocument.objects.refresh()``), run every minute: a new
name for an actor named in 20,000 events took 12 s at 100,000 events, so one named in
45,000 would pass gunicorn's 30-second timeout and the editor's save would fail. Only
where waiting makes public nothing unpublished: a change of a record's ``status``
(publishing or withdrawing an actor, a source, an event), or of a foreign key a path goes
on through (a tie's ends), is always refreshed at once, however many documents it reaches;
a name, an alias or a quote may be found by its old words for a minute.

Each row refreshes on its own: deleting N rows costs N small refreshes. ``deferred()``
gathers them into one pass at the end of a block, for bulk paths. Not seen, as with every
signal: ``queryset.update()``, ``bulk_create``/``bulk_update``, raw SQL and ``loaddata``
(raw saves). Their callers rebuild with ``manage.py refresh_search``, or derive the
documents themselves (ruiraq.devtools.synthetic).
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruiraq import cache
from ruiraq.search.folding import document

#: How many records one refresh reads and writes at most (keeps IN lists within limits).
REFRESH_BATCH = 500


#: Column suffixes of a translated text (ruiraq.languages): the English, then its copies.
_COPIES = ("", "_ru", "_ar")


class SearchDocumentModel(models.Model):
    """Abstract base of a searchable model: its stored, folded search document.

    A subclass says what goes in through ``_search_parts(related)`` (its own fields, plus the
    texts of related rows); if it reads related rows, it fetches them in
    ``_search_related(pks)`` and declares the paths it reads them through in
    ``search_dependencies`` (see the module docstring), which keep it current.
    """

    #: Lookup paths to the rows ``_search_related`` reads: see the module docstring.
    search_dependencies = ()

    search_title = models.TextField(
        _("search title"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded names or title, matched by search."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded descriptive text and quotes, matched by search."),
    )

    #: What the document is made of, for history's ``excluded_fields``: derived, not edited.
    SEARCH_FIELDS = ["search_title", "search_text"]

    class Meta:
        abstract = True

    def _search_parts(self, related):
        """``(title parts, text parts)`` of this record; ``related`` from _search_related."""
        raise NotImplementedError

    def texts(self, *bases):
        """Each of ``bases`` in every language of the site (English, Russian, Arabic): the
        one place a document takes in the translations of record text (ruiraq.languages), so
        a reader finds a record by its title or summary in any of them."""
        return tuple(getattr(self, f"{base}{suffix}", "") for base in bases for suffix in _COPIES)

    @classmethod
    def _search_related(cls, pks):
        """``{pk: [text, …]}``: texts of related rows that belong in the documents of ``pks``."""
        return {}

    def set_search_document(self, related=()):
        """Derive the document from this row's fields and ``related`` texts (no query)."""
        title, text = self._search_parts(list(related))
        self.search_title = document(title)
        self.search_text = document(text)

    def save(self, *args, **kwargs):
        """Derives the search document first; for a saved record that queries its related rows."""
        related = self._search_related([self.pk]).get(self.pk, ()) if self.pk else ()
        self.set_search_document(related)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SEARCH_FIELDS}
        return super().save(*args, **kwargs)

    @classmethod
    def refresh_search_documents(cls, pks):
        """Rebuild the documents of records ``pks`` after their related rows changed.

        Two queries, plus one UPDATE for the documents that differ; history is not touched.
        Returns how many documents changed.
        """
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return 0
        related = cls._search_related(pks)
        changed = []
        for obj in cls._default_manager.filter(pk__in=pks):
            before = (obj.search_title, obj.search_text)
            obj.set_search_document(related.get(obj.pk, ()))
            if (obj.search_title, obj.search_text) != before:
                changed.append(obj)
        for start in range(0, len(changed), REFRESH_BATCH):
            _write_documents(cls, changed[start : start + REFRESH_BATCH])
        return len(changed)


def _write_documents(model, records):
    """Store the documents of ``records`` (at most REFRESH_BATCH): one UPDATE joined to a
    VALUES list, on PostgreSQL and SQLite alike (their VALUES columns are both named
    column1…).

    Not ``bulk_update``: its CASE of one WHEN per row and field was 60% of a refresh (1.9 s
    of 3.1 for 2,000 events), which made saving an actor named in 20,000 events take 19 s.
    One statement, not one per row: PostgreSQL runs the published counts' statement-level
    trigger (ruiraq.counts) once per UPDATE.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    title, text = (quote(model._meta.get_field(name).column) for name in model.SEARCH_FIELDS)
    rows = ", ".join(["(%s, %s, %s)"] * len(records))
    sql = (
        f"UPDATE {table} SET {title} = v.column2, {text} = v.column3 FROM (VALUES {rows}) AS v "
        f"WHERE {table}.{quote(model._meta.pk.column)} = v.column1"
    )
    params = [value for r in records for value in (r.pk, r.search_title, r.search_text)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class PendingDocumentQuerySet(models.QuerySet):
    """The documents edits left waiting (see the module docstring)."""

    def _written(self):
        return self.using(router.db_for_write(self.model))

    def leave(self, root, pks):
        """Leave the documents of ``root`` records ``pks`` to ``refresh()``: rows written in
        the edit's own transaction.

        A record already waiting gets its row updated, not a second one, and the update
        waits for a ``refresh()`` holding that row (ON CONFLICT DO NOTHING would not: the
        run could then delete the row after reading the record as it was before this edit).
        Returns how many records were left."""
        rows = [self.model(record_model=root._meta.label, record_id=pk) for pk in sorted(pks)]
        self._written().bulk_create(
            rows,
            batch_size=REFRESH_BATCH,
            update_conflicts=True,
            unique_fields=["record_model", "record_id"],
            update_fields=["queued_at"],
        )
        return len(rows)

    def backlog(self):
        """``{"count": …, "since": …}``: how many records' documents wait, and since when
        the oldest has (None when none does). One query."""
        return self.aggregate(count=models.Count("pk"), since=models.Min("queued_at"))

    def refresh(self):
        """Refresh the waiting documents, a batch per transaction, oldest first; returns how
        many records were refreshed (``manage.py refresh_search --pending``).

        The batch's rows are locked until their documents are written and the rows deleted:
        an edit that leaves the same record waiting meanwhile writes its row after this
        commits, so its change is refreshed by the next run, from what it committed. The
        public cache is invalidated after the last batch (search results cached before it
        are stale).
        """
        written = self._written()
        done = 0
        while True:
            with transaction.atomic(using=written.db):
                batch = list(written.select_for_update().order_by("pk")[:REFRESH_BATCH])
                if not batch:
                    if done:
                        cache.invalidate()
                    return done
                by_model = group_pairs((row.record_model, row.record_id) for row in batch)
                for label, pks in by_model.items():
                    apps.get_model(label).refresh_search_documents(pks)
                written.filter(pk__in=[row.pk for row in batch]).delete()
            done += len(batch)


class PendingDocument(models.Model):
    """A record whose search document waits for ``PendingDocument.objects.refresh()``: an
    edit reached more records than it refreshes at once (see the module docstring)."""

    record_model = models.CharField(max_length=100)  # the model's label: "articles.Event"
    record_id = models.PositiveBigIntegerField()
    queued_at = models.DateTimeField(default=timezone.now)

    objects = PendingDocumentQuerySet.as_manager()

    class Meta:
        app_label = "ruiraq"
        constraints = [
            models.UniqueConstraint(
                fields=["record_model", "record_id"], name="pending_document_unique"
            )
        ]

    def __str__(self):
        return f"{self.record_model} {self.record_id}"


#: Inside left_waiting(): how many records' documents edits have left waiting.
_waiting = ContextVar("ruiraq_search_waiting", default=None)


@contextmanager
def left_waiting():
    """Count, within the block, the records whose documents its edits left waiting: yields
    a list whose one item is that count (the admin tells the editor that search will show
    the change later)."""
    count = [0]
    token = _waiting.set(count)
    try:
        yield count
    finally:
        _waiting.reset(token)


def group_pairs(pairs):
    """``[(key, value), …]`` → ``{key: [value, …]}`` (the shape _search_related returns)."""
    grouped = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


# --- the dependencies, resolved -------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    """A row of this model holds the link to ``back`` of ``root``: its ``attname`` column."""

    root: type
    back: str  # lookup from root to the row the link points at; "" for root itself
    attname: str


@dataclass(frozen=True)
class _Reached:
    """Rows of this model are reached from ``root`` by ``path`` (the link is stored elsewhere)."""

    root: type
    path: str


@dataclass(frozen=True)
class _Table:
    """A many-to-many table between the row at ``back`` of ``root`` and the next hop."""

    root: type
    back: str
    near_is_source: bool  # is the ``back`` side the model that declares the field?
    near_attname: str  # the table's column pointing at the ``back`` side
    far_attname: str  # … and at the other side


@dataclass
class _Dependents:
    """What rows of one model (or one many-to-many table) are read by."""

    links: list = field(default_factory=list)
    reached: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    #: The columns whose change refreshes ``reached``: search_read_fields, and the foreign
    #: keys a path goes on through.
    read: set = field(default_factory=set)
    #: Those of them whose change may wait (for PendingDocument.objects.refresh): the
    #: declared ones but the publication (``status``); not the foreign keys, which can
    #: change whether a row is public too.
    waitable: set = field(default_factory=set)


def _read_attnames(model):
    """The columns of ``model``'s ``search_read_fields``; ImproperlyConfigured if it has none."""
    names = getattr(model, "search_read_fields", None)
    if names is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} is read by search documents (search_dependencies) and "
            "declares no search_read_fields: the fields of it they read"
        )
    try:
        return {model._meta.get_field(name).attname for name in names}
    except FieldDoesNotExist as error:
        raise ImproperlyConfigured(f"{model._meta.label}.search_read_fields: {error}") from None


def resolve(root, path):
    """The hops of ``path`` from ``root``: ``[(model, entry), …]``, where a row of ``model``
    changing refreshes documents of ``root`` as ``entry`` (a _Link, _Reached or _Table) says.
    Raises ImproperlyConfigured for a path that does not resolve."""
    hops = []
    model, names = root, path.split("__")
    for depth, name in enumerate(names):
        back = "__".join(names[:depth])
        here = "__".join(names[: depth + 1])
        try:
            relation = model._meta.get_field(name)
        except FieldDoesNotExist:
            relation = None
        if relation is None or not relation.is_relation or relation.related_model is None:
            raise ImproperlyConfigured(
                f"{root._meta.label}.search_dependencies: {path!r} does not resolve at "
                f"{name!r} (not a relation of {model._meta.label})"
            )
        target = relation.related_model
        if relation.many_to_many:
            declared = relation if relation.concrete else relation.remote_field
            through = declared.remote_field.through
            near_is_source = relation.concrete
            near, far = declared.m2m_field_name(), declared.m2m_reverse_field_name()
            if not near_is_source:
                near, far = far, near
            near_attname = through._meta.get_field(near).attname
            far_attname = through._meta.get_field(far).attname
            hops.append((through, _Table(root, back, near_is_source, near_attname, far_attname)))
            if not through._meta.auto_created:
                # Rows written directly hold the link like any row with a foreign key.
                hops.append((through, _Link(root, back, near_attname)))
            hops.append((target, _Reached(root, here)))
        elif relation.concrete:  # a foreign key on this side: the link is stored here
            hops.append((target, _Reached(root, here)))
        else:  # a foreign key on the other side: its rows hold the link
            hops.append((target, _Link(root, back, relation.field.attname)))
        model = target
    return hops


#: {model or many-to-many table: _Dependents}, built by connect().
_DEPENDENTS = {}
_CONNECTED = []


def connect(all_models):
    """Resolve the ``search_dependencies`` of every model in ``all_models`` and connect the
    receivers that keep their documents current (once; calling it again rewires)."""
    for signal, sender, uid in _CONNECTED:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    _CONNECTED.clear()
    _DEPENDENTS.clear()
    all_models = list(all_models)
    for root in all_models:
        if not issubclass(root, SearchDocumentModel) or root._meta.proxy:
            continue
        for path in root.search_dependencies:
            hops = resolve(root, path)
            followers = [entry for _model, entry in hops[1:]] + [None]
            for (model, entry), after in zip(hops, followers, strict=True):
                dependents = _DEPENDENTS.setdefault(model, _Dependents())
                kind = {_Link: "links", _Reached: "reached", _Table: "tables"}[type(entry)]
                if entry not in getattr(dependents, kind):
                    getattr(dependents, kind).append(entry)
                if isinstance(entry, _Reached) and isinstance(after, _Reached):
                    # The path goes on through a foreign key of this row (a tie's subject):
                    # pointing it elsewhere changes what the documents read.
                    name = after.path.rsplit("__", 1)[-1]
                    dependents.read.add(model._meta.get_field(name).attname)
    for model, dependents in _DEPENDENTS.items():
        if dependents.reached:
            declared = _read_attnames(model)
            dependents.read |= declared
            dependents.waitable = declared - {_publication(model)}
    # Signals name the class saved: a proxy's rows are its concrete model's rows.
    proxies = [m for m in all_models if m._meta.proxy and m._meta.concrete_model in _DEPENDENTS]
    for model in proxies:
        _DEPENDENTS[model] = _DEPENDENTS[model._meta.concrete_model]
    for model, dependents in _DEPENDENTS.items():
        receivers = []
        if dependents.links or dependents.reached:
            receivers += [(pre_save, _pre_save), (post_save, _post_save)]
            receivers += [(pre_delete, _pre_delete), (post_delete, _post_delete)]
        if dependents.tables:
            receivers.append((m2m_changed, _m2m_changed))
        for signal, receiver in receivers:
            uid = f"ruiraq-search-{model._meta.label}-{receiver.__name__}"
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
            _CONNECTED.append((signal, model, uid))


# --- refreshing -----------------------------------------------------------------------------

#: While deferred(): {root model: pks} waiting for the end of the block; else None.
_pending = ContextVar("ruiraq_search_pending", default=None)


@contextmanager
def deferred():
    """Within the block, documents are refreshed once at its end instead of after each row:
    for bulk paths (deleting thousands of rows), where one refresh per row is slow. Nested
    blocks join the outermost one. Nothing is refreshed if the block raises."""
    if _pending.get() is not None:
        yield
        return
    pending = defaultdict(set)
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _refresh(pending)


def _refresh(stale, may_wait=False):
    """Refresh ``{root model: pks}`` now, or at the end of the deferred() block; with
    ``may_wait`` (no publication changed), more than SEARCH_REFRESH_AT_ONCE of one model
    are left to ``PendingDocument.objects.refresh()``."""
    pending = _pending.get()
    for root, pks in stale.items():
        pks.discard(None)
        if not pks:
            continue
        if pending is not None:
            pending[root] |= pks
            continue
        if may_wait and len(pks) > settings.SEARCH_REFRESH_AT_ONCE:
            left = PendingDocument.objects.leave(root, pks)
            if (count := _waiting.get()) is not None:
                count[0] += left
            continue
        pks = sorted(pks)
        for start in range(0, len(pks), REFRESH_BATCH):
            root.refresh_search_documents(pks[start : start + REFRESH_BATCH])


def _roots(root, back, pks, using):
    """Primary keys of the ``root`` records that reach rows ``pks`` by ``back``."""
    pks = set(pks) - {None}
    if not pks or not back:
        return pks
    reached = root._base_manager.using(using).filter(**{f"{back}__in": pks})
    return set(reached.values_list("pk", flat=True))


def _reaching(dependents, instance, using):
    """``{root: pks}`` of the records that reach ``instance`` through a stored link now."""
    stale = defaultdict(set)
    for entry in dependents.reached:
        stale[entry.root] |= _roots(entry.root, entry.path, [instance.pk], using)
    return stale


def _pre_save(sender, instance, raw, using, update_fields, **kwargs):
    """Read before the save (one query) where a row's links pointed, and what of it the
    documents reaching it read."""
    dependents = _DEPENDENTS[sender]
    if raw or instance._state.adding or instance.pk is None:
        return
    links = {entry.attname for entry in dependents.links}
    read = dependents.read if dependents.reached else set()
    if update_fields is not None:
        names = {sender._meta.get_field(name).attname for name in update_fields}
        links, read = links & names, read & names
    if links or read:  # None if the row is not there to read: everything counts as changed
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*links, *read)
        instance._search_before = stored.first()
    elif dependents.reached:  # saved without touching anything the documents read
        instance._search_before = {}


def _post_save(sender, instance, created, raw, using, **kwargs):
    if raw:
        return
    dependents = _DEPENDENTS[sender]
    before = instance.__dict__.pop("_search_before", None)
    stale = defaultdict(set)
    for entry in dependents.links:
        pointed = {getattr(instance, entry.attname), (before or {}).get(entry.attname)}
        stale[entry.root] |= _roots(entry.root, entry.back, pointed, using)
    # A new row is reached by nothing yet; a saved one that changed nothing its readers read
    # (the stored row as it was before the save, None if it could not be read) leaves them.
    changed = None
    if before is not None:
        changed = {
            attname
            for attname in dependents.read
            if attname in before and before[attname] != getattr(instance, attname)
        }
    if not created and (changed is None or changed):
        for root, pks in _reaching(dependents, instance, using).items():
            stale[root] |= pks
    # May the documents wait? Not when what decides whether a row is public changed.
    if dependents.reached:
        may_wait = changed is not None and changed <= dependents.waitable
    else:
        may_wait = _publication(sender) is None
    _refresh(stale, may_wait=may_wait)


def _pre_delete(sender, instance, using, **kwargs):
    """Find what reads the row while its links still exist; refreshed once it is gone."""
    dependents = _DEPENDENTS[sender]
    stale = _reaching(dependents, instance, using)
    for entry in dependents.links:
        pointed = [getattr(instance, entry.attname)]
        stale[entry.root] |= _roots(entry.root, entry.back, pointed, using)
    instance._search_stale = stale


def _post_delete(sender, instance, **kwargs):
    # A deleted row that was read for its publication (its own, or as a tie's end): at once.
    may_wait = _publication(sender) is None and not _DEPENDENTS[sender].reached
    _refresh(instance.__dict__.pop("_search_stale", {}), may_wait=may_wait)


def _publication(model):
    """The column saying whether rows of ``model`` are public (``status``), or None."""
    try:
        return model._meta.get_field("status").attname
    except FieldDoesNotExist:
        return None


def _m2m_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    for entry in _DEPENDENTS[sender].tables:
        instance_is_near = reverse != entry.near_is_source
        if action == "pre_clear" and not instance_is_near:
            # Which rows on the near side lose their link: gone after the clear.
            linked = sender._base_manager.using(using).filter(**{entry.far_attname: instance.pk})
            cleared = instance.__dict__.setdefault("_search_cleared", {})
            cleared[entry] = set(linked.values_list(entry.near_attname, flat=True))
            continue
        if action not in ("post_add", "post_remove", "post_clear"):
            continue
        if instance_is_near:
            near = {instance.pk}
        elif action == "post_clear":
            near = instance.__dict__.get("_search_cleared", {}).pop(entry, set())
        else:
            near = pk_set or set()
        _refresh({entry.root: _roots(entry.root, entry.back, near, using)})
