"""The actor network: /network/ (page, its JSON, an edge's evidence) and /api/v1/network/."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = "draft"


def _world(size=1):
    """Russia and Iraq, a minister with a tie to Russia, and ``size`` shared meetings."""
    russia = f.actor(name="Russia", name_ru="Россия", name_ar="روسيا", kind="state")
    iraq = f.actor(name="Iraq", name_ru="Ирак", name_ar="العراق", kind="state")
    lavrov = f.actor(name="Sergey Lavrov", name_ru="Сергей Лавров")
    tie = f.tie(lavrov, russia, title="Foreign Minister", start_date=dt.date(2004, 3, 9))
    f.citation(tie, quote="Lavrov, Russia's foreign minister")
    for n in range(size):
        meeting = f.event(title=f"Talks {n}", start_date=dt.date(2019, 1, 1 + n % 28))
        for actor in (russia, iraq, lavrov):
            f.participant(meeting, actor)
        f.citation(meeting, quote=f"They met ({n})")
    deal = f.agreement(title="S-400 talks")
    f.party(deal, russia)
    f.party(deal, iraq)
    return russia, iraq, lavrov, tie


def _edges(graph, kind=None):
    return {
        (e["source"], e["target"]): e for e in graph["edges"] if kind is None or e["type"] == kind
    }


def test_nodes_are_public_actors_sized_by_their_public_records(client):
    russia, iraq, lavrov, _tie = _world(size=2)
    graph = client.get(reverse("network-data")).json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert set(nodes) == {"russia", "iraq", "sergey-lavrov"}
    assert (nodes["russia"]["events"], nodes["russia"]["agreements"]) == (2, 1)
    assert nodes["russia"]["weight"] == 3
    assert nodes["sergey-lavrov"]["weight"] == 2
    assert nodes["iraq"]["kind"] == "state"
    assert nodes["iraq"]["url"] == "/actors/iraq/"


def test_edges_are_dated_ties_and_weighted_co_participation(client):
    _world(size=2)
    graph = client.get(reverse("network-data")).json()
    ties = _edges(graph, "tie")
    assert ties[("sergey-lavrov", "russia")]["label"] == "Foreign Minister (9 March 2004)"
    shared = {frozenset(pair): e for pair, e in _edges(graph, "shared").items()}
    russia_iraq = shared[frozenset({"russia", "iraq"})]
    assert (russia_iraq["events"], russia_iraq["agreements"], russia_iraq["weight"]) == (2, 1, 3)
    assert shared[frozenset({"russia", "sergey-lavrov"})]["weight"] == 2


def test_labels_are_in_the_readers_script(client):
    _world()
    graph = client.get("/ru/network/data.json").json()
    assert {n["label"] for n in graph["nodes"]} == {"Россия", "Ирак", "Сергей Лавров"}
    graph = client.get("/ar/network/data.json").json()
    assert "العراق" in {n["label"] for n in graph["nodes"]}
    # The API stays in English, with every spelling beside it.
    nodes = client.get("/api/v1/network/").json()["nodes"]
    iraq = next(n for n in nodes if n["id"] == "iraq")
    assert (iraq["label"], iraq["name_ru"], iraq["name_ar"]) == ("Iraq", "Ирак", "العراق")


def test_drafts_never_appear_as_nodes_edges_or_evidence(client):
    russia, iraq, lavrov, tie = _world()
    ghost = f.actor(name="Ghost", status=DRAFT)
    draft_meeting = f.event(title="Secret talks", status=DRAFT)
    f.participant(draft_meeting, russia)
    f.participant(draft_meeting, iraq)
    f.participant(draft_meeting, ghost)
    f.tie(ghost, russia, title="Spy")
    f.tie(lavrov, iraq, title="Draft envoy", status=DRAFT)
    hidden_source = f.source(status=DRAFT)
    f.citation(tie, hidden_source, quote="A draft source's quote")

    for url in (reverse("network-data"), "/api/v1/network/"):
        graph = client.get(url).json()
        assert "ghost" not in {n["id"] for n in graph["nodes"]}
        assert all("ghost" not in (e["source"], e["target"]) for e in graph["edges"])
        assert {e["title"] for e in graph["edges"] if e["type"] == "tie"} == {"Foreign Minister"}
        shared = {frozenset(p): e for p, e in _edges(graph, "shared").items()}
        assert shared[frozenset({"russia", "iraq"})]["events"] == 1  # not the draft meeting

    evidence = client.get(
        reverse("network-edge-data"), {"source": "russia", "target": "iraq"}
    ).json()
    assert [e["title"] for e in evidence["events"]] == ["Talks 0"]
    ties = client.get(
        reverse("network-edge-data"), {"source": "sergey-lavrov", "target": "russia"}
    ).json()["ties"]
    quotes = [c["quote"] for t in ties for c in t["evidence"]]
    assert quotes == ["Lavrov, Russia's foreign minister"]
    # A draft actor is not a valid end of an edge either.
    response = client.get(reverse("network-edge-data"), {"source": "ghost", "target": "russia"})
    assert response.status_code == 400
    assert "source" in response.json()
    page = client.get(reverse("network")).content.decode()
    assert "Ghost" not in page and "Secret talks" not in page and "Draft envoy" not in page


def test_edge_lists_the_shared_records_and_ties_with_their_evidence(client):
    _world(size=2)
    data = client.get(reverse("network-edge-data"), {"source": "russia", "target": "iraq"}).json()
    assert [e["title"] for e in data["events"]] == ["Talks 1", "Talks 0"]
    assert data["events"][0]["evidence"][0]["quote"] == "They met (1)"
    assert data["events"][0]["evidence"][0]["url"].startswith("/events/talks-1/#citation-")
    assert [a["title"] for a in data["agreements"]] == ["S-400 talks"]
    assert data["ties"] == []
    html = client.get(reverse("network-edge"), {"source": "russia", "target": "iraq"})
    assert html.status_code == 200
    assert "They met (1)" in html.content.decode()


def test_filters_by_topic_year_and_kind(client):
    russia, iraq, lavrov, _tie = _world()
    defence = f.topic(name="Defence", slug="defence")
    old = f.event(title="Old talks", start_date=dt.date(2010, 5, 1))
    old.topics.add(defence)
    f.participant(old, russia)
    f.participant(old, iraq)

    def shared(**params):
        graph = client.get(reverse("network-data"), params).json()
        pairs = {frozenset(p): e for p, e in _edges(graph, "shared").items()}
        return graph, pairs.get(frozenset({"russia", "iraq"}), {}).get("events")

    assert shared()[1] == 2
    assert shared(topic="defence")[1] == 1
    assert shared(year_to=2015)[1] == 1
    assert shared(year_from=2015)[1] == 1
    graph, _ = shared(kind="state")
    assert {n["id"] for n in graph["nodes"]} == {"russia", "iraq"}
    assert not _edges(graph, "tie")  # the minister is not a state


def test_whole_network_keeps_the_top_actors_and_says_how_many_it_left_out(client):
    _world()
    loner = f.actor(name="Loner")
    f.participant(f.event(), loner)
    graph = client.get(reverse("network-data"), {"limit": 2}).json()
    assert [n["id"] for n in graph["nodes"]] == ["russia", "iraq"]
    assert (graph["actors_considered"], graph["actors_shown"], graph["truncated"]) == (4, 2, True)
    page = client.get(reverse("network"), {"limit": 2}).content.decode()
    assert 'href="?limit=4"' in page  # show more


def test_neighbourhood_is_one_or_two_steps_around_the_actor(client):
    russia, iraq, lavrov, _tie = _world()
    far = f.actor(name="Far Away")
    f.tie(far, iraq, title="Envoy")
    stranger = f.actor(name="Stranger")
    f.participant(f.event(), stranger)

    one = client.get(reverse("network-data"), {"actor": "sergey-lavrov"}).json()
    assert {n["id"] for n in one["nodes"]} == {"sergey-lavrov", "russia", "iraq"}
    assert next(n for n in one["nodes"] if n["centre"])["id"] == "sergey-lavrov"
    two = client.get(reverse("network-data"), {"actor": "sergey-lavrov", "depth": 2}).json()
    assert {n["id"] for n in two["nodes"]} == {"sergey-lavrov", "russia", "iraq", "far-away"}


def _star():
    """A centre with four direct connections of strength 3, 2, 1 and 1 (shared meetings),
    and beyond them: Beta through the strongest, Delta only through the weakest, and a draft
    actor through the strongest."""
    centre = f.actor(name="Centre")
    direct = [f.actor(name=name) for name in ("One", "Two", "Three", "Four")]
    for actor, shared in zip(direct, (3, 2, 1, 1), strict=True):
        for n in range(shared):
            meeting = f.event(title=f"{actor.name} meets the centre {n}")
            f.participant(meeting, centre)
            f.participant(meeting, actor)
    beyond = {
        "beta": (direct[0], f.actor(name="Beta")),
        "delta": (direct[3], f.actor(name="Delta")),
        "draft": (direct[0], f.actor(name="Hidden", status=DRAFT)),
    }
    for through, actor in beyond.values():
        meeting = f.event(title=f"{actor.name} meets {through.name}")
        f.participant(meeting, through)
        f.participant(meeting, actor)


def test_neighbourhood_shows_direct_connections_first_strongest_first(client):
    _star()
    graph = client.get(reverse("network-data"), {"actor": "centre", "limit": 4}).json()
    assert [n["id"] for n in graph["nodes"]] == ["centre", "one", "two", "three"]
    assert (graph["actors_considered"], graph["truncated"]) == (5, True)


def test_second_step_starts_from_the_direct_connections_shown(client):
    _star()
    graph = client.get(reverse("network-data"), {"actor": "centre", "depth": 2, "limit": 5}).json()
    # Four places: half to the two strongest direct connections, the second step from
    # them (Beta; not Delta, beyond Four; never the draft), the place it leaves to Three.
    assert [n["id"] for n in graph["nodes"]] == ["centre", "one", "two", "three", "beta"]
    assert (graph["actors_considered"], graph["truncated"]) == (6, True)
    roomy = client.get(reverse("network-data"), {"actor": "centre", "depth": 2, "limit": 50}).json()
    assert {n["id"] for n in roomy["nodes"]} == {
        "centre",
        "one",
        "two",
        "three",
        "four",
        "beta",
        "delta",
    }
    assert roomy["truncated"] is False
    # Weights count every public record: One's three with the centre, Beta's meeting and
    # the (public) meeting with the draft actor.
    weights = {n["id"]: n["weight"] for n in roomy["nodes"]}
    assert (weights["centre"], weights["one"], weights["delta"]) == (7, 5, 1)


def test_second_step_starts_from_the_ten_strongest_direct_connections(client):
    centre = f.actor(name="Centre")
    direct = [f.actor(name=f"Direct {n:02}") for n in range(1, 12)]
    for rank, actor in enumerate(direct):
        for n in range(12 - rank):  # Direct 01 shares 12 meetings, Direct 11 one
            meeting = f.event(title=f"{actor.name} meets the centre {n}")
            f.participant(meeting, centre)
            f.participant(meeting, actor)
    for through, name in ((direct[0], "Near"), (direct[10], "Past the tenth")):
        meeting = f.event(title=f"{name} meets {through.name}")
        f.participant(meeting, through)
        f.participant(meeting, f.actor(name=name))
    graph = client.get(reverse("network-data"), {"actor": "centre", "depth": 2}).json()
    ids = {n["id"] for n in graph["nodes"]}
    assert {"centre", "direct-01", "direct-11", "near"} <= ids
    assert "past-the-tenth" not in ids


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"year_from": "1066"}, "year_from"),
        ({"kind": "dragon"}, "kind"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"actor": "nobody"}, "actor"),
        ({"depth": "3"}, "depth"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, params, bad):
    _world()
    for url in (reverse("network-data"), "/api/v1/network/"):
        response = client.get(url, params)
        assert response.status_code == 400
        assert list(response.json()) == [bad]
    page = client.get(reverse("network"), params)
    assert page.status_code == 400
    assert "Correct the filters to see the network." in page.content.decode()


def test_edge_needs_two_different_public_actors(client):
    _world()
    for params, bad in (
        ({"source": "russia"}, "target"),
        ({"source": "russia", "target": "russia"}, "target"),
        ({"source": "russia", "target": "nobody"}, "target"),
    ):
        response = client.get("/api/v1/network/edge/", params)
        assert response.status_code == 400
        assert list(response.json()) == [bad]
    assert client.get(reverse("network-edge"), {"source": "russia"}).status_code == 400


def test_page_without_javascript_lists_the_connections_in_a_sortable_table(client):
    _world(size=2)
    html = client.get(reverse("network")).content.decode()
    assert 'data-network-src="/network/data.json?"' in html
    assert "Foreign Minister" in html
    assert "2 shared events, 1 shared agreement" in html
    by_name = client.get(reverse("network"), {"sort": "source"}).content.decode()
    assert 'aria-sort="ascending"' in by_name
    assert by_name.index('<td dir="auto"><a href="/actors/iraq/">Iraq') < by_name.index(
        '<td dir="auto"><a href="/actors/sergey-lavrov/">'
    )
    assert client.get(reverse("network"), {"sort": "colour"}).status_code == 400


def test_page_in_arabic_is_right_to_left_with_arabic_names(client):
    _world()
    html = client.get("/ar/network/").content.decode()
    assert 'dir="rtl"' in html
    assert "العراق" in html


def test_exports_parse_as_gexf_graphml_and_json(client):
    _world(size=2)
    gexf = client.get("/api/v1/network/", {"format": "gexf"})
    assert gexf["Content-Type"].startswith("application/gexf+xml")
    assert "ruiraq-network.gexf" in gexf["Content-Disposition"]
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.fromstring(gexf.content)
    labels = {n.get("label") for n in root.iterfind(".//g:nodes/g:node", ns)}
    assert labels == {"Russia", "Iraq", "Sergey Lavrov"}
    weights = {
        frozenset((e.get("source"), e.get("target"))): e.get("weight")
        for e in root.iterfind(".//g:edges/g:edge", ns)
        if e.get("id").startswith("shared")
    }
    assert weights[frozenset({"russia", "iraq"})] == "3"

    graphml = client.get("/api/v1/network/", {"format": "graphml"})
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(graphml.content)
    assert len(root.findall(".//g:node", ns)) == 3
    tie = next(e for e in root.iterfind(".//g:edge", ns) if e.get("id").startswith("tie"))
    data = {d.get("key"): d.text for d in tie.iterfind("g:data", ns)}
    assert (data["type"], data["title"], data["start"]) == ("tie", "Foreign Minister", "2004-03-09")

    assert len(client.get("/api/v1/network/", {"format": "json"}).json()["nodes"]) == 3


def test_network_is_documented_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/network/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"topic", "year_from", "year_to", "kind", "actor", "depth", "limit", "format"} <= names
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    assert "400" in operation["responses"]
    assert "/api/v1/network/edge/" in schema["paths"]


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_whole_network_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    _world(size=size)
    # 1 records per actor from events and agreements (two GROUP BYs in a UNION ALL), 2 the
    # ties, 3 the top actors' rows, 4 the pairs among them (events and agreements, a UNION).
    with django_assert_num_queries(4):
        client.get(reverse("network-data"))


@pytest.mark.parametrize("size", [1, 12])
def test_neighbourhood_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    _world(size=size)
    # 1 the actor (form), 2 the step: actors sharing events, agreements or ties with it (a
    # UNION); then 3 the chosen actors' rows with their records (subqueries), 4 their ties,
    # 5 the pairs among them (a UNION).
    with django_assert_num_queries(5):
        client.get(reverse("network-data"), {"actor": "sergey-lavrov"})
    # A second step adds its one.
    with django_assert_num_queries(6):
        client.get(reverse("network-data"), {"actor": "sergey-lavrov", "depth": 2})


@pytest.mark.parametrize("size", [1, 12])
def test_edge_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    _world(size=size)
    # 1-2 the two actors (form), 3 shared events, 4 shared agreements, 5 ties, 6 citations.
    with django_assert_num_queries(6):
        client.get(reverse("network-edge-data"), {"source": "russia", "target": "iraq"})


@pytest.mark.parametrize("size", [1, 12])
def test_network_page_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    _world(size=size)
    # 1 the topics of the filter menu, then the network's 4.
    with django_assert_num_queries(5):
        client.get(reverse("network"))
