from actors.filters import ActorFilter
from actors.models import Actor
from ruiraq.views import PublicDetailView, PublicListView


class ActorListView(PublicListView):
    model = Actor
    filterset_class = ActorFilter


class ActorDetailView(PublicDetailView):
    model = Actor
