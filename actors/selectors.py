"""
Reads about an actor that span several models: the events and agreements it took part in,
its ties, and the actors it most often appears with. Every function runs a fixed number of
queries, whatever the amount of data, and shows only published records.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from actors.models import Actor, Tie
from articles.models import Agreement, AgreementParty, Event, EventParticipant
from articles.selectors import AGREEMENT_CARD_FIELDS, EVENT_CARD_FIELDS, public_citations

_SPAN_FIELDS = ("start_date", "start_precision", "end_date", "end_precision")


def ties_of(actor):
    """The actor's public ties in both directions, in date order, with their evidence.

    Two queries: the ties, and their citations.
    """
    return (
        Tie.objects.public()
        .filter(Q(subject=actor) | Q(object=actor))
        .select_related("subject", "object")
        .only(
            "kind",
            "title",
            *_SPAN_FIELDS,
            "subject__slug",
            "subject__name",
            "object__slug",
            "object__name",
        )
        .prefetch_related(Prefetch("citations", queryset=public_citations()))
        .order_by("start_date", "pk")
    )


def participations_of(actor, limit):
    """Up to ``limit`` + 1 of the actor's roles in public events, latest first (one query).

    The extra row tells the page whether to link to the full, paginated event list.
    """
    # No EventParticipant.public() here: the actor is the page's own, already public.
    return list(
        EventParticipant.objects.filter(actor=actor, event__in=Event.objects.public())
        .select_related("event")
        .only(
            "role",
            "note",
            *(f"event__{f}" for f in EVENT_CARD_FIELDS),
        )
        .order_by("-event__start_date", "event__title", "pk")[: limit + 1]
    )


def agreement_parties_of(actor, limit):
    """Up to ``limit`` + 1 of the actor's roles in public agreements, latest first."""
    return list(
        AgreementParty.objects.filter(actor=actor, agreement__in=Agreement.objects.public())
        .select_related("agreement")
        .only(
            "role",
            "note",
            *(f"agreement__{f}" for f in AGREEMENT_CARD_FIELDS),
        )
        .order_by("-agreement__start_date", "agreement__title", "pk")[: limit + 1]
    )


def _count(queryset, field):
    """A correlated COUNT(DISTINCT field) subquery of ``queryset`` grouped by its actor."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("actor")
            .annotate(n=Count(field, distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _sum(first, second):
    return F(first) + F(second)


def co_participants(actor, limit=8):
    """The public actors that most often share a public event or agreement with ``actor``.

    One query. The candidates are only the actors who share at least one record, so the two
    correlated counts run for a handful of rows, not for every actor.
    """
    events = Event.objects.public().filter(participants__actor=actor).values("pk")
    agreements = Agreement.objects.public().filter(parties__actor=actor).values("pk")
    shared_events = EventParticipant.objects.filter(actor=OuterRef("pk"), event__in=events)
    shared_agreements = AgreementParty.objects.filter(
        actor=OuterRef("pk"), agreement__in=agreements
    )
    return (
        Actor.objects.public()
        .filter(
            Q(pk__in=EventParticipant.objects.filter(event__in=events).values("actor"))
            | Q(pk__in=AgreementParty.objects.filter(agreement__in=agreements).values("actor"))
        )
        .exclude(pk=actor.pk)
        .annotate(
            shared_events=_count(shared_events, "event"),
            shared_agreements=_count(shared_agreements, "agreement"),
        )
        .annotate(shared=_sum("shared_events", "shared_agreements"))
        .only("slug", "name", "kind")
        .order_by("-shared", "name")[:limit]
    )


def key_actors(limit=8):
    """The public actors taking part in the most public events and agreements (one query)."""
    in_events = EventParticipant.objects.filter(
        actor=OuterRef("pk"), event__in=Event.objects.public()
    )
    in_agreements = AgreementParty.objects.filter(
        actor=OuterRef("pk"), agreement__in=Agreement.objects.public()
    )
    return (
        Actor.objects.public()
        .annotate(
            event_count=_count(in_events, "event"),
            agreement_count=_count(in_agreements, "agreement"),
        )
        .annotate(records=_sum("event_count", "agreement_count"))
        .filter(records__gt=0)
        .only("slug", "name", "kind", "country")
        .order_by("-records", "name")[:limit]
    )
