from articles.filters import AgreementFilter, EventFilter, SourceFilter
from articles.models import Agreement, Event, Source
from ruiraq.views import PublicDetailView, PublicListView


class EventListView(PublicListView):
    model = Event
    filterset_class = EventFilter


class EventDetailView(PublicDetailView):
    model = Event


class AgreementListView(PublicListView):
    model = Agreement
    filterset_class = AgreementFilter


class AgreementDetailView(PublicDetailView):
    model = Agreement


class SourceListView(PublicListView):
    model = Source
    filterset_class = SourceFilter


class SourceDetailView(PublicDetailView):
    model = Source
