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
"""

from collections import defaultdict

from django.db.models import Q

from ruiraq.models import EditorialStatus, is_supporting


def left_without_evidence(*, removed=(), replaced=(), sources=(), source_status=None):
    """The published records that would lose their last supporting citation, in a stable
    order (kind, then id).

    Queries: the citations touched, then per kind of record touched its published records
    and all their citations with their sources (at most 1 + 2×4).
    """
    from articles.models import Citation

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
