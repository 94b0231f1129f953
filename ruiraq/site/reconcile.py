"""
Reconciliation: matching a researcher's list of names against ruiraq's public records, as
the W3C Reconciliation Service API 0.2 (the protocol OpenRefine speaks) asks.

Entities are actors, events and agreements. An entity's id is its address below the site's
root ("actors/sergey-lavrov"), so the manifest's ``view`` template is the public page
itself and a merged actor's old id still leads to the survivor (a 301).

Scoring (0–100). Names are compared folded (actors.names.name_key: case, accents, Cyrillic
transliteration, usual variants of transliteration, the Arabic article, word order):

- a query that folds exactly like a name, a Russian or Arabic name or an alias scores 100;
- otherwise the closest of them by ``difflib`` ratio on the folded text, times 90, so any
  exact name in any script beats any fuzzy one;
- each property given (``country``, ``kind``) adds 5 when it agrees and takes 20 when it
  disagrees.

A candidate is a ``match`` when it is exact, no property disagrees, and no other exact
candidate is in the same position.

Actors are matched in Python against the table of their names (two queries a batch,
whatever its size; quick for the thousands of actors an editorial database holds). Events
and agreements, of which there may be 100,000, are found first by ruiraq.search (one query
per query and kind), then scored the same way on their titles.
"""

import difflib
import json

from django.db.models import Prefetch

from actors.models import Actor, ActorAlias, ActorKind
from actors.names import name_key
from articles.models import Agreement, Event
from ruiraq import search

#: Most queries in one batch, and most candidates one query may ask for.
MAX_QUERIES = 50
MAX_LIMIT = 25
DEFAULT_LIMIT = 5
#: Below this ratio of the folded texts a fuzzy candidate is not offered.
FUZZY_CUTOFF = 0.6
#: How many events or agreements ruiraq.search offers per query, before scoring.
SEARCH_CANDIDATES = 25
#: What an actor's rank gains over an event's or agreement's in a suggestion across kinds.
ACTOR_FIRST = 1.5

EXACT, FUZZY_WEIGHT = 100.0, 90.0
PROPERTY_AGREES, PROPERTY_DISAGREES = 5.0, 20.0

#: The types: each actor kind, "actor" for any actor, "event" and "agreement".
ACTOR_TYPES = {kind.value: kind.label for kind in ActorKind}
TYPES = {"actor": "Actor (any kind)", **ACTOR_TYPES, "event": "Event", "agreement": "Agreement"}

#: Properties a query may give to sharpen the score: name → the record attribute.
QUERY_PROPERTIES = {"country": "country", "kind": "kind"}

#: Properties data extension offers: id → (name, which types have it).
EXTEND_PROPERTIES = {
    "country": ("Country (ISO 3166-1 code)", ("actor", "event")),
    "kind": ("Kind", ("actor", "event", "agreement")),
    "wikidata": ("Wikidata id", ("actor",)),
    "name_ru": ("Name in Russian", ("actor",)),
    "name_ar": ("Name in Arabic", ("actor",)),
    "start_date": ("Start date", ("event", "agreement")),
}


class BadRequest(ValueError):
    """A malformed reconciliation request; its message is the 400's ``detail``."""


# --- parsing ------------------------------------------------------------------------------------


def parse_json_parameter(raw, name):
    """The JSON object in the ``name`` parameter, or BadRequest."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"{name}: not valid JSON ({exc}).") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{name}: a JSON object is required.")
    return value


def _clean_query(key, query):
    if not isinstance(query, dict):
        raise BadRequest(f"queries.{key}: a JSON object is required.")
    text = query.get("query")
    if not isinstance(text, str) or not search.clean_query(text):
        raise BadRequest(f"queries.{key}.query: a non-empty string is required.")
    kind = query.get("type")
    if isinstance(kind, list):  # OpenRefine may send a list of types; the first rules
        kind = kind[0] if kind else None
    if isinstance(kind, dict):
        kind = kind.get("id")
    if kind is not None and kind not in TYPES:
        raise BadRequest(f"queries.{key}.type: unknown type {kind!r}; see defaultTypes.")
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"queries.{key}.limit: a whole number from 1 to {MAX_LIMIT}.")
    properties = {}
    for item in query.get("properties") or []:
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str):
            raise BadRequest(f"queries.{key}.properties: objects with a pid and a v.")
        value = item.get("v")
        if isinstance(value, dict):
            value = value.get("id") or value.get("name")
        if item["pid"] in QUERY_PROPERTIES and isinstance(value, str) and value.strip():
            properties[item["pid"]] = value.strip()
    return {
        "query": search.clean_query(text),
        "type": kind,
        "limit": limit,
        "properties": properties,
    }


def parse_queries(raw):
    """``{key: {"query", "type", "limit", "properties"}}`` from a ``queries`` parameter."""
    queries = parse_json_parameter(raw, "queries")
    if not queries:
        raise BadRequest("queries: at least one query is required.")
    if len(queries) > MAX_QUERIES:
        raise BadRequest(f"queries: at most {MAX_QUERIES} queries in one batch.")
    return {str(key): _clean_query(key, query) for key, query in queries.items()}


# --- ids ----------------------------------------------------------------------------------------

_PREFIXES = {"actors": Actor, "events": Event, "agreements": Agreement}


def entity_id(record):
    return record.get_absolute_url().strip("/")


def records_for(ids):
    """{id: public record} for the ids given ("actors/<slug>", …): one query per kind."""
    slugs = {}
    for value in ids:
        prefix, _sep, slug = str(value).partition("/")
        if prefix in _PREFIXES and slug:
            slugs.setdefault(prefix, set()).add(slug)
    found = {}
    for prefix, wanted in slugs.items():
        for record in _PREFIXES[prefix].objects.public().filter(slug__in=wanted):
            found[f"{prefix}/{record.slug}"] = record
    return found


def type_of(record):
    if isinstance(record, Actor):
        return {"id": record.kind, "name": str(ACTOR_TYPES[record.kind])}
    kind = "event" if isinstance(record, Event) else "agreement"
    return {"id": kind, "name": str(TYPES[kind])}


def _family(record):
    return "actor" if isinstance(record, Actor) else type_of(record)["id"]


# --- scoring ------------------------------------------------------------------------------------


def _name_score(folded_query, names):
    """(score, exact) of the best of ``names`` (folded) for the folded query."""
    if folded_query in names:
        return EXACT, True
    best = 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded_query)
    for name in names:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
            continue
        best = max(best, matcher.ratio())
    return (round(best * FUZZY_WEIGHT, 2), False) if best >= FUZZY_CUTOFF else (0.0, False)


def _candidate(record, names, query):
    score, exact = _name_score(name_key(query["query"]), names)
    if score <= 0:
        return None
    features = [{"id": "name_exact", "value": exact}, {"id": "name_score", "value": score}]
    disagrees = False
    for pid, wanted in query["properties"].items():
        have = getattr(record, QUERY_PROPERTIES[pid], None)
        if have is None:
            continue
        agrees = str(have).casefold() == wanted.casefold()
        disagrees |= not agrees
        score += PROPERTY_AGREES if agrees else -PROPERTY_DISAGREES
        features.append({"id": pid, "value": agrees})
    return {
        "record": record,
        "score": max(0.0, min(100.0, score)),
        "exact": exact,
        "disagrees": disagrees,
        "features": features,
    }


class ActorNames:
    """Every public actor with its folded names (name, Russian, Arabic, aliases).

    Loaded once for a batch: two queries.
    """

    def __init__(self):
        aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor", "name"))
        self.actors = list(
            Actor.objects.public()
            .only("pk", "slug", "kind", "country", *Actor.NAME_FIELDS, "description")
            .prefetch_related(aliases)
        )
        self.names = {
            actor.pk: {
                name_key(name)
                for name in (
                    actor.name,
                    actor.name_ru,
                    actor.name_ar,
                    *(a.name for a in actor.aliases.all()),
                )
                if name and name_key(name)
            }
            for actor in self.actors
        }

    def candidates(self, query):
        kind = query["type"]
        found = []
        for actor in self.actors:
            if kind not in (None, "actor") and actor.kind != kind:
                continue
            candidate = _candidate(actor, self.names[actor.pk], query)
            if candidate is not None:
                found.append(candidate)
        return found


def _titled_candidates(model, query):
    """Public events or agreements that ruiraq.search finds for the query, scored by title."""
    found = search.ranked(model.objects.public(), query["query"]).only(
        "pk", "slug", "title", "kind", *(("country",) if model is Event else ())
    )[:SEARCH_CANDIDATES]
    candidates = []
    for record in found:
        candidate = _candidate(record, {name_key(record.title)}, query)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def reconcile(queries):
    """The result batch for parsed ``queries`` (``parse_queries``), in the protocol's shape.

    Queries: two for the actors' names if any query may be an actor, and one per query for
    each of events and agreements it may be.
    """
    actor_names = None
    results = {}
    for key, query in queries.items():
        kind = query["type"]
        candidates = []
        if kind is None or kind == "actor" or kind in ACTOR_TYPES:
            actor_names = actor_names or ActorNames()
            candidates += actor_names.candidates(query)
        if kind in (None, "event"):
            candidates += _titled_candidates(Event, query)
        if kind in (None, "agreement"):
            candidates += _titled_candidates(Agreement, query)
        candidates.sort(key=lambda c: (-c["score"], str(c["record"])))
        # Certain only when one exact candidate stands alone among those no property
        # contradicts: two namesakes are a choice for the researcher.
        exact = [c for c in candidates if c["exact"] and not c["disagrees"]]
        results[key] = {
            "result": [
                {
                    "id": entity_id(c["record"]),
                    "name": str(c["record"]),
                    "description": _description(c["record"]),
                    "type": [type_of(c["record"])],
                    "score": c["score"],
                    "match": len(exact) == 1 and c is exact[0],
                    "features": c["features"],
                }
                for c in candidates[: query["limit"]]
            ]
        }
    return results


def _description(record):
    """One line about a candidate, from the columns the candidate queries load."""
    if isinstance(record, Actor):
        parts = [str(ACTOR_TYPES[record.kind]), record.country.name, record.name_ru, record.name_ar]
        return " · ".join(part for part in parts if part)
    return type_of(record)["name"]


def describe(record):
    """What the preview card says under the name: kind, country or date, other names."""
    if isinstance(record, Actor):
        return _description(record)
    parts = [record.get_kind_display(), record.when]
    if isinstance(record, Event):
        parts += [record.place, record.get_event_status_display()]
    else:
        parts += [record.get_agreement_status_display()]
    return " · ".join(str(part) for part in parts if part)


# --- suggest ------------------------------------------------------------------------------------


def suggest(prefix, kind=None, limit=10):
    """Entities whose name or title starts like ``prefix`` (ruiraq.search), best first.

    One query per kind of record searched.
    """
    query = search.clean_query(prefix)
    if not query:
        return []
    models = []
    if kind in (None, "actor") or kind in ACTOR_TYPES:
        actors = Actor.objects.public()
        if kind in ACTOR_TYPES:
            actors = actors.filter(kind=kind)
        models.append(actors.only("pk", "slug", "kind", "country", *Actor.NAME_FIELDS))
    if kind in (None, "event"):
        models.append(Event.objects.public().only("pk", "slug", "title", "kind"))
    if kind in (None, "agreement"):
        models.append(Agreement.objects.public().only("pk", "slug", "title", "kind"))
    found = []
    for queryset in models:
        found += list(search.ranked(queryset, query)[:limit])
    # Across kinds, an actor named like the prefix comes before the records about it ("Lavrov"
    # → Sergey Lavrov, then "Lavrov remarks on …"): a title that begins with a name earns the
    # same bonus a name does (ruiraq.search), and an entity service suggests entities first.
    found.sort(
        key=lambda record: (
            -(getattr(record, "search_rank", 0) + (ACTOR_FIRST if isinstance(record, Actor) else 0))
        )
    )
    return [
        {
            "id": entity_id(record),
            "name": str(record),
            "description": _description(record),
            "notable": [type_of(record)],
        }
        for record in found[:limit]
    ]


# --- data extension -----------------------------------------------------------------------------


def _extend_value(record, pid):
    family = _family(record)
    if family not in EXTEND_PROPERTIES[pid][1]:
        return []
    if pid == "country":
        return [{"str": record.country.code}] if record.country else []
    if pid == "kind":
        return [{"str": record.kind}]
    if pid == "wikidata":
        return [{"str": record.wikidata_id}] if record.wikidata_id else []
    if pid in ("name_ru", "name_ar"):
        value = getattr(record, pid)
        return [{"str": value}] if value else []
    if pid == "start_date":
        if record.start_date is None:
            return []
        return [{"date": f"{record.start_date.isoformat()}T00:00:00Z"}]
    return []


def parse_extend(raw):
    request = parse_json_parameter(raw, "extend")
    ids = request.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("extend.ids: a list of entity ids is required.")
    if len(ids) > MAX_QUERIES * 4:
        raise BadRequest(f"extend.ids: at most {MAX_QUERIES * 4} ids in one request.")
    properties = request.get("properties")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        raise BadRequest("extend.properties: a list of objects with an id is required.")
    unknown = [p["id"] for p in properties if p["id"] not in EXTEND_PROPERTIES]
    if unknown:
        raise BadRequest(f"extend.properties: unknown property {unknown[0]!r}.")
    return ids, [p["id"] for p in properties]


def extend(ids, pids):
    """The data extension response: each id's values of each property (one query per kind
    of record asked about). An id that is not a public record gets no values."""
    records = records_for(ids)
    return {
        "meta": [{"id": pid, "name": EXTEND_PROPERTIES[pid][0]} for pid in pids],
        "rows": {
            entity: {
                pid: _extend_value(records[entity], pid) if entity in records else []
                for pid in pids
            }
            for entity in ids
        },
    }


def propose_properties(kind):
    family = "actor" if kind in ACTOR_TYPES or kind == "actor" else kind
    return [
        {"id": pid, "name": name}
        for pid, (name, families) in EXTEND_PROPERTIES.items()
        if family is None or family in families
    ]
