"""
The editors' desk: what the admin index shows each editor before the list of tables.

- records in review, oldest first, by kind (for a reviewer: what waits for them);
- changes to published records waiting for review (ruiraq.revisions): for a reviewer those
  they may approve, for an editor their own;
- the editor's own drafts (records whose history says they created or last edited them);
- readers' open error reports (articles.models.ErrorReport), oldest first;
- published records that rest on a single source, or that a cited source disputes;
- how many search documents edits left waiting (ruiraq.search.documents), when there are
  some: if that stays, `refresh_search --pending` is not running.

A fixed number of queries whatever the data: one per kind for each list, each cut at
``LIMIT`` rows (one more is read to know whether there are more), and one for the reports.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.urls import reverse

from actors.models import Actor, Tie
from articles.models import Agreement, ErrorReport, Event, Source
from ruiraq.models import EditorialStatus, Stance
from ruiraq.revisions.models import PendingRevision
from ruiraq.search.documents import PendingDocument

#: What a list on the desk shows before linking to the whole changelist.
LIMIT = 10
#: The curated records, in the order the desk lists them.
CURATED = (Event, Agreement, Actor, Tie, Source)
#: The records that make a claim and so rest on evidence.
CLAIMS = (Event, Agreement, Actor, Tie)


@dataclass
class Group:
    """Records of one kind on the desk: at most LIMIT of them, and where to find them all."""

    name: str
    rows: list
    more: bool
    url: str
    extra: dict = field(default_factory=dict)


def _changelist(model, **query):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@dataclass
class Row:
    record: object
    url: str


def _cut(queryset):
    """(rows, more): the first LIMIT records of ``queryset``, each with its change page."""
    records = list(queryset[: LIMIT + 1])
    rows = []
    for record in records[:LIMIT]:
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        rows.append(Row(record, url))
    return rows, len(records) > LIMIT


def _rows(model, queryset):
    # A tie names its two actors: joined, not fetched one by one.
    return queryset.select_related("subject", "object") if model is Tie else queryset


def _may_see(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def in_review(user):
    """[Group]: records waiting for review, by kind, the longest waiting first."""
    groups = []
    for model in CURATED:
        if not _may_see(user, model):
            continue
        queryset = model.objects.filter(status=EditorialStatus.IN_REVIEW).order_by(
            F("submitted_at").asc(nulls_first=True), "pk"
        )
        rows, more = _cut(_rows(model, queryset))
        if rows:
            url = _changelist(model, status__exact=EditorialStatus.IN_REVIEW)
            groups.append(Group(model._meta.verbose_name_plural, rows, more, url))
    return groups


def pending_revisions(user, reviewer):
    """A Group of changes to published records waiting for review, oldest first: those a
    ``reviewer`` may approve, or else the ones ``user`` proposed."""
    if reviewer:
        queryset = PendingRevision.objects.awaiting_review(user)
    else:
        queryset = PendingRevision.objects.awaiting_review().filter(author=user)
    rows, more = _cut(queryset)
    return Group(
        PendingRevision._meta.verbose_name_plural, rows, more, _changelist(PendingRevision)
    )


def my_drafts(user):
    """[Group]: drafts ``user`` created or edited (their history says so), latest first."""
    groups = []
    for model in CURATED:
        if not _may_see(user, model):
            continue
        mine = model.history.filter(history_user=user).values("id")
        queryset = model.objects.filter(status=EditorialStatus.DRAFT, pk__in=mine).order_by(
            "-updated_at", "-pk"
        )
        rows, more = _cut(_rows(model, queryset))
        if rows:
            url = _changelist(model, status__exact=EditorialStatus.DRAFT)
            groups.append(Group(model._meta.verbose_name_plural, rows, more, url))
    return groups


def open_reports(user):
    """A Group of readers' open error reports, oldest first, or None if ``user`` may not
    see them."""
    if not _may_see(user, ErrorReport):
        return None
    rows, more = _cut(ErrorReport.objects.open().with_records().order_by("created_at", "pk"))
    return Group(
        ErrorReport._meta.verbose_name_plural, rows, more, _changelist(ErrorReport, state="open")
    )


def weak_evidence(user):
    """[Group]: published records whose supporting citations all come from one source (or
    none), or that a cited source disputes; the thinnest first."""
    groups = []
    supporting = Q(citations__stance=Stance.SUPPORTS)
    for model in CLAIMS:
        if not _may_see(user, model):
            continue
        queryset = (
            model.objects.public()
            .annotate(
                sources=Count("citations__source", filter=supporting, distinct=True),
                disputes=Count("citations", filter=Q(citations__stance=Stance.DISPUTES)),
            )
            .filter(Q(sources__lte=1) | Q(disputes__gt=0))
            .order_by("sources", "-disputes", "pk")
        )
        rows, more = _cut(_rows(model, queryset))
        if rows:
            url = _changelist(model, status__exact=EditorialStatus.PUBLISHED)
            groups.append(Group(model._meta.verbose_name_plural, rows, more, url))
    return groups


def desk(user):
    """Everything the desk shows ``user``."""
    waiting = in_review(user)
    reviewer = any(user.has_perm(model.publish_permission()) for model in CURATED)
    return {
        "desk_reviewer": reviewer,
        "desk_in_review": waiting,
        "desk_revisions": pending_revisions(user, reviewer),
        "desk_drafts": my_drafts(user),
        "desk_reports": open_reports(user),
        "desk_weak": weak_evidence(user),
        "desk_search_waiting": PendingDocument.objects.backlog(),
    }
