from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from ruiraq.health import healthz
from ruiraq.site import editorial, reports, sitemaps, views
from ruiraq.site.feeds import CorrectionsFeed, LatestRecordsFeed
from ruiraq.site.sitemaps import SITEMAPS

# Unprefixed and always English: for machines (load balancers, crawlers), not readers.
# Function views that are not the site's own are wrapped in require_safe: they answered
# TRACE (and any other method) with the page.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One sitemap for all languages: each address lists its Russian and Arabic alternates.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemaps_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/v1/", include("ruiraq.site.api_urls")),
    path("api/reconcile/", include("ruiraq.site.reconcile_urls")),
]

# The pages people read, in each language: English at today's addresses, Russian under /ru/,
# Arabic under /ar/ (settings.LANGUAGES). The admin too, so /ru/admin/ is a Russian admin.
# The feed is here as well: /feed/ stays the English feed, /ru/feed/ and /ar/feed/ have
# translated titles and link to the pages in their language.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("actors.urls")),
    path("", views.HomeView.as_view(), name="home"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("timeline/data.json", views.timeline_data, name="timeline-data"),
    path("network/", views.NetworkView.as_view(), name="network"),
    path("network/data.json", views.network_data, name="network-data"),
    path("network/edge/", views.NetworkEdgeView.as_view(), name="network-edge"),
    path(
        "network/edge.json",
        views.NetworkEdgeView.as_view(),
        {"as_json": True},
        name="network-edge-data",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", require_safe(LatestRecordsFeed()), name="feed"),
    # The editorial process, in the open: corrections, how records are made, the licence.
    path("corrections/", editorial.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", require_safe(CorrectionsFeed()), name="corrections-feed"),
    path(
        "about/",
        editorial.AboutPageView.as_view(template_name="ruiraq/about.html"),
        name="about",
    ),
    path(
        "methodology/",
        editorial.AboutPageView.as_view(template_name="ruiraq/methodology.html"),
        name="methodology",
    ),
    path(
        "licence/",
        editorial.AboutPageView.as_view(template_name="ruiraq/licence.html"),
        name="licence",
    ),
    path("sitemap/", editorial.SitemapPageView.as_view(), name="sitemap-page"),
    # "Report an error" on a record: its own uncached page (ruiraq.site.reports).
    path("report/<str:kind>/<slug:slug>/", reports.ReportView.as_view(), name="report"),
    path(
        "report/<str:kind>/<slug:slug>/thanks/",
        reports.ReportThanksView.as_view(),
        name="report-thanks",
    ),
    prefix_default_language=False,
)
