"""/sitemap.xml: every public record page, and the site's fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actors.models import Actor
from articles.models import Agreement, Event, Source


class _RecordSitemap(Sitemap):
    model = None
    changefreq = "weekly"

    def items(self):
        return self.model.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


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
