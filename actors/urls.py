from django.urls import path

from actors import views
from actors.models import Actor
from ruiraq.views import CiteView

app_name = "actors"

urlpatterns = [
    path("actors/", views.ActorListView.as_view(), name="list"),
    # Not a slug (it has a dot), so no actor's address can shadow it.
    path("actors/suggest.json", views.actor_suggestions, name="suggest"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="detail"),
    path("actors/<slug:slug>/cite.<str:format>", CiteView.as_view(model=Actor), name="cite"),
]
