"""The Atom feeds, in each language of the site: newly published events and agreements, and
the corrections of public records.

RFC 4287 asks every feed for an id, a title, an updated date and an author (on the feed or
on each entry), and every entry for an id, a title, an updated date and a link: the feed's
author is ruiraq itself (the editors publish as the database), its id is its address in
its language, and each entry's id is the record's permalink, which never changes.
"""

from django.contrib.syndication.views import Feed
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Agreement, Correction, Event
from ruiraq import languages
from ruiraq.addresses import site_url


class LatestRecordsFeed(Feed):
    """The most recently published events and agreements, newest first (two queries)."""

    feed_type = Atom1Feed
    title = _("ruiraq: newly published events and agreements")
    subtitle = _("Russia–Iraq relations, every claim traced to a quoted source.")
    size = 30
    author_name = "ruiraq"

    def author_link(self):
        return site_url(reverse("home"))

    def get_object(self, request, *args, **kwargs):
        # The request, for the absolute address of the author's page.
        self.request = request
        return super().get_object(request, *args, **kwargs)

    # Absolute addresses on the configured site (Django's Feed would prefix the request's).
    def link(self):
        return site_url(reverse("home"))

    def feed_url(self):
        return site_url(reverse("feed"))

    def item_link(self, item):
        return site_url(item.get_absolute_url())

    def items(self):
        fields = (
            "slug",
            *languages.text_fields("title", "summary"),
            "published_at",
            "updated_at",
            "kind",
        )
        # A published record may lack its first-publication stamp (published through
        # queryset.update() or a bulk load, which skip save()): it then sorts and dates by
        # its last change, and never by None.
        newest = (Coalesce("published_at", "updated_at").desc(), "-pk")
        records = [
            *Event.objects.public().order_by(*newest).only(*fields)[: self.size],
            *Agreement.objects.public().order_by(*newest).only(*fields)[: self.size],
        ]
        records.sort(key=self.item_pubdate, reverse=True)
        return records[: self.size]

    # In the feed's language (the address it is read at), else English (ruiraq.languages).
    def item_title(self, item):
        return languages.display_name(item, "title")

    def item_description(self, item):
        return languages.display_name(item, "summary")

    def item_pubdate(self, item):
        return item.published_at or item.updated_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item._meta.verbose_name, item.get_kind_display()]


class CorrectionsFeed(LatestRecordsFeed):
    """The latest corrections of public records, newest first (one query).

    Each entry is one correction: its title names the corrected record, its summary says
    what changed, its link leads to the correction on the record's page, and its id is that
    address, which never changes.
    """

    title = _("ruiraq: corrections")
    subtitle = _("Published records the editors corrected, and what changed.")

    def link(self):
        return site_url(reverse("corrections"))

    def feed_url(self):
        return site_url(reverse("corrections-feed"))

    def items(self):
        return list(Correction.objects.public().with_records()[: self.size])

    def item_title(self, item):
        return _("Correction: %(record)s") % {"record": item.record}

    def item_description(self, item):
        return item.note

    def item_pubdate(self, item):
        return item.corrected_at

    def item_updateddate(self, item):
        return item.corrected_at

    def item_categories(self, item):
        return [item.record._meta.verbose_name]
