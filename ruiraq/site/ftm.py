"""
The published dataset in FollowTheMoney (FtM), the entity model Aleph and OpenSanctions
share: one JSON object per line, ``{"id", "schema", "properties": {name: [values]}}``.

- Actors: Person (people), Company (companies), PublicBody (states and government bodies),
  Organization (parties, armed groups, international organisations, media). Names in
  Russian and Arabic and the aliases are ``alias``; the Wikidata id is ``wikidataId``.
- Ties: a position in a state → Representation (the office holder represents the state: an
  ambassador, a minister); any other position or a leadership → Directorship; membership →
  Membership; ownership of a company → Ownership. A tie FtM cannot type (a person "owning"
  a person, a position in a person) → UnknownLink with the tie's kind as its role.
- Events: Event, ``organizer`` its hosts and organisers, ``involved`` everyone else.
- Agreements: Contract (amount, currency, status, date); its buyers are the ``authority``,
  each supplier a ContractAward with the value; other parties (signatory, operator, …) an
  UnknownLink to the contract with the party's role.
- Sources: Article (news, analysis, interview) or Document (statements, documents); each
  public citation makes its source a ``proof`` of the record it supports, and the
  source's address is the record's ``sourceUrl``.

Dates keep their precision ("2014", "2019-03", "2019-01-29"), as FtM's dates allow.
Only public records, through ``public()``; ids are ``ruiraq-<kind>-<id>``, stable across
exports. ``followthemoney`` itself is needed only by the tests that validate this output.
"""

import itertools
from collections import defaultdict

from django.db.models import Prefetch

from actors.models import Actor, ActorAlias, ActorKind, Tie, TieKind
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    PartyRole,
    Source,
    SourceKind,
)

CHUNK = 500

_ACTOR_SCHEMAS = {
    ActorKind.PERSON: "Person",
    ActorKind.COMPANY: "Company",
    ActorKind.STATE: "PublicBody",
    ActorKind.GOVERNMENT_BODY: "PublicBody",
}
_ORGANISATIONS = {"Company", "PublicBody", "Organization"}
_ORGANISERS = {"host", "organiser"}
_ARTICLE_KINDS = {SourceKind.NEWS, SourceKind.ANALYSIS, SourceKind.INTERVIEW}
#: FtM names languages by ISO 639-2 code; sources record ISO 639-1. Others are left out.
_LANGUAGES = {"en": "eng", "ru": "rus", "ar": "ara", "fr": "fra", "de": "deu", "ku": "kur",
              "fa": "fas", "tr": "tur", "zh": "zho", "es": "spa"}  # fmt: skip


def entity_id(kind, pk):
    return f"ruiraq-{kind}-{pk}"


def actor_schema(kind):
    return _ACTOR_SCHEMAS.get(kind, "Organization")


def _entity(schema, kind, pk, **properties):
    """An FtM entity; empty values are left out, every value is a list of strings."""
    cleaned = {}
    for name, values in properties.items():
        if not isinstance(values, list | tuple):
            values = [values]
        values = [str(value) for value in values if value not in (None, "")]
        if values:
            cleaned[name] = list(dict.fromkeys(values))
    return {"id": entity_id(kind, pk), "schema": schema, "properties": cleaned}


def _date(fuzzy):
    return fuzzy.iso() if fuzzy else None


class _Evidence:
    """The public sources citing each record, by the citation's target: one query."""

    def __init__(self):
        self.sources = defaultdict(list)
        citations = Citation.objects.public().only("source", *(f"{t}_id" for t in Citation.TARGETS))
        for citation in citations.order_by("pk").iterator(chunk_size=CHUNK * 4):
            for target in Citation.TARGETS:
                pk = getattr(citation, f"{target}_id")
                if pk is not None:
                    self.sources[(target, pk)].append(citation.source_id)

    def proof(self, target, pk):
        return [entity_id("source", source) for source in self.sources[(target, pk)]]


class _Urls:
    """Absolute addresses of public pages, from the site's root (``base``)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def __call__(self, record):
        return f"{self.base}{record.get_absolute_url()}"


def _sources():
    for source in Source.objects.public().order_by("pk").iterator(chunk_size=CHUNK):
        schema = "Article" if source.kind in _ARTICLE_KINDS else "Document"
        yield _entity(
            schema,
            "source",
            source.pk,
            title=source.title,
            sourceUrl=source.url,
            publisher=source.outlet,
            author=source.authors,
            publishedAt=_date(source.published),
            language=_LANGUAGES.get(source.language),
            summary=source.summary,
        )


def _actors(urls, evidence):
    aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor", "name"))
    actors = Actor.objects.public().order_by("pk").prefetch_related(aliases)
    for actor in actors.iterator(chunk_size=CHUNK):
        yield _entity(
            actor_schema(actor.kind),
            "actor",
            actor.pk,
            name=actor.name,
            alias=[actor.name_ru, actor.name_ar, *(a.name for a in actor.aliases.all())],
            country=actor.country.code.lower() if actor.country else None,
            description=actor.description,
            wikidataId=actor.wikidata_id,
            sourceUrl=urls(actor),
            proof=evidence.proof("actor", actor.pk),
        )


def _tie_schema(tie):
    """(schema, subject property, object property) for a tie, by kind and by what FtM
    allows on each end."""
    target = actor_schema(tie.object.kind)
    if tie.kind == TieKind.POSITION and tie.object.kind == ActorKind.STATE:
        return "Representation", "agent", "client"
    if target in _ORGANISATIONS:
        if tie.kind in (TieKind.POSITION, TieKind.LEADERSHIP):
            return "Directorship", "director", "organization"
        if tie.kind == TieKind.MEMBERSHIP:
            return "Membership", "member", "organization"
    if tie.kind == TieKind.OWNERSHIP and target == "Company":
        return "Ownership", "owner", "asset"
    return "UnknownLink", "subject", "object"


def _ties(urls, evidence):
    ties = (
        Tie.objects.public()
        .select_related("subject", "object")
        .only("pk", "kind", "title", "start_date", "start_precision", "end_date",
              "end_precision", "subject__kind", "subject__slug", "object__kind")
        .order_by("pk")
    )  # fmt: skip
    for tie in ties.iterator(chunk_size=CHUNK):
        schema, subject, target = _tie_schema(tie)
        span = tie.span
        yield _entity(
            schema,
            "tie",
            tie.pk,
            **{
                subject: entity_id("actor", tie.subject_id),
                target: entity_id("actor", tie.object_id),
            },
            role=tie.title or tie.get_kind_display(),
            startDate=_date(span.start),
            endDate=_date(span.end),
            sourceUrl=urls(tie),
            proof=evidence.proof("tie", tie.pk),
        )


def _events(urls, evidence):
    participants = Prefetch(
        "participants",
        queryset=EventParticipant.objects.with_public_actor().only("event", "actor", "role"),
        to_attr="public_participants",
    )
    events = Event.objects.public().order_by("pk").prefetch_related(participants)
    for event in events.iterator(chunk_size=CHUNK):
        span = event.span
        organisers = [p for p in event.public_participants if p.role in _ORGANISERS]
        others = [p for p in event.public_participants if p.role not in _ORGANISERS]
        yield _entity(
            "Event",
            "event",
            event.pk,
            name=event.title,
            summary=event.summary,
            startDate=_date(span.start),
            endDate=_date(span.end),
            location=event.place,
            country=event.country.code.lower() if event.country else None,
            organizer=[entity_id("actor", p.actor_id) for p in organisers],
            involved=[entity_id("actor", p.actor_id) for p in others],
            sourceUrl=urls(event),
            proof=evidence.proof("event", event.pk),
        )


def _agreements(urls, evidence):
    parties = Prefetch(
        "parties",
        queryset=AgreementParty.objects.with_public_actor().only("agreement", "actor", "role"),
        to_attr="public_parties",
    )
    agreements = Agreement.objects.public().order_by("pk").prefetch_related(parties)
    for agreement in agreements.iterator(chunk_size=CHUNK):
        span = agreement.span
        value = agreement.value_amount
        buyers = [p for p in agreement.public_parties if p.role == PartyRole.BUYER]
        yield _entity(
            "Contract",
            "agreement",
            agreement.pk,
            title=agreement.title,
            name=agreement.title,
            summary=agreement.summary,
            type=agreement.get_kind_display(),
            status=agreement.get_agreement_status_display(),
            contractDate=_date(span.start),
            amount=value,
            currency=agreement.value_currency if value is not None else None,
            authority=[entity_id("actor", p.actor_id) for p in buyers],
            sourceUrl=urls(agreement),
            proof=evidence.proof("agreement", agreement.pk),
        )
        for party in agreement.public_parties:
            if party.role == PartyRole.BUYER:
                continue
            if party.role == PartyRole.SUPPLIER:
                yield _entity(
                    "ContractAward",
                    "party",
                    party.pk,
                    contract=entity_id("agreement", agreement.pk),
                    supplier=entity_id("actor", party.actor_id),
                    amount=value,
                    currency=agreement.value_currency if value is not None else None,
                    role=party.get_role_display(),
                )
            else:
                yield _entity(
                    "UnknownLink",
                    "party",
                    party.pk,
                    subject=entity_id("actor", party.actor_id),
                    object=entity_id("agreement", agreement.pk),
                    role=party.get_role_display(),
                )


def entities(base_url):
    """Every public record as FtM entities, sources first (so ``proof`` points back).

    ``base_url`` is the site's root for the pages' addresses. Runs a fixed number of queries
    per chunk of records: the citations once, then each kind with its prefetches.
    """
    urls = _Urls(base_url)
    evidence = _Evidence()
    return itertools.chain(
        _sources(),
        _actors(urls, evidence),
        _ties(urls, evidence),
        _events(urls, evidence),
        _agreements(urls, evidence),
    )
