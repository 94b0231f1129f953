"""
The visual timeline: public events and agreements on a horizontal time axis, each drawn over
the whole period its dates cover and no more — a record known to the year spans its year, one
known to the month spans its month, a day range its days (``FuzzySpan.bounds``), so the
picture never invents a day. An agreement is drawn from its start (signing, or first report)
to its end when the sources give one; its status (in force, suspended, denied…) marks the bar.
The model holds one span per agreement: a separate date of entry into force or of a denial
is not recorded, so none is drawn.

How it is drawn. On the server, as SVG (``templates/ruiraq/_timeline_svg.html``): the picture
is there without JavaScript, in print and under the strict CSP (presentation attributes and
classes only), and each bar is a link to its record. ``static/js/timeline.js`` adds zoom and
pan by recomputing the same geometry from each bar's ``data-start``/``data-end`` (days since
1970), so it needs no library. vis-timeline was the alternative: it writes inline styles into
its DOM and ships a 500 kB bundle with moment.js for what a hundred lines do here; it also
draws nothing without JavaScript.

Scale. ``build`` runs 4 queries whatever the size of the data: the records per year within
the filters (2 GROUP BYs, events and agreements: they give the count and the overview strip)
and up to ``MAX_ITEMS`` + 1 dated records of each model in date order (2). When more than
``MAX_ITEMS`` match, the picture shows the records per year instead of the records, each
year a link narrowing the timeline to it.

Parameters (``TimelineForm``) are one Django form for the page (form errors, 400), its JSON,
the API and its schema, and the CSV.
"""

import datetime as dt
import heapq
import math

from django import forms
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from articles.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Event,
    EventKind,
    EventParticipant,
    EventStatus,
    Topic,
)
from ruiraq import charts, languages
from ruiraq.dates import month_names
from ruiraq.filters import YearField

#: Records the picture draws one by one; beyond that it shows records per year.
MAX_ITEMS = 400

_EPOCH = dt.date(1970, 1, 1)

#: (record type, model, membership model, the membership's field naming the record, status).
_TYPES = (
    ("event", Event, EventParticipant, "event", "event_status"),
    ("agreement", Agreement, AgreementParty, "agreement", "agreement_status"),
)


# --- parameters -----------------------------------------------------------------------------


class TimelineForm(forms.Form):
    """The timeline's parameters, for the page (form errors), its JSON, the API and the CSV."""

    actor = forms.SlugField(
        label=_("Actor"),
        required=False,
        help_text=_("An actor's slug, as in its address: sergey-lavrov."),
    )
    topic = forms.SlugField(
        label=_("Topic"), required=False, help_text=_("Only records on this topic (its slug).")
    )
    record = forms.ChoiceField(
        label=_("Records"),
        required=False,
        choices=[
            ("", _("Events and agreements")),
            ("event", _("Events only")),
            ("agreement", _("Agreements only")),
        ],
        help_text=_("event or agreement; both when empty."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Any")),
            (_("Events"), EventKind.choices),
            (_("Agreements"), AgreementKind.choices),
        ],
        help_text=_("A kind of event or of agreement: visit, arms_contract…"),
    )
    year = YearField(
        label=_("Year"),
        required=False,
        help_text=_("Only this year (instead of a range)."),
    )
    year_from = YearField(
        label=_("From year"),
        required=False,
        help_text=_("Only records reaching into or beyond this year."),
    )
    year_to = YearField(
        label=_("To year"),
        required=False,
        help_text=_("Only records starting in or before this year; not before the start year."),
    )

    def clean_actor(self):
        slug = self.cleaned_data.get("actor")
        if not slug:
            return None
        actor = Actor.objects.public().filter(slug=slug).only("slug", *Actor.NAME_FIELDS).first()
        if actor is None:
            raise forms.ValidationError(_("No published actor with this slug."), code="unknown")
        return actor

    def clean_topic(self):
        slug = self.cleaned_data.get("topic")
        if not slug:
            return None
        topic = Topic.objects.filter(slug=slug).only("slug", *Topic.NAME_FIELDS).first()
        if topic is None:
            raise forms.ValidationError(_("No topic with this slug."), code="unknown")
        return topic

    def clean(self):
        data = super().clean()
        year, start, end = data.get("year"), data.get("year_from"), data.get("year_to")
        if year and (start or end):
            self.add_error("year", _("Give one year or a range of years, not both."))
        elif year:
            data["year_from"] = data["year_to"] = year
        elif start and end and start > end:
            self.add_error("year_to", _("The end year cannot be before the start year."))
        kind, record = data.get("kind"), data.get("record")
        if kind and record:
            kinds = EventKind.values if record == "event" else AgreementKind.values
            if kind not in kinds:
                self.add_error("kind", _("This kind is not a kind of the records chosen."))
        return data


class TimelinePageForm(TimelineForm):
    """The page's form: topics as a menu of their names in the reader's language (one
    query: a handful of topics), the rest as the API's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topics = Topic.objects.by_local_name().only("slug", *Topic.NAME_FIELDS)
        self.fields["topic"].widget = forms.Select(
            choices=[("", _("Any"))] + [(topic.slug, topic.display_name) for topic in topics]
        )
        # Menus speak for themselves; their help texts are written for the API's readers.
        for name in ("topic", "record", "kind"):
            self.fields[name].help_text = ""


# --- the records ----------------------------------------------------------------------------


def _types(params):
    """The record types the parameters ask for, as _TYPES rows."""
    kind, record = params.get("kind"), params.get("record")
    if kind:
        record = "event" if kind in EventKind.values else "agreement"
    return [row for row in _TYPES if not record or row[0] == record]


def records(model, params):
    """The public records of ``model`` within the parameters (a queryset, no query yet).

    A record is within the years when its span reaches into them: it starts before the end
    of the range and ends (or, without an end, starts) after its beginning.
    """
    _name, _model, membership, field, _status = next(row for row in _TYPES if row[1] is model)
    queryset = model.objects.public()
    if params.get("actor"):
        queryset = queryset.filter(
            pk__in=membership.objects.filter(actor=params["actor"]).values(field)
        )
    if params.get("topic"):
        queryset = queryset.filter(topics=params["topic"])
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    if params.get("year_to"):
        queryset = queryset.filter(start_date__lte=dt.date(params["year_to"], 12, 31))
    if params.get("year_from"):
        since = dt.date(params["year_from"], 1, 1)
        queryset = queryset.filter(
            Q(end_date__gte=since) | Q(end_date__isnull=True, start_date__gte=since)
        )
    return queryset


_ITEM_FIELDS = ("pk", "slug", *languages.text_fields("title"), "kind", *Event.SPAN_FIELDS)


def _item(record_type, record, status_field):
    span = record.span
    first, last = span.bounds()
    status = getattr(record, status_field)
    return {
        "type": record_type,
        "id": record.slug,
        # In the reader's language, else English, and which of the two (ruiraq.languages).
        "title": languages.display_name(record, "title"),
        "title_lang": languages.display_language(record, "title"),
        "title_fallback": languages.display_language(record, "title")
        != languages.current_language(),
        "kind": record.kind,
        "kind_label": str(record.get_kind_display()),
        "status": status,
        "status_label": str(getattr(record, f"get_{status_field}_display")()),
        "when": span.display(),
        "start": span.start.as_dict() | {"display": span.start.display()},
        "end": span.end.as_dict() | {"display": span.end.display()} if span.end else None,
        # The days the bar covers, both included: the precision's whole period.
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "url": record.get_absolute_url(),
    }


def build(params, limit=MAX_ITEMS):
    """The timeline for cleaned TimelineForm data (4 queries, see the module).

    Returns {"count", "shown", "truncated", "years": [{"year", "events", "agreements"}],
    "items": [item, ...]} with items in date order, labels in the active language; when
    more than ``limit`` records match, ``items`` holds the first ``limit`` by date.
    """
    per_year = {}
    items = []
    for record_type, model, _membership, _field, status_field in _types(params):
        queryset = records(model, params)
        for year, count in charts.year_counts(queryset).items():
            per_year.setdefault(year, {"year": year, "events": 0, "agreements": 0})
            per_year[year][f"{record_type}s"] = count
        rows = (
            queryset.filter(start_date__isnull=False)
            .only(*_ITEM_FIELDS, status_field)
            .order_by("start_date", "pk")[: limit + 1]
        )
        items.append([_item(record_type, row, status_field) for row in rows])
    merged = list(heapq.merge(*items, key=lambda item: (item["first_day"], item["type"])))
    count = sum(row["events"] + row["agreements"] for row in per_year.values())
    return {
        "count": count,
        "shown": min(len(merged), limit),
        "truncated": count > limit,
        "years": [per_year[year] for year in sorted(per_year)],
        "items": merged[:limit],
    }


def csv_rows(params):
    """Every public record within the parameters, dated ones in date order then the undated,
    as flat rows for the CSV (2 queries, read in chunks)."""
    streams = []
    for record_type, model, _membership, _field, status_field in _types(params):
        rows = (
            records(model, params)
            .only(*_ITEM_FIELDS, status_field)
            .order_by(F("start_date").asc(nulls_last=True), "pk")
            .iterator(chunk_size=2000)
        )
        streams.append(_csv_stream(record_type, rows, status_field))
    return heapq.merge(*streams, key=lambda row: (row["first_day"] or "9999", row["type"]))


#: The CSV's columns, in order.
CSV_COLUMNS = (
    "type",
    "id",
    "title",
    "kind",
    "status",
    "when",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "first_day",
    "last_day",
    "url",
)


def _csv_stream(record_type, rows, status_field):
    # A function, not a generator expression: each stream keeps its own type and field.
    for row in rows:
        yield _csv_row(record_type, row, status_field)


def _csv_row(record_type, record, status_field):
    bounds = record.span.bounds()
    return {
        "type": record_type,
        "id": record.slug,
        "title": record.title,
        "kind": record.kind,
        "status": getattr(record, status_field),
        "when": record.span.display("en"),
        "start_date": record.start_date.isoformat() if record.start_date else "",
        "start_precision": record.start_precision if record.start_date else "",
        "end_date": record.end_date.isoformat() if record.end_date else "",
        "end_precision": record.end_precision if record.end_date else "",
        "first_day": bounds[0].isoformat() if bounds else "",
        "last_day": bounds[1].isoformat() if bounds else "",
        "url": record.get_absolute_url(),
    }


# --- the list below the picture -------------------------------------------------------------


def listing(params):
    """Events and agreements within the parameters as one queryset of (type, pk) rows in
    date order, undated last: a UNION, so the page paginates both with one COUNT and one
    query per page. ``cards`` reads the page's records."""
    parts = []
    for record_type, model, *_rest in _types(params):
        parts.append(
            records(model, params)
            .order_by()
            .annotate(
                record_type=Value(record_type, output_field=CharField()),
                undated=_undated(),
            )
            .values_list("record_type", "pk", "undated", "start_date", "start_precision", "title")
        )
    if len(parts) == 1:
        return parts[0].order_by("undated", "start_date", "start_precision", "title", "pk")
    return (
        parts[0]
        .union(parts[1], all=True)
        .order_by("undated", "start_date", "start_precision", "title", "pk")
    )


def _undated():
    return Case(When(start_date__isnull=True, then=1), default=0, output_field=IntegerField())


def cards(rows):
    """The records of a page of ``listing`` rows, in its order (one query per type)."""
    wanted = {}
    for record_type, pk, *_rest in rows:
        wanted.setdefault(record_type, []).append(pk)
    found = {}
    for record_type, model, *_rest in _TYPES:
        if record_type in wanted:
            for record in model.objects.public().cards().filter(pk__in=wanted[record_type]):
                record.record_type = record_type
                found[(record_type, record.pk)] = record
    return [found[(t, pk)] for t, pk, *_rest in rows if (t, pk) in found]


def all_years():
    """Every year with a published dated event or agreement, ascending (one query)."""
    years = (
        Event.objects.public()
        .filter(start_date__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", flat=True)
        .order_by()
        .union(
            Agreement.objects.public()
            .filter(start_date__isnull=False)
            .annotate(year=ExtractYear("start_date"))
            .values_list("year", flat=True)
            .order_by()
        )
    )
    return sorted(years)


# --- the picture ----------------------------------------------------------------------------

#: The drawing's width in pixels before the script fits it to the page, and its rows.
WIDTH = 720
LANE = 22
BAR = 14
AXIS = 30
BAND_GAP = 16
#: A day is narrower than a pixel at most scales: the shortest bar drawn.
MIN_BAR = 6
#: Roughly how wide a character of a label is, to cut labels to the room they have.
CHAR = 6.5


def _days(date):
    return (date - _EPOCH).days


def layout(data, params, rtl=False, width=WIDTH):
    """Geometry of the picture for ``build``'s result: bands of lanes, bars, labels, ticks.

    The window is the year range asked for, else the years the items cover. Within each
    band (events, agreements) a bar takes the first lane free at its start, at this scale;
    zooming in only moves bars apart, so the script keeps the lanes.
    """
    items = data["items"]
    if params.get("year_from"):
        first_year = params["year_from"]
    elif data["years"]:
        first_year = data["years"][0]["year"]
    else:
        return None
    if params.get("year_to"):
        last_year = params["year_to"]
    elif items:
        last_year = max(dt.date.fromisoformat(i["last_day"]).year for i in items)
        last_year = max(last_year, data["years"][-1]["year"])
    else:
        last_year = data["years"][-1]["year"]
    start, end = _days(dt.date(first_year, 1, 1)), _days(dt.date(last_year + 1, 1, 1))
    scale = width / (end - start)

    def x_of(day):
        x = (day - start) * scale
        return width - x if rtl else x

    bands = []
    top = AXIS
    if not data["truncated"]:
        for record_type, heading in (("event", _("Events")), ("agreement", _("Agreements"))):
            band_items = [item for item in items if item["type"] == record_type]
            if not band_items:
                continue
            lanes_end = []
            bars = []
            for item in band_items:
                first = max(_days(dt.date.fromisoformat(item["first_day"])), start)
                last = min(_days(dt.date.fromisoformat(item["last_day"])) + 1, end)
                left = (first - start) * scale
                bar_width = max((last - first) * scale, MIN_BAR)
                lane = next(
                    (n for n, taken in enumerate(lanes_end) if taken <= left), len(lanes_end)
                )
                if lane == len(lanes_end):
                    lanes_end.append(0)
                lanes_end[lane] = left + bar_width + 2
                bars.append(
                    {
                        "item": item,
                        "lane": lane,
                        "start": first,
                        "end": last,
                        "x": round(width - left - bar_width if rtl else left, 1),
                        "width": round(bar_width, 1),
                        "left": left,
                    }
                )
            # A label takes the room to the next bar in its lane (or to the edge).
            by_lane = {}
            for bar in bars:
                by_lane.setdefault(bar["lane"], []).append(bar)
            for lane_bars in by_lane.values():
                for bar, following in zip(lane_bars, lane_bars[1:] + [None], strict=True):
                    room = (following["left"] if following else width) - bar["left"] - 4
                    bar["label"] = _cut(bar["item"]["title"], room)
                    bar["y"] = top + 18 + bar["lane"] * LANE + 14
                    bar["bar_y"] = bar["y"] - 11
                    # The label starts where the bar starts, in the reading direction.
                    bar["text_x"] = round(bar["x"] + bar["width"] - 3 if rtl else bar["x"] + 3, 1)
            height = 18 + len(lanes_end) * LANE + 6
            bands.append(
                {
                    "type": record_type,
                    "heading": heading,
                    "top": top,
                    "height": height,
                    "bars": bars,
                }
            )
            top += height + BAND_GAP
    return {
        "width": width,
        "height": max(top, AXIS + 60),
        "start": start,
        "end": end,
        "rtl": rtl,
        "bands": bands,
        "ticks": _ticks(start, end, x_of),
        "years": _year_strip(data, first_year, last_year, x_of) if data["truncated"] else [],
        "first_year": first_year,
        "last_year": last_year,
    }


def _cut(title, room):
    """The label that fits ``room`` pixels: whole, cut with an ellipsis, or none."""
    fits = int(room // CHAR)
    if fits >= len(title):
        return title
    if fits < 6:
        return ""
    return title[: fits - 1].rstrip() + "…"


def _ticks(start, end, x_of):
    """Axis marks: years, or months when the window is short, in the active language."""
    first, last = _EPOCH + dt.timedelta(days=start), _EPOCH + dt.timedelta(days=end)
    years = last.year - first.year
    ticks = []
    if years <= 2:
        months = month_names()
        month = dt.date(first.year, first.month, 1)
        while month < last:
            label = months[month.month - 1]
            if month.month == 1:
                label = f"{label} {month.year}"
            ticks.append(
                {"x": round(x_of(_days(month)), 1), "label": label, "major": month.month == 1}
            )
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return ticks
    step = max(1, math.ceil(years / 16))
    for year in range(first.year, last.year + 1):
        if (year - first.year) % step == 0:
            ticks.append(
                {"x": round(x_of(_days(dt.date(year, 1, 1))), 1), "label": str(year), "major": True}
            )
    return ticks


def _year_strip(data, first_year, last_year, x_of):
    """When too many records match to draw: a bar per year, as tall as its records."""
    counts = {row["year"]: row["events"] + row["agreements"] for row in data["years"]}
    top = max(counts.values(), default=1)
    strip = []
    for year in range(first_year, last_year + 1):
        a, b = x_of(_days(dt.date(year, 1, 1))), x_of(_days(dt.date(year + 1, 1, 1)))
        count = counts.get(year, 0)
        height = 120 * count / top
        strip.append(
            {
                "year": year,
                "count": count,
                "x": round(min(a, b) + 1, 1),
                "width": round(abs(b - a) - 2, 1),
                "y": round(AXIS + 130 - height, 1),
                "height": round(height, 1),
            }
        )
    return strip


def statuses():
    """Statuses that mark a bar, for the legend."""
    return [
        ("planned", EventStatus.PLANNED.label),
        ("cancelled", EventStatus.CANCELLED.label),
        ("in_force", AgreementStatus.IN_FORCE.label),
        ("denied", AgreementStatus.DENIED.label),
    ]
