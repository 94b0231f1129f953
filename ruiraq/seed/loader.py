"""
Loading the seed dataset (``ruiraq/seed/seed.json``), curated by hand from the corpus.

Idempotent by natural keys (slugs; for ties, aliases, participants, parties and citations the
fields that identify them): a record whose fields already match is not saved again, so a
second load writes nothing, history included. The whole load is one transaction.
"""

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.db import transaction

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
from ruiraq.dates import Precision
from ruiraq.models import EditorialStatus

SEED_PATH = Path(__file__).resolve().parent / "seed.json"


class SeedError(Exception):
    pass


def _fuzzy(value, prefix):
    """{"date", "precision"} or None → model field values under ``prefix``."""
    if not value:
        return {f"{prefix}_date": None, f"{prefix}_precision": Precision.DAY}
    return {
        f"{prefix}_date": dt.date.fromisoformat(value["date"]),
        f"{prefix}_precision": value["precision"],
    }


def _authors(value):
    """The seed lists authors; the model keeps them as one comma-separated line."""
    if isinstance(value, list):
        return ", ".join(value)
    return value or ""


class _Loader:
    def __init__(self, data):
        self.data = data
        self.counts = Counter()

    def upsert(self, model, lookup, values):
        """Create, or update only when a field differs; returns the instance."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.counts[f"{model._meta.model_name} created"] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            self.counts[f"{model._meta.model_name} updated"] += 1
        return obj

    def set_m2m(self, manager, objs):
        if set(manager.all()) != set(objs):
            manager.set(objs)

    def get(self, mapping, slug, what):
        try:
            return mapping[slug]
        except KeyError:
            raise SeedError(f"unknown {what} slug {slug!r}") from None

    def citations(self, target_field, target, items):
        for item in items:
            self.upsert(
                Citation,
                {
                    "source": self.get(self.sources, item["source"], "source"),
                    target_field: target,
                    "quote": item["quote"],
                },
                {"locator": item.get("locator", ""), "stance": item.get("stance", "supports")},
            )

    def run(self):
        data = self.data
        published = {"status": EditorialStatus.PUBLISHED}

        self.topics = {
            t["slug"]: self.upsert(
                Topic,
                {"slug": t["slug"]},
                {
                    "name": t["name"],
                    "name_ru": t.get("name_ru", ""),
                    "name_ar": t.get("name_ar", ""),
                    "description": t.get("description", ""),
                },
            )
            for t in data["topics"]
        }

        self.sources = {}
        for s in data["sources"]:
            self.sources[s["slug"]] = self.upsert(
                Source,
                {"slug": s["slug"]},
                {
                    "title": s["title"],
                    "url": s.get("url", ""),
                    "outlet": s.get("outlet", ""),
                    "authors": _authors(s.get("authors")),
                    "language": s.get("language", "en"),
                    "kind": s["kind"],
                    "summary": s.get("summary", ""),
                    "editorial_note": s.get("editorial_note", ""),
                    **_fuzzy(s.get("published"), "published"),
                    **published,
                },
            )
        for s in data["sources"]:
            source = self.sources[s["slug"]]
            for field in ("republishes", "translation_of"):
                target = s.get(field)
                target = self.get(self.sources, target, "source") if target else None
                if getattr(source, field) != target:
                    setattr(source, field, target)
                    source.save()

        self.actors = {}
        for a in data["actors"]:
            actor = self.upsert(
                Actor,
                {"slug": a["slug"]},
                {
                    "kind": a["kind"],
                    "name": a["name"],
                    "name_ru": a.get("name_ru", ""),
                    "name_ar": a.get("name_ar", ""),
                    "country": a.get("country", ""),
                    "description": a.get("description", ""),
                    "wikidata_id": a.get("wikidata_id", ""),
                    "editorial_note": a.get("editorial_note", ""),
                    **published,
                },
            )
            self.actors[a["slug"]] = actor
            for alias in a.get("aliases", []):
                self.upsert(
                    ActorAlias,
                    {"actor": actor, "name": alias["name"]},
                    {"language": alias.get("language", "en"), "kind": alias.get("kind", "variant")},
                )
            self.citations("actor", actor, a.get("citations", []))

        for t in data.get("ties", []):
            tie = self.upsert(
                Tie,
                {
                    "subject": self.get(self.actors, t["subject"], "actor"),
                    "object": self.get(self.actors, t["object"], "actor"),
                    "kind": t["kind"],
                    "title": t.get("title", ""),
                },
                {
                    **_fuzzy(t.get("start"), "start"),
                    **_fuzzy(t.get("end"), "end"),
                    "editorial_note": t.get("editorial_note", ""),
                    **published,
                },
            )
            self.citations("tie", tie, t.get("citations", []))

        self.agreements = {}
        for g in data["agreements"]:
            value = g.get("value") or {}
            agreement = self.upsert(
                Agreement,
                {"slug": g["slug"]},
                {
                    "kind": g["kind"],
                    "title": g["title"],
                    "agreement_status": g["status"],
                    "summary": g.get("summary", ""),
                    "editorial_note": g.get("editorial_note", ""),
                    "value_amount": Decimal(value["amount"]) if value else None,
                    "value_currency": value.get("currency", ""),
                    "value_qualifier": value.get("qualifier", "exact"),
                    **_fuzzy(g.get("start"), "start"),
                    **_fuzzy(g.get("end"), "end"),
                    **published,
                },
            )
            self.agreements[g["slug"]] = agreement
            self.set_m2m(
                agreement.topics, [self.get(self.topics, s, "topic") for s in g.get("topics", [])]
            )
            for p in g.get("parties", []):
                self.upsert(
                    AgreementParty,
                    {
                        "agreement": agreement,
                        "actor": self.get(self.actors, p["actor"], "actor"),
                        "role": p["role"],
                    },
                    {"note": p.get("note", "")},
                )
            self.citations("agreement", agreement, g.get("citations", []))

        for e in data["events"]:
            event = self.upsert(
                Event,
                {"slug": e["slug"]},
                {
                    "kind": e["kind"],
                    "title": e["title"],
                    "place": e.get("place", ""),
                    "country": e.get("country", ""),
                    "event_status": e.get("status", "occurred"),
                    "summary": e.get("summary", ""),
                    "editorial_note": e.get("editorial_note", ""),
                    **_fuzzy(e.get("start"), "start"),
                    **_fuzzy(e.get("end"), "end"),
                    **published,
                },
            )
            self.set_m2m(
                event.topics, [self.get(self.topics, s, "topic") for s in e.get("topics", [])]
            )
            self.set_m2m(
                event.agreements,
                [self.get(self.agreements, s, "agreement") for s in e.get("agreements", [])],
            )
            for p in e.get("participants", []):
                self.upsert(
                    EventParticipant,
                    {
                        "event": event,
                        "actor": self.get(self.actors, p["actor"], "actor"),
                        "role": p["role"],
                    },
                    {"note": p.get("note", "")},
                )
            self.citations("event", event, e.get("citations", []))
        return self.counts


def load_seed(path=SEED_PATH):
    """Load the seed file; returns a Counter of what was created or updated."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    try:
        with transaction.atomic():
            return _Loader(data).run()
    except KeyError as exc:
        raise SeedError(f"seed file is missing the key {exc}") from None
