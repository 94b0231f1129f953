"""Views shared by both apps, and the site-wide pages: home, timeline, search, robots.txt."""

from itertools import groupby

from django import forms
from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from actors.models import Actor
from actors.selectors import key_actors
from articles.filters import EventFilter
from articles.models import Agreement, Event, Source
from articles.selectors import AGREEMENT_CARD_FIELDS, EVENT_CARD_FIELDS
from ruiraq import search
from ruiraq.dates import FuzzyDate, Precision
from ruiraq.filters import YearFilter


class PublicListView(FilterView):
    """A public list: the model's public records through its FilterSet, paginated.

    A bad filter value renders the form with its error and a 400; a bad or out-of-range
    ``page`` is a 404 (Django's paginator). Subclasses name the related rows their template
    shows in ``get_queryset``, so a page costs the same number of queries at any size.
    """

    paginate_by = 20
    template_name_suffix = "_list"
    #: Filter fields that take an actor's slug: the page's script suggests actors for them.
    actor_slug_fields = ("actor", "party")

    def get_queryset(self):
        return self.model.objects.public()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        _dress_filter_form(filterset.form)
        for name in self.actor_slug_fields:
            if name in filterset.form.fields:
                filterset.form.fields[name].widget.attrs.update(
                    {"data-suggest": reverse("actors:suggest"), "autocomplete": "off"}
                )
        return filterset


def _dress_filter_form(form):
    """Reader-facing wording for a FilterSet's form; its fields and validation are unchanged.

    The FilterSets are shared with the API, so the page words its own empty choices ("Any"
    instead of "---------"), drops the label colons and sorts the choices of records by their
    names in the reader's language here rather than in filters.py.
    """
    form.label_suffix = ""
    for name, field in form.fields.items():
        empty = _("Default order") if name == "ordering" else _("Any")
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = empty
            if hasattr(field.queryset, "by_local_name"):
                # Topics listed by the names the reader sees, in their language's order.
                field.queryset = field.queryset.by_local_name()
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.widget.choices)
            if choices and choices[0][0] == "":
                field.widget.choices = [("", empty)] + [
                    (value, capfirst(label)) for value, label in choices[1:]
                ]


class PublicDetailView(DetailView):
    """A public record by slug; anything not public is a 404.

    Staff who may change the model can preview an unpublished record: the page says so,
    asks search engines not to index it, and is never cached.
    """

    def get_queryset(self):
        if self._may_preview():
            return self.model._default_manager.all()
        return self.model.objects.public()

    def _may_preview(self):
        user = self.request.user
        opts = self.model._meta
        return user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_public
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["preview"]:
            add_never_cache_headers(response)
        return response


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
        dated_first = (F("start_date").desc(nulls_last=True), "title")
        context["latest_events"] = (
            Event.objects.public().order_by(*dated_first).only(*EVENT_CARD_FIELDS)[: self.latest]
        )
        context["latest_agreements"] = (
            Agreement.objects.public()
            .order_by(*dated_first)
            .only(*AGREEMENT_CARD_FIELDS)[: self.latest]
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
            .only(*EVENT_CARD_FIELDS)
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
            for kind, queryset in search.search(query).items():
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
