"""The site-wide pages, which see both apps: home, timeline, search, robots.txt."""

from itertools import groupby

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from actors.models import Actor, ActorKind
from actors.selectors import key_actors
from articles.models import Agreement, Event, Source
from ruiraq import charts, search
from ruiraq.addresses import site_url
from ruiraq.dates import FuzzyDate, Precision, month_names
from ruiraq.site import network, timeline
from ruiraq.site import search as site_search
from ruiraq.views import dress_filter_form

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
        # The hero's other half: published events and agreements per year (2 GROUP BYs).
        context["activity"] = charts.records_per_year(
            _("Published records per year"),
            Event.objects.public(),
            Agreement.objects.public(),
        )
        return context


# --- timeline -------------------------------------------------------------------------------


class TimelineView(ListView):
    """/timeline/: the picture (ruiraq.site.timeline, drawn on the server as SVG) above the
    same records as a list by year and month, which is the page without JavaScript.

    An event or agreement known only to the year sits under its year, not in January; one
    known to the month or day sits under its month. Undated ones come last in the list (they
    have no place on the axis). A bad parameter is a form error and a 400.
    """

    paginate_by = 100
    template_name = "ruiraq/timeline.html"

    def get(self, request, *args, **kwargs):
        self.form = timeline.TimelinePageForm(request.GET)
        dress_filter_form(self.form)
        self.form.fields["actor"].widget.attrs.update(
            {"data-suggest": reverse("actors:suggest"), "autocomplete": "off"}
        )
        if not self.form.is_valid():
            self.object_list = []
            context = self.get_context_data(object_list=[])
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return timeline.listing(self.form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter={"form": self.form}, all_years=timeline.all_years())
        if not self.form.is_valid():
            return context
        params = self.form.cleaned_data
        # Queries: the topics menu, COUNT and the page of the list, its events and its
        # agreements, every year (navigation), and the picture's 4 (see timeline.build).
        records = timeline.cards(context["object_list"])
        context["years"] = _groups(records)
        data = timeline.build(params)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            picture=timeline.layout(data, params, rtl=translation.get_language_bidi()),
            timeline=data,
            query=query.urlencode(),
            year_query=_without(query, ("year", "year_from", "year_to")),
            month_names=month_names(),
            statuses=timeline.statuses(),
            selected_year=params.get("year"),
        )
        return context


def _without(query, names):
    """``query`` (a QueryDict) without ``names``, as a string ending in "&" when not empty."""
    rest = query.copy()
    for name in names:
        rest.pop(name, None)
    encoded = rest.urlencode()
    return f"{encoded}&" if encoded else ""


def _groups(records):
    """[(year, year_level_records, [(month, records)])], months as FuzzyDates; undated
    records under year None."""
    years = []
    for year, in_year in groupby(records, key=lambda r: r.start_date and r.start_date.year):
        year_level, by_month = [], []
        for record in in_year:
            known_to_year_only = year and record.start_precision == Precision.YEAR
            (year_level if known_to_year_only else by_month).append(record)
        months = [
            (month, list(month_records))
            for month, month_records in groupby(
                by_month,
                key=lambda r: r.start_date and FuzzyDate(r.start_date, Precision.MONTH),
            )
        ]
        years.append((year, year_level, months))
    return years


@require_safe
def timeline_data(request):
    """The timeline's items as JSON for the page's script, labels in the page's language."""
    form = timeline.TimelineForm(request.GET)
    if not form.is_valid():
        return JsonResponse(form_errors(form), status=400)
    return JsonResponse(
        timeline.build(form.cleaned_data), json_dumps_params={"ensure_ascii": False}
    )


# --- network --------------------------------------------------------------------------------


def form_errors(form):
    """{"parameter": ["message"]}: a form's errors as the API words them."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


class NetworkView(TemplateView):
    """/network/: the actor network, drawn by static/js/network.js from ``data.json``; the
    same connections as a table sorted on the server, which is the page without JavaScript.

    With ``actor`` it is that actor's neighbourhood. A bad parameter is a form error and a 400.
    """

    template_name = "ruiraq/network.html"
    #: Connections the table lists, strongest first by default; the exports hold them all.
    table_rows = 300

    def get(self, request, *args, **kwargs):
        form = network.NetworkPageForm(request.GET)
        dress_filter_form(form)
        context = self.get_context_data(filter={"form": form}, kinds=ActorKind.choices)
        if form.is_valid():
            graph = network.build(form.cleaned_data)
            query = request.GET.copy()
            query.pop("sort", None)
            rows = network.sort_edges(graph, form.cleaned_data.get("sort"))
            context.update(
                graph=graph,
                rows=rows,
                shown_rows=rows[: self.table_rows],
                hidden_rows=max(0, len(rows) - self.table_rows),
                nodes=sorted(graph["nodes"], key=lambda n: (-n["weight"], n["label"])),
                query=query.urlencode(),
                sort=form.cleaned_data.get("sort") or "-weight",
                more=_more_query(query, graph),
                centre=form.cleaned_data.get("actor"),
            )
            return self.render_to_response(context)
        return self.render_to_response(context, status=400)


def _more_query(query, graph):
    """The query string showing more actors, or "" when all are shown or the cap is reached."""
    if not graph["truncated"] or graph["limit"] >= network.MAX_LIMIT:
        return ""
    more = query.copy()
    more["limit"] = min(graph["limit"] * 2, network.MAX_LIMIT)
    return more.urlencode()


@require_safe
def network_data(request):
    """The network as JSON for the page's script, labels in the page's language."""
    form = network.NetworkForm(request.GET)
    if not form.is_valid():
        return JsonResponse(form_errors(form), status=400)
    return JsonResponse(network.build(form.cleaned_data), json_dumps_params={"ensure_ascii": False})


class NetworkEdgeView(TemplateView):
    """/network/edge/: what stands behind one connection — the shared records and the ties,
    each with its evidence. The page's script shows the same in its side panel (JSON)."""

    template_name = "ruiraq/network_edge.html"

    def get(self, request, *args, **kwargs):
        form = network.EdgeForm(request.GET)
        as_json = kwargs.get("as_json")
        if not form.is_valid():
            if as_json:
                return JsonResponse(form_errors(form), status=400)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        found = network.edge(data, data["source"], data["target"])
        if as_json:
            return JsonResponse(found, json_dumps_params={"ensure_ascii": False})
        query = request.GET.copy()
        for name in ("source", "target"):
            query.pop(name, None)
        sections = [
            (_("Ties"), found["ties"]),
            (_("Shared events"), found["events"]),
            (_("Shared agreements"), found["agreements"]),
        ]
        context = self.get_context_data(
            form=form, edge=found, sections=sections, query=query.urlencode()
        )
        return self.render_to_response(context)


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


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        # The same pages under each language's prefix (none for English).
        with translation.override(code):
            lines += [f"Disallow: {reverse('admin:index')}", f"Disallow: {reverse('search')}"]
    lines.append(f"Sitemap: {site_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
