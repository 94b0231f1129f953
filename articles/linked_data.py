"""schema.org JSON-LD for the pages of events, agreements and sources (see
ruiraq/linked_data.py)."""

from actors.linked_data import schema_type
from articles.models import EventStatus, SourceKind
from ruiraq import linked_data
from ruiraq.languages import display_name

_EVENT_STATUS = {
    EventStatus.OCCURRED: "https://schema.org/EventScheduled",
    EventStatus.PLANNED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
_ORGANISERS = {"host", "organiser"}


def _actor(request, actor):
    return linked_data.reference(schema_type(actor.kind), request, actor, actor.name)


def event_document(event, request):
    """Uses the event's prefetched topics, participants and citations."""
    span = event.span
    place = None
    if event.place or event.country:
        place = {"@type": "Place", "name": display_name(event, "place") or event.country.name}
        if event.country:
            place["address"] = {"@type": "PostalAddress", "addressCountry": event.country.code}
    participants = list(event.participants.all())
    return linked_data.document(
        "Event",
        request,
        event,
        name=display_name(event, "title"),
        description=display_name(event, "summary"),
        startDate=linked_data.iso(span.start),
        endDate=linked_data.iso(span.end),
        eventStatus=_EVENT_STATUS.get(event.event_status),
        location=place,
        organizer=[_actor(request, p.actor) for p in participants if p.role in _ORGANISERS],
        attendee=[_actor(request, p.actor) for p in participants if p.role not in _ORGANISERS],
        keywords=[topic.display_name for topic in event.topics.all()],
        subjectOf=linked_data.cited_sources(event.citations.all()),
    )


def agreement_document(agreement, request):
    """Uses the agreement's prefetched topics, parties and citations. schema.org has no
    contract type: an agreement is a CreativeWork whose genre is its kind."""
    span = agreement.span
    return linked_data.document(
        "CreativeWork",
        request,
        agreement,
        name=display_name(agreement, "title"),
        genre=agreement.get_kind_display(),
        description=display_name(agreement, "summary"),
        dateCreated=linked_data.iso(span.start),
        expires=linked_data.iso(span.end),
        creativeWorkStatus=agreement.get_agreement_status_display(),
        contributor=[_actor(request, party.actor) for party in agreement.parties.all()],
        keywords=[topic.display_name for topic in agreement.topics.all()],
        subjectOf=linked_data.cited_sources(agreement.citations.all()),
    )


def source_document(source, request):
    """News reports are NewsArticles; analyses, statements, interviews and documents are
    CreativeWorks. The page is about the source: ``sameAs`` is the original."""
    authors = [name.strip() for name in source.authors.split(",") if name.strip()]
    return linked_data.document(
        "NewsArticle" if source.kind == SourceKind.NEWS else "CreativeWork",
        request,
        source,
        headline=source.title[:110],
        name=source.title,
        sameAs=[source.url],
        archivedAt=source.archive_url,
        datePublished=linked_data.iso(source.published),
        inLanguage=source.language,
        author=[{"@type": "Person", "name": name} for name in authors],
        publisher={"@type": "Organization", "name": source.outlet} if source.outlet else None,
        abstract=display_name(source, "summary"),
    )
