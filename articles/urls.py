from django.urls import path

from articles import views
from articles.models import Agreement, Event, Source
from ruiraq.views import CiteView

app_name = "articles"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    # A record's citation for reference managers: cite.bib, cite.ris, cite.json.
    path("events/<slug:slug>/cite.<str:format>", CiteView.as_view(model=Event), name="event-cite"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path(
        "agreements/<slug:slug>/cite.<str:format>",
        CiteView.as_view(model=Agreement),
        name="agreement-cite",
    ),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path(
        "sources/<slug:slug>/cite.<str:format>", CiteView.as_view(model=Source), name="source-cite"
    ),
]
