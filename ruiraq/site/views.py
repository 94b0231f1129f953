"""The site-wide pages, which see both apps: home, timeline, search, robots.txt."""

from itertools import groupby

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from actors.models import Actor
from actors.selectors import key_actors
from articles.filters import EventFilter
from articles.models import Agreement, Event, Source
from ruiraq import search
from ruiraq.dates import FuzzyDate, Precision
from ruiraq.filters import YearFilter
from ruiraq.site import search as site_search
from ruiraq.views import PublicListView

# --- home -----------------------------------------------------------------------------------


#: The nouns under the home page's counts, in the plural form each number needs.
_COUNTED = {
    "event": npgettext_lazy("home page count", "event", "events", "count"),
    "agreement": npgettext_lazy("home page count", "agreement", "agreements", "count"),
    "actor": npgettext_lazy("home page count", "actor", "actors", "count"),
    "source": npgettext_lazy("home page count", "source", "sources", "count"),
}


class HomeView(TemplateView):
    template_name = "ruiraq/home.html"
    latest = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = [
            (Event, _COUNTED["event"], reverse("articles:event-list")),
            (Agreement, _COUNTED["agreement"], reverse("articles:agreement-list")),
            (Actor, _COUNTED["actor"], reverse("actors:list")),
            (Source, _COUNTED["source"], reverse("articles:source-list")),
        ]
        context["counts"] = []
        for model, label, url in counts:
            count = model.objects.public().count()
            # The noun agrees with its number: "1 событие", "3 события", "18 событий".
            context["counts"].append((label % {"count": count}, count, url))
        context["latest_events"] = Event.objects.public().latest_first().cards()[: self.latest]
        context["latest_agreements"] = (
            Agreement.objects.public().latest_first().cards()[: self.latest]
        )
        context["key_actors"] = key_actors(limit=8)
        return context


# --- timeline -------------------------------------------------------------------------------


class TimelineFilter(EventFilter):
    """The event filters, with one ``year`` in place of the range and no ordering choice:
    the timeline is always in date order."""

    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Year"))
    year_from = None
    year_to = None
    ordering = None


class TimelineView(PublicListView):
    """Published events by year and month, each at its own precision.

    An event known only to the year sits under its year, not in January; one known to the
    month or day sits under its month. Undated events come last.
    """

    model = Event
    filterset_class = TimelineFilter
    paginate_by = 100
    template_name = "ruiraq/timeline.html"

    def get_queryset(self):
        return (
            Event.objects.public()
            .order_by(F("start_date").asc(nulls_last=True), "start_precision", "title")
            .cards()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = _groups(context["object_list"])
        # Every year with a published event, for the year navigation: one small query.
        context["all_years"] = [
            d.year for d in Event.objects.public().dates("start_date", "year", order="ASC")
        ]
        return context


def _groups(events):
    """[(year, year_level_events, [(month, events)])], months as FuzzyDates; undated events
    under year None."""
    years = []
    for year, in_year in groupby(events, key=lambda e: e.start_date and e.start_date.year):
        year_level, by_month = [], []
        for event in in_year:
            known_to_year_only = year and event.start_precision == Precision.YEAR
            (year_level if known_to_year_only else by_month).append(event)
        months = [
            (month, list(month_events))
            for month, month_events in groupby(
                by_month,
                key=lambda e: e.start_date and FuzzyDate(e.start_date, Precision.MONTH),
            )
        ]
        years.append((year, year_level, months))
    return years


# --- search ---------------------------------------------------------------------------------


class SearchView(TemplateView):
    """/search/: a few public records of each kind matching ``q``, with links to the lists,
    which paginate the rest (they search through the same function)."""

    template_name = "ruiraq/search.html"
    per_kind = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = search.clean_query(raw)
        lists = {
            "actor": reverse("actors:list"),
            "event": reverse("articles:event-list"),
            "agreement": reverse("articles:agreement-list"),
            "source": reverse("articles:source-list"),
        }
        headings = {
            "actor": _("Actors"),
            "event": _("Events"),
            "agreement": _("Agreements"),
            "source": _("Sources"),
        }
        groups = []
        if query:
            for kind, queryset in site_search.search(query).items():
                found = list(queryset[: self.per_kind + 1])
                groups.append(
                    {
                        "kind": kind,
                        "heading": headings[kind],
                        "results": found[: self.per_kind],
                        "more": len(found) > self.per_kind,
                        "list_url": lists[kind],
                    }
                )
        context.update(
            query=query,
            terms=search.highlight_terms(query),
            groups=groups,
            found=any(g["results"] for g in groups),
        )
        return context


# --- robots.txt -----------------------------------------------------------------------------


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        # The same pages under each language's prefix (none for English).
        with translation.override(code):
            lines += [f"Disallow: {reverse('admin:index')}", f"Disallow: {reverse('search')}"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
