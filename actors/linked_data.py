"""schema.org JSON-LD for an actor's page (see ruiraq/linked_data.py)."""

from actors.models import ActorKind
from ruiraq import languages, linked_data

_TYPES = {
    ActorKind.PERSON: "Person",
    ActorKind.STATE: "GovernmentOrganization",
    ActorKind.GOVERNMENT_BODY: "GovernmentOrganization",
    ActorKind.COMPANY: "Corporation",
    ActorKind.MEDIA: "NewsMediaOrganization",
}


def schema_type(kind):
    """The schema.org type of an actor of ``kind``: Organization unless more is known."""
    return _TYPES.get(kind, "Organization")


def actor_document(actor, request):
    """Uses the actor's prefetched aliases and citations (no query of its own)."""
    kind = schema_type(actor.kind)
    names = [actor.name_ru, actor.name_ar, *(alias.name for alias in actor.aliases.all())]
    country = None
    if actor.country:
        place = {"@type": "Country", "identifier": actor.country.code, "name": actor.country.name}
        country = {"nationality": place} if kind == "Person" else {"areaServed": place}
    return linked_data.document(
        kind,
        request,
        actor,
        name=actor.name,
        alternateName=list(dict.fromkeys(name for name in names if name and name != actor.name)),
        description=languages.display_name(actor, "description"),
        sameAs=[actor.wikidata_url] if actor.wikidata_id else [],
        subjectOf=linked_data.cited_sources(actor.citations.all()),
        **(country or {}),
    )
