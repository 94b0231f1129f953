"""/sitemap.xml: an index of one sitemap per kind of record (every public record page) and
one of the site's fixed pages.

An index, not one file: 15,000 records made a 2 MB sitemap that took 2 s to build; a section
page holds at most ``limit`` addresses.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from actors.models import Actor
from articles.models import Agreement, Event, Source


class _RecordSitemap(Sitemap):
    model = None
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return self.model.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # For the index; Django's default calls lastmod() on every item.
        return self.model.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class EventSitemap(_RecordSitemap):
    model = Event
    priority = 0.8


class AgreementSitemap(_RecordSitemap):
    model = Agreement
    priority = 0.8


class ActorSitemap(_RecordSitemap):
    model = Actor
    priority = 0.7


class SourceSitemap(_RecordSitemap):
    model = Source
    priority = 0.6


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "home",
            "timeline",
            "articles:event-list",
            "articles:agreement-list",
            "actors:list",
            "articles:source-list",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "events": EventSitemap,
    "agreements": AgreementSitemap,
    "actors": ActorSitemap,
    "sources": SourceSitemap,
}
