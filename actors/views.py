"""Public pages about who: the actor list, an actor's page, and the actor slug suggestions."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from actors import selectors
from actors.filters import ActorFilter
from actors.linked_data import actor_document
from actors.models import Actor, ActorAlias, ActorKind
from articles.models import Citation, Correction
from ruiraq import languages, search
from ruiraq.views import PublicDetailView, PublicListView


class ActorListView(PublicListView):
    model = Actor
    filterset_class = ActorFilter
    api_route = "api:actor-list"

    def get_queryset(self):
        # Queries: the count (kept by ruiraq.counts when unfiltered) and the page of
        # actors; nothing related is shown.
        return (
            super()
            .get_queryset()
            .by_local_name()
            .only("slug", *Actor.NAME_FIELDS, "kind", "country", "description")
        )


class ActorDetailView(PublicDetailView):
    model = Actor
    linked_data = staticmethod(actor_document)
    #: How many events and agreements the page lists before linking to the filtered lists.
    shown = 50

    def get_queryset(self):
        # Queries: the actor, its aliases, its citations (with sources), its corrections.
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("aliases", queryset=ActorAlias.objects.only("actor", "name", "language")),
                Prefetch("citations", queryset=Citation.objects.for_page(of="actor")),
                Prefetch("corrections", queryset=Correction.objects.for_page()),
            )
        )

    def get_context_data(self, **kwargs):
        # Queries: ties and their citations, events, agreements, co-participants, and the
        # activity chart's events and agreements per year.
        context = super().get_context_data(**kwargs)
        actor = self.object
        participations = selectors.participations_of(actor, self.shown)
        parties = selectors.agreement_parties_of(actor, self.shown)
        context.update(
            ties=selectors.ties_of(actor),
            participations=participations[: self.shown],
            more_events=len(participations) > self.shown,
            parties=parties[: self.shown],
            more_agreements=len(parties) > self.shown,
            co_participants=selectors.co_participants(actor),
            activity=selectors.activity_of(
                actor,
                _("Published records per year involving %(name)s") % {"name": actor.display_name},
            ),
            # The network diagram's legend (its colours are the nodes').
            kinds=ActorKind.choices,
        )
        return context


@require_safe
def actor_suggestions(request):
    """Up to 10 public actors with a name or alias matching ``q``, best first, as JSON, for
    the actor fields of filter forms: ranked as /search/ ranks them, so a name that is or
    begins with what was typed comes first ("lav" → Sergey Lavrov), then by the name the
    reader sees.

    Progressive enhancement only: without JavaScript the field takes a name or slug typed by
    hand. Queries: one.
    """
    query = search.clean_query(request.GET.get("q", ""))
    actors = []
    if query:
        # By names and aliases only: a description that mentions the name is no suggestion.
        _exact, named = search.title_matches(Actor.objects.public(), query)
        found = search.ranked(
            named.only("slug", *Actor.NAME_FIELDS), query, tie_break=languages.name_ordering()
        )[:10]
        # Named as the page's reader sees them (the page's language prefix sets it).
        actors = [{"slug": actor.slug, "name": actor.display_name} for actor in found]
    return JsonResponse({"results": actors})
