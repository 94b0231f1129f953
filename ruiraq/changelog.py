"""
The change log a public copy follows (ruiraq.models.RecordChange), kept by signals.

Wired in ``RuiraqConfig.ready()`` for every concrete ``EditorialModel`` with a slug
(actors, sources, events, agreements): ``post_init`` remembers the status a record was
loaded with, ``post_save`` notes a public record that stopped being public, and
``post_delete`` a public record that was deleted, which Django also sends for each row of
``queryset.delete()``. A merge says what replaced the deleted record by setting
``_replaced_by`` on it before deleting it (``Actor.merge_into``); earlier merges into the
deleted record are then pointed at the new survivor, so every entry names the last one.

Nothing is noted for a record that was never public: the log is public, and a draft's
existence is not.
"""

from ruiraq.models import ChangeKind, EditorialStatus, RecordChange


def _remember_status(sender, instance, **kwargs):
    # A deferred status is absent from __dict__: such a copy cannot change it (Django saves
    # only the loaded fields), so "unknown" is right.
    instance._loaded_status = instance.__dict__.get("status")


def _status_change(model, instance):
    """The entry for ``instance`` saved since it was loaded, unsaved, or None."""
    before = getattr(instance, "_loaded_status", None)
    after = instance.__dict__.get("status")
    instance._loaded_status = after
    if before != EditorialStatus.PUBLISHED or after in (None, before):
        return None
    kind = ChangeKind.WITHDRAWN if after == EditorialStatus.WITHDRAWN else ChangeKind.UNPUBLISHED
    return RecordChange(
        model=model._meta.label_lower, object_id=instance.pk, slug=instance.slug, kind=kind
    )


def note_status_change(sender, instance, created, raw=False, **kwargs):
    """A public record saved with another status: withdrawn or unpublished."""
    if raw or created:
        instance._loaded_status = instance.__dict__.get("status")
        return
    change = _status_change(sender, instance)
    if change is not None:
        change.save()


def note_status_changes(model, instances):
    """``note_status_change`` for loaded ``instances`` of ``model`` written in bulk (no
    signal): one INSERT for all, if any public record left the public."""
    changes = [_status_change(model, instance) for instance in instances]
    RecordChange.objects.bulk_create([change for change in changes if change is not None])


def note_deletion(sender, instance, **kwargs):
    """A public record deleted, or merged into ``_replaced_by``."""
    status = getattr(instance, "_loaded_status", None) or instance.__dict__.get("status")
    if status != EditorialStatus.PUBLISHED:
        return
    successor = getattr(instance, "_replaced_by", None)
    label = sender._meta.label_lower
    if successor is not None:
        # Records merged into this one earlier now lead to its survivor: one hop for readers.
        RecordChange.objects.filter(
            model=label, kind=ChangeKind.MERGED, replaced_by_id=instance.pk
        ).update(replaced_by_id=successor.pk, replaced_by_slug=successor.slug)
    RecordChange.objects.create(
        model=label,
        object_id=instance.pk,
        slug=instance.slug,
        kind=ChangeKind.MERGED if successor is not None else ChangeKind.DELETED,
        replaced_by_id=successor.pk if successor is not None else None,
        replaced_by_slug=successor.slug if successor is not None else "",
    )


def connect(models):
    """Wire the log's signals for ``models`` (called once, from AppConfig.ready())."""
    from django.db.models.signals import post_delete, post_init, post_save

    for model in models:
        uid = f"ruiraq-changelog-{model._meta.label}"
        post_init.connect(_remember_status, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(note_status_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(note_deletion, sender=model, dispatch_uid=f"{uid}-delete")
