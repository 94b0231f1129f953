"""Small builders for test records: valid defaults, anything overridable."""

import datetime as dt
import itertools

from actors.models import Actor, ActorAlias, Tie
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq.models import EditorialStatus

_seq = itertools.count(1)

PUBLISHED = EditorialStatus.PUBLISHED


def topic(**kw):
    n = next(_seq)
    kw.setdefault("name", f"Topic {n}")
    kw.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(**kw)


def source(**kw):
    n = next(_seq)
    kw.setdefault("title", f"Source {n}")
    kw.setdefault("url", f"https://example.org/source-{n}")
    kw.setdefault("outlet", "Example Outlet")
    kw.setdefault("published_date", dt.date(2019, 1, 31))
    kw.setdefault("status", PUBLISHED)
    return Source.objects.create(**kw)


def actor(**kw):
    n = next(_seq)
    kw.setdefault("name", f"Actor {n}")
    kw.setdefault("kind", "person")
    kw.setdefault("status", PUBLISHED)
    return Actor.objects.create(**kw)


def alias(actor_, name, **kw):
    return ActorAlias.objects.create(actor=actor_, name=name, **kw)


def tie(subject=None, object=None, **kw):
    kw.setdefault("kind", "position")
    kw.setdefault("title", "Ambassador")
    kw.setdefault("status", PUBLISHED)
    return Tie.objects.create(
        subject=subject or actor(), object=object or actor(kind="state"), **kw
    )


def event(**kw):
    n = next(_seq)
    kw.setdefault("title", f"Event {n}")
    kw.setdefault("kind", "meeting")
    kw.setdefault("start_date", dt.date(2019, 1, 29))
    kw.setdefault("status", PUBLISHED)
    return Event.objects.create(**kw)


def agreement(**kw):
    n = next(_seq)
    kw.setdefault("title", f"Agreement {n}")
    kw.setdefault("kind", "arms_contract")
    kw.setdefault("start_date", dt.date(2017, 1, 1))
    kw.setdefault("start_precision", "year")
    kw.setdefault("status", PUBLISHED)
    return Agreement.objects.create(**kw)


def participant(event_, actor_, role="participant"):
    return EventParticipant.objects.create(event=event_, actor=actor_, role=role)


def party(agreement_, actor_, role="party"):
    return AgreementParty.objects.create(agreement=agreement_, actor=actor_, role=role)


def citation(target, source_=None, **kw):
    """Cite ``target`` (an event, agreement, actor or tie)."""
    kw.setdefault("quote", "A verbatim passage.")
    kw[target._meta.model_name] = target
    return Citation.objects.create(source=source_ or source(), **kw)
