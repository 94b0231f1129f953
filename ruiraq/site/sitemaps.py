"""/sitemap.xml: an index of one sitemap per kind of record (every public record page) and
one of the site's fixed pages.

An index, not one file: 15,000 records made a 2 MB sitemap that took 2 s to build; a section
page holds at most ``limit`` addresses.

Every page exists in each of settings.LANGUAGES (English unprefixed, /ru/, /ar/): each is
listed once per language, with its alternates in the other languages and an x-default (the
English address), as search engines ask for multilingual sites.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from actors.models import Actor
from articles.models import Agreement, Event, Source
from ruiraq.addresses import site_url


class _MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # The configured site address (settings.SITE_URL), not the request's host and scheme.
    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class _InEachLanguage:
    """The (record, language) pairs of a queryset, as Django's i18n sitemap lists them, but
    lazily: its length is a COUNT and a page a slice of the queryset.

    Django builds the list of pairs for every record on every request, which reads the whole
    table to show one page of 5,000 addresses.
    """

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, list(languages)

    def count(self):
        return self.queryset.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("only plain slices of the pairs are supported")
        start, stop = index.start or 0, index.stop
        per = len(self.languages)
        first = start // per
        last = None if stop is None else -(-stop // per)  # ceiling: the record of stop - 1
        pairs = [(record, code) for record in self.queryset[first:last] for code in self.languages]
        offset = first * per
        return pairs[start - offset : None if stop is None else stop - offset]


class _RecordSitemap(_MultilingualSitemap):
    model = None
    changefreq = "weekly"
    # Addresses (a record in one language) a page. Each carries its three alternates and an
    # x-default, and reversing the URLs is most of the cost: measured with 15,000 events
    # (SQLite, 2 cores), 5,000 a page took 2.0 s, 2,000 take 0.5 s with the memo below. The
    # public cache keeps a page until the data changes.
    limit = 2000

    def items(self):
        return self.model.objects.public().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        # Django asks for each record's address in each language twice (as the page and as
        # an alternate): reverse it once. A Sitemap instance serves one request.
        paths = self.__dict__.setdefault("_paths", {})
        key = (item.pk, get_language())
        if key not in paths:
            paths[key] = item.get_absolute_url()
        return paths[key]

    def _items(self):
        return _InEachLanguage(self.items(), self._languages())

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


class PageSitemap(_MultilingualSitemap):
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


@require_safe
@x_robots_tag
def index(request):
    """/sitemap.xml: the address of each section's pages, on the configured site address.

    As django.contrib.sitemaps.views.index, which takes the host from the request.
    """
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = site_url(reverse("django.contrib.sitemaps.views.sitemap", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
