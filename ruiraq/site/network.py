"""
The actor network: public actors as nodes, and two kinds of edge between them — their public
ties (one edge per tie, labelled with the position and its dates) and their co-participation
in public events and agreements (one edge per pair, weighted by the number of shared records).

Everything here reads through the public door: ``Actor.objects.public()``,
``Tie.objects.public()`` (both ends published), ``Event``/``Agreement.objects.public()`` and
``Citation.objects.public()``; a draft never becomes a node, an edge or a line of evidence.

Scale. Every function runs a fixed number of queries whatever the size of the data, and the
heavy work (counting records per actor, counting shared records per pair) is a GROUP BY in
the database, never rows pulled into Python. The counts over events and over agreements
travel together as one UNION ALL: on a loaded server each round trip costs more than the
counting (measurements in docs/benchmarks/pictures.md).

- the whole network (``build``, no actor): the records per actor (1), the ties (1), then
  for the top ``limit`` actors by weight their rows (1) and the pairs among them (1): 4
  queries;
- a neighbourhood (``build`` with an actor): per step the actors sharing a record or a tie
  with the frontier (1); then the chosen actors' rows with their weights (1), the ties among
  them (1) and their pairs (1): 4 queries at one step, 5 at two (see ``_neighbourhood`` for
  how the second step is bounded);
- an edge's evidence (``edge``): the two actors, the shared events, the shared agreements,
  the ties between them, and the citations of all of those: 5 queries.

The joins from memberships to records and back read indexes only: (actor, record) on the
memberships, (record, actor, role) for the way back, and a partial (id, start_date) index of
the published records for "is it public, and when".

The weight of an actor is how many public records (events and agreements, within the
filters) it appears in; the whole network ranks actors by weight plus public ties (without a
topic filter: ties have no topic) and keeps the top ``limit``, saying how many it left out.
"""

import datetime as dt
from collections import Counter
from xml.etree import ElementTree as ET

from django import forms
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorKind, Tie
from articles.models import Agreement, AgreementParty, Citation, Event, EventParticipant, Topic
from ruiraq import languages
from ruiraq.filters import YearField

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
#: A neighbourhood is about one actor: fewer nodes keep it readable (and fast).
DEFAULT_NEIGHBOURHOOD_LIMIT = 50
#: A neighbourhood's second step starts from this many of the strongest direct connections
#: shown: its cost grows with their records (~70 each at 100,000 events), and the actors
#: most linked to the strongest are the ones a reader looks for.
SECOND_STEP_FROM = 10
#: Records and ties an edge's evidence lists, per kind.
EDGE_RECORDS = 50

_ACTOR_FIELDS = ("slug", "kind", "country", *Actor.NAME_FIELDS)


# --- parameters -----------------------------------------------------------------------------


class NetworkForm(forms.Form):
    """The network's parameters, for the page (form errors) and the API (400 naming them)."""

    topic = forms.SlugField(
        label=_("Topic"), required=False, help_text=_("Only records on this topic (its slug).")
    )
    year_from = YearField(
        label=_("From year"),
        required=False,
        help_text=_("Only records dated in or after this year."),
    )
    year_to = YearField(
        label=_("To year"),
        required=False,
        help_text=_("Only records dated in or before this year; not before the start year."),
    )
    kind = forms.MultipleChoiceField(
        label=_("Kinds of actor"),
        required=False,
        choices=ActorKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only actors of these kinds (all when none is ticked)."),
    )
    actor = forms.SlugField(
        label=_("Around actor"),
        required=False,
        help_text=_("Show this actor's neighbourhood (its slug) instead of the whole network."),
    )
    depth = forms.TypedChoiceField(
        label=_("Steps from the actor"),
        required=False,
        choices=[(1, "1"), (2, "2")],
        coerce=int,
        empty_value=1,
        help_text=_("With an actor: its direct connections (1), or theirs too (2)."),
    )
    limit = forms.IntegerField(
        label=_("Most actors shown"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=_("The actors with the most records are kept (1–%(max)s).") % {"max": MAX_LIMIT},
    )

    def clean_topic(self):
        slug = self.cleaned_data.get("topic")
        if not slug:
            return None
        topic = Topic.objects.filter(slug=slug).only("slug", *Topic.NAME_FIELDS).first()
        if topic is None:
            raise forms.ValidationError(_("No topic with this slug."), code="unknown")
        return topic

    def clean_actor(self):
        slug = self.cleaned_data.get("actor")
        if not slug:
            return None
        actor = Actor.objects.public().filter(slug=slug).only(*_ACTOR_FIELDS).first()
        if actor is None:
            raise forms.ValidationError(_("No published actor with this slug."), code="unknown")
        return actor

    def clean(self):
        data = super().clean()
        if not data.get("limit"):
            data["limit"] = DEFAULT_NEIGHBOURHOOD_LIMIT if data.get("actor") else DEFAULT_LIMIT
        data["depth"] = data.get("depth") or 1
        return data


# --- the records and actors a network is drawn from ----------------------------------------


def _records(model, params):
    records = model.objects.public()
    if params.get("topic"):
        records = records.filter(topics=params["topic"])
    if params.get("year_from"):
        records = records.filter(start_date__gte=dt.date(params["year_from"], 1, 1))
    if params.get("year_to"):
        records = records.filter(start_date__lte=dt.date(params["year_to"], 12, 31))
    return records


def _actors(params):
    actors = Actor.objects.public()
    if params.get("kind"):
        actors = actors.filter(kind__in=params["kind"])
    return actors


def _ties(params):
    """Public ties between the filtered actors that overlap the year range (undated ones
    kept: a tie without dates is not known to lie outside it)."""
    ties = Tie.objects.public()  # both ends public
    if params.get("kind"):
        actors = _actors(params)
        ties = ties.filter(subject__in=actors, object__in=actors)
    if params.get("year_from"):
        since = dt.date(params["year_from"], 1, 1)
        # No end recorded: still running, so it reaches into the range.
        ties = ties.filter(Q(end_date__gte=since) | Q(end_date__isnull=True))
    if params.get("year_to"):
        ties = ties.filter(
            Q(start_date__lte=dt.date(params["year_to"], 12, 31)) | Q(start_date__isnull=True)
        )
    return ties


#: (membership model, the record it points to, the records' model) for events and agreements.
_MEMBERSHIPS = (
    (EventParticipant, "event", Event),
    (AgreementParty, "agreement", Agreement),
)


def _related(membership, record):
    """The name a record uses for its memberships ("participants", "parties")."""
    return membership._meta.get_field(record).remote_field.related_name


#: Tags of the rows a UNION ALL returns (a text literal would need a cast on PostgreSQL).
_EVENT, _AGREEMENT, _TIE = 0, 1, 2
_TAGS = {"event": _EVENT, "agreement": _AGREEMENT}


def _tag(value):
    return Value(value, output_field=IntegerField())


def _union(parts):
    """The rows of ``parts`` (querysets of like columns) in one query (UNION ALL)."""
    first, *rest = parts
    return list(first.union(*rest, all=True)) if rest else list(first)


def _record_counts(params, sharing_with=None):
    """One part per kind of record: (tag, actor id, public records it appears in), grouped in
    the database. ``sharing_with`` (actor ids) counts only the records those actors also
    appear in (the shared records of a neighbourhood's step)."""
    parts = []
    for membership, record, model in _MEMBERSHIPS:
        records = _records(model, params)
        if sharing_with is not None:
            records = records.filter(**{f"{_related(membership, record)}__actor__in": sharing_with})
        rows = (
            membership.objects.filter(**{f"{record}__in": records.values("pk")})
            .filter(actor__in=_actors(params))
            .order_by()
            .values_list("actor_id")
            .annotate(n=Count(record, distinct=True), tag=_tag(_TAGS[record]))
            .values_list("tag", "actor_id", "n")
        )
        parts.append(rows)
    return parts


def _counts_per_actor(params):
    """{"event": {actor id: n}, "agreement": {actor id: n}}: the public records each actor
    appears in (1 query)."""
    counts = {"event": {}, "agreement": {}}
    names = {tag: record for record, tag in _TAGS.items()}
    for tag, actor_id, n in _union(_record_counts(params)):
        counts[names[tag]][actor_id] = n
    return counts


def _step(params, frontier, reached):
    """One step out from ``frontier`` (actor ids), in one query: a Counter of how strongly
    each actor not yet ``reached`` is connected to it (public records shared with the
    frontier, plus public ties to it)."""
    touching = (
        _ties(params)
        .filter(Q(subject_id__in=frontier) | Q(object_id__in=frontier))
        .order_by()
        .values_list(_tag(_TIE), "subject_id", "object_id")
    )
    strength = Counter()
    for tag, first, second in _union([*_record_counts(params, list(frontier)), touching]):
        if tag == _TIE:
            strength.update((first, second))
        else:
            strength[first] += second
    for pk in reached:
        strength.pop(pk, None)
    return strength


def _with_weights(actors, params):
    """``actors`` annotated with ``event_count`` and ``agreement_count``, the public records
    (within the filters) each appears in: a correlated subquery per actor shown, over the
    (actor, record) index, instead of a GROUP BY of every membership."""
    annotations = {}
    for membership, record, model in _MEMBERSHIPS:
        count = (
            membership.objects.filter(
                actor=OuterRef("pk"), **{f"{record}__in": _records(model, params).values("pk")}
            )
            .order_by()
            .values("actor")
            .annotate(n=Count(record, distinct=True))
            .values("n")
        )
        annotations[f"{record}_count"] = Coalesce(Subquery(count), 0)
    return actors.annotate(**annotations)


def _pairs(params, ids):
    """{(low id, high id): {"event": n, "agreement": n}} for the actors ``ids`` (1 query)."""
    parts = []
    for membership, record, model in _MEMBERSHIPS:
        other = f"{record}__{_related(membership, record)}__actor"
        parts.append(
            membership.objects.filter(
                **{f"{record}__in": _records(model, params).values("pk")},
                actor_id__in=ids,
                **{f"{other}__in": ids},
                actor_id__lt=F(other),
            )
            .order_by()
            .values_list("actor_id", other)
            .annotate(n=Count(record, distinct=True), tag=_tag(_TAGS[record]))
            .values_list("tag", "actor_id", other, "n")
        )
    names = {tag: record for record, tag in _TAGS.items()}
    pairs = {}
    for tag, low, high, n in _union(parts):
        pairs.setdefault((low, high), {"event": 0, "agreement": 0})[names[tag]] = n
    return pairs


_TIE_FIELDS = (
    "pk",
    "subject_id",
    "object_id",
    "kind",
    *languages.text_fields("title"),
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
)


def _tie_rows(ties):
    return list(ties.order_by(F("start_date").asc(nulls_last=True), "pk").only(*_TIE_FIELDS[1:]))


# --- the graph ------------------------------------------------------------------------------


def build(params):
    """The network for cleaned NetworkForm data: a dict with ``nodes``, ``edges`` and what was
    left out (see the module for the queries). Labels are in the active language."""
    if params.get("actor"):
        ids, actors, ties, considered = _neighbourhood(params)
    else:
        ids, actors, ties, considered = _whole(params)
    pairs = _pairs(params, ids) if len(ids) > 1 else {}
    urls = _ActorUrls()
    kinds = {value: str(label) for value, label in ActorKind.choices}
    centre = params.get("actor")
    nodes = [_node(actors[pk], urls, kinds, centre=centre) for pk in ids if pk in actors]
    edges = [
        _tie_edge(tie, actors, urls)
        for tie in ties
        if tie.subject_id in actors and tie.object_id in actors
    ]
    for (low, high), shared in sorted(pairs.items()):
        if low in actors and high in actors:
            edges.append(_shared_edge(actors[low], actors[high], shared))
    return {
        "nodes": nodes,
        "edges": edges,
        "actors_considered": considered,
        "actors_shown": len(nodes),
        "limit": params["limit"],
        "truncated": considered > len(nodes),
    }


def _rank(weights, ties, topic):
    """Actor ids ordered by weight (records, plus ties when no topic), ties broken by id."""
    degree = Counter()
    if not topic:
        for tie in ties:
            degree[tie.subject_id] += 1
            degree[tie.object_id] += 1
    score = Counter(weights) + degree
    return sorted(score, key=lambda pk: (-score[pk], pk))


def _whole(params):
    """The top ``limit`` actors by weight (3 queries: the counts, the ties, the rows)."""
    counts = _counts_per_actor(params)
    ties = _tie_rows(_ties(params))
    weights = Counter(counts["event"]) + Counter(counts["agreement"])
    ranked = _rank(weights, ties, params.get("topic"))
    top = ranked[: params["limit"]]
    actors = Actor.objects.filter(pk__in=top).only(*_ACTOR_FIELDS).in_bulk() if top else {}
    for pk, actor in actors.items():
        actor.event_count = counts["event"].get(pk, 0)
        actor.agreement_count = counts["agreement"].get(pk, 0)
    return top, actors, ties, len(ranked)


def _by_strength(strength):
    return sorted(strength, key=lambda pk: (-strength[pk], pk))


def _neighbourhood(params):
    """The centre, its direct connections and, at two steps, theirs (a query per step, then
    the rows with their weights and the ties among them: 4 queries at one step, 5 at two).

    Direct connections come first, strongest first. At two steps they keep half of the
    places, and the second step starts from the strongest of those shown (at most
    ``SECOND_STEP_FROM``), so every second-step actor drawn is linked to a drawn direct
    connection. Starting from every direct connection (159 for the benchmark's actor at
    100,000 events) reached 4,740 of the 5,000 actors to keep 49, and took 400-660 ms.
    Places one step leaves empty go to the other.
    """
    centre = params["actor"].pk
    room = params["limit"] - 1
    first = _step(params, {centre}, reached={centre})
    ranked_first = _by_strength(first)
    considered = 1 + len(ranked_first)
    if params["depth"] == 1 or room < 2 or not ranked_first:
        kept = ranked_first[:room]
    else:
        through = ranked_first[: max(1, room // 2)]
        second = _step(params, set(through[:SECOND_STEP_FROM]), reached={centre, *first})
        considered += len(second)
        ranked_second = _by_strength(second)[: room - len(through)]
        more_first = ranked_first[len(through) : room - len(ranked_second)]
        kept = through + more_first + ranked_second
    top = [centre, *kept]
    actors = _with_weights(Actor.objects.filter(pk__in=top).only(*_ACTOR_FIELDS), params)
    ties = _tie_rows(_ties(params).filter(subject_id__in=top, object_id__in=top))
    return top, actors.in_bulk(), ties, considered


class _ActorUrls:
    """An actor's page and neighbourhood paths, from one ``reverse`` per response: two per
    node cost more than the rest of a node (a slug is URL-safe as it stands)."""

    _SLUG = "actor-slug"

    def __init__(self):
        self._page = reverse("actors:detail", kwargs={"slug": self._SLUG}).split(self._SLUG)
        self._network = reverse("network") + "?actor="

    def page(self, slug):
        return slug.join(self._page)

    def network(self, slug):
        return self._network + slug


def _node(actor, urls, kinds, centre=None):
    """A node; ``actor`` carries ``event_count`` and ``agreement_count`` (None: not counted)."""
    events = getattr(actor, "event_count", None)
    agreements = getattr(actor, "agreement_count", None)
    return {
        "id": actor.slug,
        "label": actor.display_name,
        "name": actor.name,
        "name_ru": actor.name_ru,
        "name_ar": actor.name_ar,
        "kind": actor.kind,
        "kind_label": kinds[actor.kind],
        "country": actor.country.code,
        "country_name": actor.country.name,
        "events": events,
        "agreements": agreements,
        "weight": None if events is None else events + agreements,
        "centre": bool(centre and centre.pk == actor.pk),
        "url": urls.page(actor.slug),
        "network_url": urls.network(actor.slug),
    }


def _tie_edge(tie, actors, urls):
    subject, object_ = actors[tie.subject_id], actors[tie.object_id]
    span = tie.span
    what = languages.display_name(tie, "title") or str(tie.get_kind_display())
    when = span.display() if span else ""
    return {
        "id": f"tie-{tie.pk}",
        "type": "tie",
        "source": subject.slug,
        "target": object_.slug,
        "kind": tie.kind,
        "title": what,
        "when": when,
        "start": tie.start_date.isoformat() if tie.start_date else None,
        "end": tie.end_date.isoformat() if tie.end_date else None,
        "label": f"{what} ({when})" if when else what,
        "weight": 1,
        # Tie.get_absolute_url would read the subject again: it is at hand.
        "url": urls.page(subject.slug) + f"#tie-{tie.pk}",
    }


def _shared_edge(a, b, shared):
    events, agreements = shared["event"], shared["agreement"]
    return {
        "id": f"shared-{a.slug}--{b.slug}",
        "type": "shared",
        "source": a.slug,
        "target": b.slug,
        "events": events,
        "agreements": agreements,
        "weight": events + agreements,
        "label": str(events + agreements),
    }


# --- an edge's evidence ---------------------------------------------------------------------


def edge(params, source, target):
    """What stands behind the connection of two public actors (5 queries).

    Returns {"events", "agreements", "ties": [{...record, "evidence": [citations]}],
    "more_events", "more_agreements"}: up to EDGE_RECORDS shared public records of each kind
    within the filters, latest first, and the public ties between the two, each with its
    public citations (source, quote, link to the quote on the record's page).
    """
    ids = [source.pk, target.pk]
    found = {}
    for membership, record, model in _MEMBERSHIPS:
        related = _related(membership, record)
        rows = list(
            _records(model, params)
            .filter(**{f"{related}__actor": source})
            .filter(**{f"{related}__actor": target})
            .distinct()
            .only(
                "slug",
                *languages.text_fields("title"),
                "kind",
                "start_date",
                "start_precision",
                "end_date",
                "end_precision",
            )
            .order_by(F("start_date").desc(nulls_last=True), "pk")[: EDGE_RECORDS + 1]
        )
        found[record] = rows
    ties = _tie_rows(_ties(params).filter(subject_id__in=ids, object_id__in=ids))
    events, agreements = found["event"][:EDGE_RECORDS], found["agreement"][:EDGE_RECORDS]
    citations = (
        Citation.objects.public()
        .filter(
            Q(event__in=[e.pk for e in events])
            | Q(agreement__in=[a.pk for a in agreements])
            | Q(tie__in=[t.pk for t in ties])
        )
        .select_related("source")
        .only(
            "event",
            "agreement",
            "tie",
            "quote",
            "locator",
            "stance",
            "source__slug",
            "source__title",
            "source__outlet",
            "source__url",
        )
        .order_by("pk")
    )
    evidence = {}
    for citation in citations:
        key = next(
            (name, getattr(citation, f"{name}_id"))
            for name in ("event", "agreement", "tie")
            if getattr(citation, f"{name}_id")
        )
        evidence.setdefault(key, []).append(citation)
    actors = {source.pk: source, target.pk: target}
    urls = _ActorUrls()
    kinds = {value: str(label) for value, label in ActorKind.choices}

    def _record(kind, record, url):
        return {
            "type": kind,
            "title": languages.display_name(record, "title") or str(record.get_kind_display()),
            "title_lang": languages.display_language(record, "title")
            if record.title
            else languages.current_language(),
            "when": record.span.display() if record.span else "",
            "url": url,
            "evidence": [_citation(c, url) for c in evidence.get((kind, record.pk), [])],
        }

    return {
        "source": _node(source, urls, kinds),
        "target": _node(target, urls, kinds),
        "events": [_record("event", e, e.get_absolute_url()) for e in events],
        "agreements": [_record("agreement", a, a.get_absolute_url()) for a in agreements],
        "ties": [
            _record("tie", t, actors[t.subject_id].get_absolute_url() + f"#tie-{t.pk}")
            | {
                "source": actors[t.subject_id].slug,
                "target": actors[t.object_id].slug,
            }
            for t in ties
        ],
        "more_events": len(found["event"]) > EDGE_RECORDS,
        "more_agreements": len(found["agreement"]) > EDGE_RECORDS,
    }


def _citation(citation, record_url):
    return {
        "source": citation.source.title,
        "outlet": citation.source.outlet,
        "source_url": citation.source.get_absolute_url(),
        "original_url": citation.source.url,
        "quote": citation.quote,
        "locator": citation.locator,
        "stance": citation.stance,
        "url": f"{record_url.split('#')[0]}#citation-{citation.pk}",
    }


# --- exports --------------------------------------------------------------------------------


def to_graphml(graph):
    """The graph as GraphML (Gephi, yEd, networkx): bytes, UTF-8."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    keys = {
        "label": ("node", "string"),
        "kind": ("node", "string"),
        "country": ("node", "string"),
        "events": ("node", "int"),
        "agreements": ("node", "int"),
        "weight": ("all", "int"),
        "url": ("node", "string"),
        "type": ("edge", "string"),
        "title": ("edge", "string"),
        "when": ("edge", "string"),
        "start": ("edge", "string"),
        "end": ("edge", "string"),
        "edge_events": ("edge", "int"),
        "edge_agreements": ("edge", "int"),
    }
    for name, (target, kind) in keys.items():
        attr = name.removeprefix("edge_")
        ET.SubElement(
            root, "key", id=name, attrib={"for": target, "attr.name": attr, "attr.type": kind}
        )
    body = ET.SubElement(root, "graph", id="ruiraq", edgedefault="undirected")
    for node in graph["nodes"]:
        element = ET.SubElement(body, "node", id=node["id"])
        for name in ("label", "kind", "country", "events", "agreements", "weight", "url"):
            ET.SubElement(element, "data", key=name).text = str(node[name])
    for item in graph["edges"]:
        element = ET.SubElement(
            body, "edge", id=item["id"], source=item["source"], target=item["target"]
        )
        for name in ("type", "weight", "title", "when", "start", "end"):
            if item.get(name) is not None:
                ET.SubElement(element, "data", key=name).text = str(item[name])
        for name in ("events", "agreements"):
            if name in item:
                ET.SubElement(element, "data", key=f"edge_{name}").text = str(item[name])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_gexf(graph):
    """The graph as GEXF 1.3 (Gephi's own format): bytes, UTF-8."""
    ns = "http://gexf.net/1.3"
    root = ET.Element("gexf", xmlns=ns, version="1.3")
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "ruiraq"
    ET.SubElement(meta, "description").text = "Russia–Iraq relations: actors and their connections"
    body = ET.SubElement(root, "graph", defaultedgetype="undirected", mode="static")
    node_attrs = ET.SubElement(body, "attributes", attrib={"class": "node"})
    for index, (name, kind) in enumerate(
        (
            ("kind", "string"),
            ("country", "string"),
            ("events", "integer"),
            ("agreements", "integer"),
            ("url", "string"),
        )
    ):
        ET.SubElement(node_attrs, "attribute", id=str(index), title=name, type=kind)
    edge_attrs = ET.SubElement(body, "attributes", attrib={"class": "edge"})
    for index, (name, kind) in enumerate(
        (
            ("type", "string"),
            ("title", "string"),
            ("when", "string"),
            ("events", "integer"),
            ("agreements", "integer"),
        )
    ):
        ET.SubElement(edge_attrs, "attribute", id=str(index), title=name, type=kind)
    nodes = ET.SubElement(body, "nodes")
    for node in graph["nodes"]:
        element = ET.SubElement(nodes, "node", id=node["id"], label=node["label"])
        values = ET.SubElement(element, "attvalues")
        for index, name in enumerate(("kind", "country", "events", "agreements", "url")):
            ET.SubElement(values, "attvalue", attrib={"for": str(index), "value": str(node[name])})
    edges = ET.SubElement(body, "edges")
    for item in graph["edges"]:
        element = ET.SubElement(
            edges,
            "edge",
            id=item["id"],
            source=item["source"],
            target=item["target"],
            weight=str(item["weight"]),
            label=item["label"],
        )
        values = ET.SubElement(element, "attvalues")
        for index, name in enumerate(("type", "title", "when", "events", "agreements")):
            if item.get(name) not in (None, ""):
                ET.SubElement(
                    values, "attvalue", attrib={"for": str(index), "value": str(item[name])}
                )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- the page's extra parameters ------------------------------------------------------------

#: The connections table's sortable columns: ``sort`` takes one, "-" first for descending.
TABLE_COLUMNS = ("source", "target", "weight", "when")


class NetworkPageForm(NetworkForm):
    """The page's parameters: the network's, and the column the connections table is sorted
    by (the table is the page without JavaScript, so it sorts on the server)."""

    sort = forms.ChoiceField(
        label=_("Sort connections by"),
        required=False,
        choices=[("", _("Default order"))]
        + [(prefix + column, prefix + column) for column in TABLE_COLUMNS for prefix in ("", "-")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A handful of topics: a menu of their names in the reader's language (one query).
        topics = Topic.objects.by_local_name().only("slug", *Topic.NAME_FIELDS)
        self.fields["topic"].widget = forms.Select(
            choices=[("", _("Any"))] + [(topic.slug, topic.display_name) for topic in topics]
        )


class EdgeForm(NetworkForm):
    """An edge's two actors (published), with the network's filters."""

    source = forms.SlugField(label=_("First actor"), help_text=_("An actor's slug."))
    target = forms.SlugField(label=_("Second actor"), help_text=_("An actor's slug."))

    def _public_actor(self, name):
        slug = self.cleaned_data.get(name)
        actor = Actor.objects.public().filter(slug=slug).only(*_ACTOR_FIELDS).first()
        if actor is None:
            raise forms.ValidationError(_("No published actor with this slug."), code="unknown")
        return actor

    def clean_source(self):
        return self._public_actor("source")

    def clean_target(self):
        return self._public_actor("target")

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("Choose two different actors."))
        return data


def sort_edges(graph, order):
    """The graph's edges as table rows, in ``order`` (a NetworkPageForm ``sort`` value)."""
    labels = {node["id"]: node["label"] for node in graph["nodes"]}
    rows = [
        edge | {"source_label": labels[edge["source"]], "target_label": labels[edge["target"]]}
        for edge in graph["edges"]
    ]
    order = order or "-weight"  # the strongest connections first
    descending = order.startswith("-")
    key = order.lstrip("-")
    keys = {
        "weight": lambda row: (row["weight"], row["type"] == "tie"),
        "source": lambda row: row["source_label"].casefold(),
        "target": lambda row: row["target_label"].casefold(),
        "when": lambda row: (row.get("start") is None, row.get("start") or ""),
    }
    return sorted(rows, key=keys[key], reverse=descending)
