from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from ruiraq import views
from ruiraq.feeds import LatestRecordsFeed
from ruiraq.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("actors.urls")),
    path("", views.HomeView.as_view(), name="home"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", LatestRecordsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
