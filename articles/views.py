"""Public pages of what was reported: events, agreements and sources, with their evidence.

Each ``get_queryset`` names every related row its template shows, so a page runs the same
number of queries with 5 records or 5,000 (see tests/test_site_queries.py).
"""

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from actors.models import Actor
from articles import selectors
from articles.filters import AgreementFilter, EventFilter, SourceFilter
from articles.linked_data import agreement_document, event_document, source_document
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Correction,
    Event,
    EventParticipant,
    Source,
    Stance,
    Topic,
)
from articles.selectors import claims_citing, related_sources
from ruiraq.views import PublicDetailView, PublicListView


def _topics():
    return Prefetch("topics", queryset=Topic.objects.tags())


def _roles(relation, model):
    """The record's participants or parties whose actor is public, with what a page links."""
    return Prefetch(
        relation, queryset=model.objects.with_public_actor().with_actor(Actor.LINK_FIELDS)
    )


def _disputing(record_field):
    """The public citations disputing each row of the page, as ``row.disputing``.

    A prefetch, not an EXISTS in the list query: PostgreSQL computed the EXISTS for every row
    an OFFSET skips (1.2 s for page 400 of 10,000 events); this runs for the page's rows only.
    """
    return Prefetch(
        "citations",
        queryset=Citation.objects.public(of=record_field)
        .filter(stance=Stance.DISPUTES)
        .only(record_field),
        to_attr="disputing",
    )


def _corrections():
    return Prefetch("corrections", queryset=Correction.objects.for_page())


def _evidence(record_field):
    return Prefetch("citations", queryset=Citation.objects.for_page(of=record_field))


def _with_disputed(context, record):
    context["disputed"] = any(c.stance == Stance.DISPUTES for c in record.citations.all())
    return context


# --- events ---------------------------------------------------------------------------------


class EventListView(PublicListView):
    model = Event
    filterset_class = EventFilter
    api_route = "api:event-list"

    def get_queryset(self):
        # Queries: the count (kept by ruiraq.counts when unfiltered), the page of events,
        # their participants (with actors), their topics, the citations disputing them.
        return (
            super()
            .get_queryset()
            .latest_first()
            .cards()
            # What the cards show with show_people (templates/articles/_event_item.html).
            .with_lists("participants", Topic.objects.tags(), Actor.LINK_FIELDS)
            .prefetch_related(_disputing("event"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The list filtered by a topic is that topic's page: it gets the topic's activity
        # over time (2 more queries), for all its events and agreements, not just this page.
        form = self.filterset.form
        topic = form.is_valid() and form.cleaned_data.get("topic")
        if topic:
            context["topic"] = topic
            context["activity"] = selectors.topic_activity(
                topic,
                _("Published records per year on %(topic)s") % {"topic": topic.display_name},
            )
        return context


class EventDetailView(PublicDetailView):
    model = Event
    linked_data = staticmethod(event_document)

    def get_queryset(self):
        # Queries: the event, topics, participants (with actors), agreements, citations,
        # corrections.
        return (
            super()
            .get_queryset()
            .prefetch_related(
                _topics(),
                _roles("participants", EventParticipant),
                Prefetch("agreements", queryset=Agreement.objects.public().cards().latest_first()),
                _evidence("event"),
                _corrections(),
            )
        )

    def get_context_data(self, **kwargs):
        return _with_disputed(super().get_context_data(**kwargs), self.object)


# --- agreements -----------------------------------------------------------------------------


class AgreementListView(PublicListView):
    model = Agreement
    filterset_class = AgreementFilter
    api_route = "api:agreement-list"

    def get_queryset(self):
        # Queries: the count (kept by ruiraq.counts when unfiltered), the page of
        # agreements, their parties (with actors), their topics, the citations disputing them.
        return (
            super()
            .get_queryset()
            .latest_first()
            .cards()
            # What the cards show with show_people (templates/articles/_agreement_item.html).
            .with_lists("parties", Topic.objects.tags(), Actor.LINK_FIELDS)
            .prefetch_related(_disputing("agreement"))
        )


class AgreementDetailView(PublicDetailView):
    model = Agreement
    linked_data = staticmethod(agreement_document)

    def get_queryset(self):
        # Queries: the agreement, topics, parties (with actors), events, citations,
        # corrections.
        return (
            super()
            .get_queryset()
            .prefetch_related(
                _topics(),
                _roles("parties", AgreementParty),
                Prefetch("events", queryset=Event.objects.public().cards().latest_first()),
                _evidence("agreement"),
                _corrections(),
            )
        )

    def get_context_data(self, **kwargs):
        return _with_disputed(super().get_context_data(**kwargs), self.object)


# --- sources --------------------------------------------------------------------------------


class SourceListView(PublicListView):
    model = Source
    filterset_class = SourceFilter
    api_route = "api:source-list"

    def get_queryset(self):
        # Queries: the count (kept by ruiraq.counts when unfiltered) and the page of
        # sources; nothing related is shown.
        return (
            super()
            .get_queryset()
            .order_by(F("published_date").desc(nulls_last=True), "title", "pk")
            .only(*Source.CARD_FIELDS)
        )


class SourceDetailView(PublicDetailView):
    model = Source
    linked_data = staticmethod(source_document)

    def get_queryset(self):
        # The full text is the editors' (Source.text): never read for a public page.
        return super().get_queryset().defer("text").prefetch_related(_corrections())

    def get_context_data(self, **kwargs):
        # Queries: the source, its corrections, its related sources, the records citing it
        # (with quotes).
        context = super().get_context_data(**kwargs)
        context["related"] = related_sources(self.object)
        context["claims"] = claims_citing(self.object)
        return context
