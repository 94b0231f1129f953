"""
Reads about an actor that span several models: the events and agreements it took part in,
its ties, and the actors it most often appears with. Every function runs a fixed number of
queries, whatever the amount of data, and shows only published records.
"""

from collections import Counter

from django.db.models import Count, Q

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
    """The public actors taking part in the most public events and agreements.

    Actors with as many records are ordered by slug: a key that is the same in every
    language, so the home page shows the same actors in the same order in each (by the
    names a reader sees, a Russian page picked other actors for the last places).

    Each actor gets ``event_count``, ``agreement_count`` and ``records``. Three queries: the
    public events of every public actor counted in one GROUP BY, the agreements in another,
    then the actors with at least as many records as the last place. (A correlated count per
    actor took 1.6 s at 5,000 actors and 100,000 events, as long again in every worker whose
    own cache missed the home page; the two GROUP BYs take a few hundred milliseconds.)
    """
    public_actors = Actor.objects.public()
    in_events = _counts_by_actor(
        EventParticipant.objects.filter(event__in=Event.objects.public()), "event", public_actors
    )
    in_agreements = _counts_by_actor(
        AgreementParty.objects.filter(agreement__in=Agreement.objects.public()),
        "agreement",
        public_actors,
    )
    records = in_events + in_agreements  # a Counter's sum keeps the actors with records only
    if not records or limit < 1:
        return []
    # Those tied with the last place are all fetched: the slug decides among them.
    last_place = sorted(records.values(), reverse=True)[:limit][-1]
    contenders = [pk for pk, n in records.items() if n >= last_place]
    actors = list(
        public_actors.filter(pk__in=contenders).only("slug", *Actor.NAME_FIELDS, "kind", "country")
    )
    for actor in actors:
        actor.event_count, actor.agreement_count = in_events[actor.pk], in_agreements[actor.pk]
        actor.records = records[actor.pk]
    return sorted(actors, key=lambda actor: (-actor.records, actor.slug))[:limit]


def _counts_by_actor(links, field, actors):
    """A Counter of the distinct ``field`` records each of ``actors`` is linked to through
    ``links`` (participations, parties): one GROUP BY."""
    return Counter(
        dict(
            links.filter(actor__in=actors)
            .order_by()
            .values("actor")
            .annotate(n=Count(field, distinct=True))
            .values_list("actor", "n")
        )
    )
