"""
Loading the seed dataset (``ruiraq/seed/seed.json``), curated by hand from the corpus.

Idempotent by natural keys (slugs; for ties, aliases, participants, parties and citations the
fields that identify them): a record whose fields already match is not saved again, so a
second load writes nothing, history included. The whole load is one transaction.

A database loaded from an earlier seed is brought up to this one: the records the seed's
``removed`` list names (``{"kind": "agreement", "slug": ...}``; a tie by ``subject``,
``object``, ``tie_kind`` and ``title``) are deleted if present, and the aliases,
participants, parties and citations of every seeded record that the seed no longer lists
are deleted too. Each deletion is one ``delete()``, so it lands in the history.
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
from ruiraq import languages
from ruiraq.dates import Precision
from ruiraq.models import EditorialStatus, Stance

SEED_PATH = Path(__file__).resolve().parent / "seed.json"
#: The sources' full texts: copies of the corpus files the seed names (``corpus_file``).
TEXTS_DIR = Path(__file__).resolve().parent / "texts"


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


def _translations(item, *bases):
    """The Russian and Arabic texts of ``bases`` ("title", "summary", …) the seed gives for
    ``item`` (``title_ru``, ``title_ar``, …), as model field values: "" where it gives none,
    so a translation dropped from the seed is cleared on the next load too."""
    return {
        f"{base}_{code}": item.get(f"{base}_{code}", "")
        for base in bases
        for code in languages.LOCAL_SCRIPTS
    }


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

    def prune(self, queryset, keep):
        """Delete the rows of ``queryset`` (a seeded record's children) not in ``keep``."""
        for obj in queryset.exclude(pk__in=[o.pk for o in keep]):
            obj.delete()
            self.counts[f"{obj._meta.model_name} deleted"] += 1

    def remove(self, items):
        """Delete the records an earlier seed had and this one drops (``removed``)."""
        models = {"actor": Actor, "event": Event, "agreement": Agreement}
        for item in items:
            if item["kind"] == "tie":
                found = Tie.objects.filter(
                    subject__slug=item["subject"],
                    object__slug=item["object"],
                    kind=item["tie_kind"],
                    title=item.get("title", ""),
                )
            elif item["kind"] in models:
                found = models[item["kind"]].objects.filter(slug=item["slug"])
            else:
                raise SeedError(f"cannot remove a record of kind {item['kind']!r}")
            for obj in found:
                if isinstance(obj, Actor):
                    # Participations and parties PROTECT their actor.
                    for row in [*obj.participations.all(), *obj.agreement_parties.all()]:
                        row.delete()
                obj.delete()
                self.counts[f"{obj._meta.model_name} deleted"] += 1

    def set_m2m(self, manager, objs):
        if set(manager.all()) != set(objs):
            manager.set(objs)

    def get(self, mapping, slug, what):
        try:
            return mapping[slug]
        except KeyError:
            raise SeedError(f"unknown {what} slug {slug!r}") from None

    def citations(self, target_field, target, items):
        kept = [
            self.upsert(
                Citation,
                {
                    "source": self.get(self.sources, item["source"], "source"),
                    target_field: target,
                    "quote": item["quote"],
                },
                {"locator": item.get("locator", ""), "stance": item.get("stance", Stance.SUPPORTS)},
            )
            for item in items
        ]
        self.prune(target.citations.all(), kept)

    def source_texts(self, sources):
        """Each seeded source with a ``corpus_file`` holds that file's text (TEXTS_DIR), set
        before any citation is checked against it (a source's save re-derives its existing
        citations' verification: articles.evidence)."""
        for s in sources:
            name = s.get("corpus_file")
            if not name:
                continue
            path = TEXTS_DIR / Path(name).name
            if not path.is_file():
                raise SeedError(f"source {s['slug']!r}: no text file {path.name!r} in {TEXTS_DIR}")
            source = self.sources[s["slug"]]
            text = path.read_text(encoding="utf-8")
            if source.text != text:
                source.text = text
                source.save()
                self.counts["source text updated"] += 1

    def run(self):
        data = self.data
        published = {"status": EditorialStatus.PUBLISHED}
        self.remove(data.get("removed", []))

        self.topics = {
            t["slug"]: self.upsert(
                Topic,
                {"slug": t["slug"]},
                {
                    "name": t["name"],
                    **_translations(t, "name"),
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
                    **_translations(s, "summary"),
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
        self.source_texts(data["sources"])

        self.actors = {}
        for a in data["actors"]:
            actor = self.upsert(
                Actor,
                {"slug": a["slug"]},
                {
                    "kind": a["kind"],
                    "name": a["name"],
                    **_translations(a, "name"),
                    "country": a.get("country", ""),
                    "description": a.get("description", ""),
                    **_translations(a, "description"),
                    "wikidata_id": a.get("wikidata_id", ""),
                    "editorial_note": a.get("editorial_note", ""),
                    **published,
                },
            )
            self.actors[a["slug"]] = actor
            aliases = [
                self.upsert(
                    ActorAlias,
                    {"actor": actor, "name": alias["name"]},
                    {"language": alias.get("language", "en"), "kind": alias.get("kind", "variant")},
                )
                for alias in a.get("aliases", [])
            ]
            self.prune(actor.aliases.all(), aliases)
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
                    **_fuzzy(t.get("as_of"), "as_of"),
                    **_translations(t, "title"),
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
                    **_translations(g, "title", "summary"),
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
            parties = [
                self.upsert(
                    AgreementParty,
                    {
                        "agreement": agreement,
                        "actor": self.get(self.actors, p["actor"], "actor"),
                        "role": p["role"],
                    },
                    {"note": p.get("note", "")},
                )
                for p in g.get("parties", [])
            ]
            self.prune(agreement.parties.all(), parties)
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
                    **_translations(e, "title", "place", "summary"),
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
            participants = [
                self.upsert(
                    EventParticipant,
                    {
                        "event": event,
                        "actor": self.get(self.actors, p["actor"], "actor"),
                        "role": p["role"],
                    },
                    {"note": p.get("note", "")},
                )
                for p in e.get("participants", [])
            ]
            self.prune(event.participants.all(), participants)
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
