"""The read API's addresses, under /api/v1/ (namespace ``api``)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from actors.api import ActorViewSet
from articles.api import AgreementViewSet, EventViewSet, SourceViewSet, TopicViewSet
from ruiraq.site.api import (
    ApiRootView,
    DocsView,
    DumpFileView,
    DumpView,
    ExportView,
    FtmExportView,
    NetworkEdgeView,
    NetworkView,
    NotFoundView,
    SearchView,
    TimelineView,
)
from ruiraq.site.changes import ChangesView
from ruiraq.site.corrections import CorrectionsView

app_name = "api"


class _Router(routers.DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False  # ?format=csv is the one way to ask for a format


router = _Router()
router.register("events", EventViewSet, basename="event")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("actors", ActorViewSet, basename="actor")
router.register("sources", SourceViewSet, basename="source")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = [
    *router.urls,
    path("search/", SearchView.as_view(), name="search"),
    path("network/", NetworkView.as_view(), name="network"),
    path("network/edge/", NetworkEdgeView.as_view(), name="network-edge"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("corrections/", CorrectionsView.as_view(), name="corrections"),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("export/", ExportView.as_view(), name="export"),
    path("export/dump/", DumpView.as_view(), name="export-dump"),
    path(
        "export/dump/<str:build>/<str:name>",
        DumpFileView.as_view(),
        name="export-dump-file",
    ),
    path("export/ftm/", FtmExportView.as_view(), name="export-ftm"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the site's CSP forbids inline ones.
    path(
        "docs/",
        DocsView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    # Last: any other address below /api/v1/ answers a JSON 404 (not the site's HTML page).
    re_path(r"^[\s\S]*/$", NotFoundView.as_view()),
]
