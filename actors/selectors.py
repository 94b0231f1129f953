"""
Reads about an actor that span several models: the events and agreements it took part in,
its ties, and the actors it most often appears with. Every function runs a fixed number of
queries, whatever the amount of data, and shows only published records.
"""

from collections import Counter

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from actors.models import Actor, Tie
from articles.models import Agreement, AgreementParty, Event, EventParticipant
from ruiraq import charts


def ties_of(actor):
    """The actor's public ties in both directions, in date order, with their evidence.

    Two queries: the ties, and their citations.
    """
    return Tie.objects.filter(Q(subject=actor) | Q(object=actor)).for_page()


def participations_of(actor, limit):
    """Up to ``limit`` + 1 of the actor's roles in public events, latest first (one query).

    The extra row tells the page whether to link to the full, paginated event list.
    """
    # No with_public_actor() here: the actor is the page's own, already public.
    roles = EventParticipant.objects.filter(actor=actor).with_public_record()
    return list(roles.with_record(Event.CARD_FIELDS)[: limit + 1])


def agreement_parties_of(actor, limit):
    """Up to ``limit`` + 1 of the actor's roles in public agreements, latest first."""
    roles = AgreementParty.objects.filter(actor=actor).with_public_record()
    return list(roles.with_record(Agreement.CARD_FIELDS)[: limit + 1])


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


def _shared(rows, record, records):
    """{(actor id, name): how many of ``records`` it shares}, grouped in the database."""
    return dict(
        ((actor_id, name), n)
        for actor_id, name, n in rows.filter(**{f"{record}__in": records})
        .order_by()
        .values_list("actor", "actor__name")
        .annotate(n=Count(record, distinct=True))
    )


def co_participants(actor, limit=8):
    """The public actors that most often share a public event or agreement with ``actor``.

    Three queries: the shared events per actor and the shared agreements per actor (each a
    GROUP BY over the rows of the actor's own records only), then the top actors. A single
    query with a correlated count per candidate took 250 ms for an actor with 500 events
    (PostgreSQL, 10,000 events); this takes a few. Each actor gets ``shared_events``,
    ``shared_agreements`` and ``shared``.
    """
    others = EventParticipant.objects.filter(actor__in=Actor.objects.public().exclude(pk=actor.pk))
    shared_events = _shared(
        others, "event", Event.objects.public().filter(participants__actor=actor).values("pk")
    )
    shared_agreements = _shared(
        AgreementParty.objects.filter(actor__in=Actor.objects.public().exclude(pk=actor.pk)),
        "agreement",
        Agreement.objects.public().filter(parties__actor=actor).values("pk"),
    )
    totals = Counter(shared_events) + Counter(shared_agreements)
    top = sorted(totals, key=lambda key: (-totals[key], key[1], key[0]))[:limit]
    actors = (
        Actor.objects.public()
        .only("slug", *Actor.NAME_FIELDS, "kind")
        .in_bulk([pk for pk, _ in top])
    )
    ranked = []
    for key in top:
        other = actors.get(key[0])
        if other is None:  # unpublished between the queries
            continue
        other.shared_events = shared_events.get(key, 0)
        other.shared_agreements = shared_agreements.get(key, 0)
        other.shared = totals[key]
        ranked.append(other)
    # Equal counts in the order of the names the reader sees (as languages.name_ordering).
    return sorted(ranked, key=lambda a: (-a.shared, not a.local_name, a.local_name, a.name))


def activity_of(actor, title):
    """The actor's public events and agreements per year, as a chart (2 GROUP BY queries)."""
    return charts.records_per_year(
        title,
        Event.objects.public().filter(
            pk__in=EventParticipant.objects.filter(actor=actor).values("event")
        ),
        Agreement.objects.public().filter(
            pk__in=AgreementParty.objects.filter(actor=actor).values("agreement")
        ),
    )


def key_actors(limit=8):
    """The public actors taking part in the most public events and agreements (one query).

    Actors with as many records are ordered by slug: a key that is the same in every
    language, so the home page shows the same actors in the same order in each (by the
    names a reader sees, a Russian page picked other actors for the last places).

    Each actor gets ``event_count``, ``agreement_count`` and ``records``. The correlated counts
    run for every public actor (about 250 ms for 2,000 actors and 10,000 events on
    PostgreSQL): the home page pays it once per content change, since the public cache
    (ruiraq.cache) keeps the page until a record changes.
    """
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
        .annotate(records=F("event_count") + F("agreement_count"))
        .filter(records__gt=0)
        .only("slug", *Actor.NAME_FIELDS, "kind", "country")
        .order_by("-records", "slug")[:limit]
    )
