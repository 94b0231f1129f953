"""
Which published records a change to their evidence would leave unsupported.

A published event, agreement, actor or tie rests on at least one supporting citation whose
source is published (ruiraq.models: ``supporting_citations``/``is_supporting``, the one
definition, and ``EditorialModel.validate_publishable``, the one check). Publishing is
checked on the record; this module answers the other side, for the changes made to the
evidence itself:

- removing citations (``removed``: deleted in the admin, one by one or in bulk);
- replacing a citation by an edited copy (``replaced``: a new stance, source or record);
- sources leaving publication (``sources`` moved to ``source_status``: unpublished,
  withdrawn, sent back to review).

A record counts only if it is supported now and would not be after the change: a change
is never blamed for a record that had no evidence before it.

The callers (Source.evidence_lost_by, so validate_publishable; the citation form; the
citation admin's delete) refuse the change with EvidenceWouldBeLost naming the records, or,
for a reviewer who confirms, send them back to review in the same transaction
(EditorialModel.send_back_to_review).

It also keeps the status dates derived from the evidence (ruiraq.models.StatusAsOfModel)
current: the receivers at the end of this module, connected by ArticlesConfig.ready().

articles.models calls this module (Source.evidence_lost_by), so it reads the models through
the app registry (``apps.get_model``) rather than importing them back: no import cycle.
"""

from collections import defaultdict

from django.apps import apps
from django.db.models import Q

from ruiraq.models import EditorialStatus, is_supporting
from ruiraq.quotes import find_quote


def left_without_evidence(*, removed=(), replaced=(), sources=(), source_status=None):
    """The published records that would lose their last supporting citation, in a stable
    order (kind, then id).

    Queries: the citations touched, then per kind of record touched its published records
    and all their citations with their sources (at most 1 + 2×4).
    """
    Citation = apps.get_model("articles", "Citation")

    replaced = list(replaced)
    removed_pks = {c.pk for c in removed if c.pk} | {c.pk for c in replaced if c.pk}
    source_pks = {s.pk for s in sources if s.pk}
    if not removed_pks and not source_pks:
        return []
    targets = Citation.TARGETS
    touched = Citation.objects.filter(Q(pk__in=removed_pks) | Q(source__in=source_pks))
    by_kind = defaultdict(set)
    for row in touched.values_list(*(f"{name}_id" for name in targets)):
        for name, pk in zip(targets, row, strict=True):
            if pk is not None:
                by_kind[name].add(pk)

    lost = []
    for name in targets:
        if not by_kind[name]:
            continue
        model = Citation._meta.get_field(name).related_model
        if not model.requires_citation:
            continue
        records = {
            r.pk: r
            for r in model._default_manager.filter(
                pk__in=by_kind[name], status=EditorialStatus.PUBLISHED
            )
        }
        if not records:
            continue
        before = defaultdict(list)
        for citation in Citation.objects.filter(**{f"{name}_id__in": records}).select_related(
            "source"
        ):
            before[getattr(citation, f"{name}_id")].append(citation)
        supported = {pk for pk, citations in before.items() if any(map(is_supporting, citations))}
        for citations in before.values():
            for citation in citations:
                if citation.source_id in source_pks:
                    # A copy loaded for this question only: the source as it would be.
                    citation.source.status = source_status
        for pk, record in sorted(records.items()):
            if pk not in supported:
                continue
            after = [c for c in before[pk] if c.pk not in removed_pks]
            after += [c for c in replaced if getattr(c, f"{name}_id") == pk]
            if not any(is_supporting(c) for c in after):
                lost.append(record)
    return lost


# --- status dates follow the evidence -------------------------------------------------------
#
# An event's, agreement's or tie's "status as of" is derived from its supporting citations
# and their sources' publication dates (ruiraq.models.StatusAsOfModel). These receivers keep
# it current when a citation is saved or deleted (the records it cited before and after) and
# when a cited source is saved (its status or date may have changed). A source's save also
# re-derives its citations' quote_verified (Citation.save derives it for one citation) from
# its text as it now is.


def _refresh(stale):
    """Refresh ``{target name: pks}`` (Citation.TARGETS names) whose model dates a status."""
    Citation = apps.get_model("articles", "Citation")

    for name, pks in stale.items():
        model = Citation._meta.get_field(name).related_model
        pks = set(pks) - {None}
        if pks and hasattr(model, "refresh_status_as_of"):
            model.refresh_status_as_of(pks)


def _citation_pre_save(sender, instance, raw, **kwargs):
    """Where the citation pointed before the save (one query), so a moved citation also
    refreshes the record it leaves."""
    if raw or instance._state.adding or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk)
    instance._targets_before = stored.values(*(f"{n}_id" for n in sender.TARGETS)).first() or {}


def _citation_post_save(sender, instance, raw, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_targets_before", {})
    _refresh(
        {
            name: {getattr(instance, f"{name}_id"), before.get(f"{name}_id")}
            for name in sender.TARGETS
        }
    )


def _citation_post_delete(sender, instance, **kwargs):
    _refresh({name: {getattr(instance, f"{name}_id")} for name in sender.TARGETS})


def _source_post_save(sender, instance, raw, created, **kwargs):
    """A cited source's date, status or text may have changed: the status dates of the
    records citing it, and whether each of its quotes stands in its text (one query to
    read its citations, then an UPDATE of the flags that changed and a refresh per kind)."""
    Citation = apps.get_model("articles", "Citation")

    if raw or created:
        return
    citations = list(
        Citation.objects.filter(source=instance).only(
            "quote", "quote_verified", *(f"{name}_id" for name in Citation.TARGETS)
        )
    )
    stale = defaultdict(set)
    flipped = []
    for citation in citations:
        for name in Citation.TARGETS:
            stale[name].add(getattr(citation, f"{name}_id"))
        verified = find_quote(citation.quote, instance.text) is not None
        if verified != citation.quote_verified:
            citation.quote_verified = verified
            flipped.append(citation)
    if flipped:
        Citation.objects.bulk_update(flipped, ["quote_verified"])
    _refresh(stale)


def connect():
    """Wire the receivers (ArticlesConfig.ready())."""
    from django.db.models.signals import post_delete, post_save, pre_save

    Citation, Source = apps.get_model("articles", "Citation"), apps.get_model("articles", "Source")

    uid = "ruiraq-status-as-of"
    pre_save.connect(_citation_pre_save, sender=Citation, dispatch_uid=f"{uid}-citation-pre")
    post_save.connect(_citation_post_save, sender=Citation, dispatch_uid=f"{uid}-citation")
    post_delete.connect(_citation_post_delete, sender=Citation, dispatch_uid=f"{uid}-deleted")
    post_save.connect(_source_post_save, sender=Source, dispatch_uid=f"{uid}-source")
