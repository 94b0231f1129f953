"""The reconciliation service (/api/reconcile/, W3C Reconciliation Service API 0.2): an
OpenRefine-style session over the seed dataset, answers validated against the W3C group's
JSON schemas (tests/data/reconciliation-api-0.2/, see its README), and bad input."""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from actors.models import Actor
from ruiraq.models import EditorialStatus
from ruiraq.site import reconcile
from tests import factories as f

pytestmark = pytest.mark.django_db

SERVICE = "/api/reconcile/"
SCHEMAS = Path(__file__).parent / "data" / "reconciliation-api-0.2"


def _validator(name):
    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    base = "https://reconciliation-api.github.io/specs/0.2/schemas/"
    registry = Registry().with_resources(
        (base + file, Resource.from_contents(schema, default_specification=_DRAFT))
        for file, schema in schemas.items()
    )
    return Draft7Validator(schemas[name], registry=registry)


from referencing.jsonschema import DRAFT7 as _DRAFT  # noqa: E402


def _valid(name, document):
    errors = sorted(_validator(name).iter_errors(document), key=str)
    assert errors == [], [e.message for e in errors]
    return document


def _batch(client, queries, method="get"):
    payload = {"queries": json.dumps(queries, ensure_ascii=False)}
    response = getattr(client, method)(SERVICE, payload)
    assert response.status_code == 200, response.content
    return _valid("reconciliation-result-batch.json", response.json())


# The column a researcher reconciles: names in three scripts, some misspelled, with the actor
# each should find (slug) and whether it is an exact spelling of a recorded name or alias.
COLUMN = [
    ("Sergey Lavrov", "sergey-lavrov", True),
    ("Sergei Lavrov", "sergey-lavrov", True),
    ("Сергей Лавров", "sergey-lavrov", True),
    ("سيرغي لافروف", "sergey-lavrov", True),
    ("Sergey Lavrof", "sergey-lavrov", False),
    ("LAVROV, Sergey", "sergey-lavrov", True),
    ("Юрий Борисов", "yuri-borisov", True),
    ("Yury Borisov", "yuri-borisov", True),
    ("Mikhail Bogdanow", "mikhail-bogdanov", False),
    ("ميخائيل بوغدانوف", "mikhail-bogdanov", True),
    ("Nouri al-Maliki", "nouri-al-maliki", True),
    ("Нури аль-Малики", "nouri-al-maliki", True),
    ("نوري المالكي", "nouri-al-maliki", True),
    ("Nouri al-Malikki", "nouri-al-maliki", True),  # doubled letters fold away
    ("Massoud Barazani", "massoud-barzani", False),
    ("مسعود بارزاني", "massoud-barzani", True),
    ("Vladimir Poutine", "vladimir-putin", False),
    ("Владимир Путин", "vladimir-putin", True),
    ("Ziad Sabsabi", "ziyad-sabsabi", True),
    ("Mahdi al-Alak", "mahdi-al-alaq", False),
]


def test_an_exact_name_in_any_script_beats_a_fuzzy_one(client):
    lavrov = f.actor(name="Sergey Lavrov", name_ar="سيرغي لافروف")
    near = f.actor(name="Sergey Lavrova")
    for query in ("Sergey Lavrov", "سيرغي لافروف"):
        (result,) = _batch(client, {"q": {"query": query}}).values()
        ids = [c["id"] for c in result["result"]]
        assert ids[0] == f"actors/{lavrov.slug}"
        if query == "Sergey Lavrov":
            assert ids[1] == f"actors/{near.slug}"
            assert result["result"][1]["score"] < 90
            assert result["result"][1]["match"] is False


def test_an_alias_is_an_exact_match(client):
    pmu = f.actor(name="Popular Mobilization Units", kind="armed_group")
    f.alias(pmu, "al-Hashd al-Shaabi")
    (result,) = _batch(client, {"q": {"query": "Hashd Shaabi"}}).values()
    assert result["result"][0]["id"] == f"actors/{pmu.slug}"
    assert result["result"][0]["match"] is True


def test_properties_sharpen_the_score(client):
    russian = f.actor(name="Ivan Petrov", country="RU")
    iraqi = f.actor(name="Ivan Petrov", country="IQ")
    query = {"query": "Ivan Petrov", "properties": [{"pid": "country", "v": "IQ"}]}
    (result,) = _batch(client, {"q": query}).values()
    first, second = result["result"][:2]
    assert first["id"] == f"actors/{iraqi.slug}" and first["match"] is True
    assert second["id"] == f"actors/{russian.slug}" and second["match"] is False
    assert first["score"] > second["score"]
    # Without a property, two exact namesakes: neither is a certain match.
    (result,) = _batch(client, {"q": {"query": "Ivan Petrov"}}).values()
    assert [c["match"] for c in result["result"]] == [False, False]


def test_the_type_narrows_the_candidates(client):
    f.actor(name="Rosneft", kind="company")
    state = f.actor(name="Rosneft", kind="state")
    (result,) = _batch(client, {"q": {"query": "Rosneft", "type": "state"}}).values()
    assert [c["id"] for c in result["result"]] == [f"actors/{state.slug}"]


def test_events_and_agreements_are_reconciled_by_title(client):
    event = f.event(title="Lavrov visits Baghdad")
    agreement = f.agreement(title="West Qurna-2 contract")
    results = _batch(
        client,
        {
            "e": {"query": "Lavrov visits Baghdad", "type": "event"},
            "a": {"query": "West Qurna-2 contract"},
        },
    )
    assert results["e"]["result"][0]["id"] == f"events/{event.slug}"
    assert results["e"]["result"][0]["type"] == [{"id": "event", "name": "Event"}]
    assert results["a"]["result"][0]["id"] == f"agreements/{agreement.slug}"


def test_only_public_records_are_candidates(client):
    f.actor(name="Hidden Person", status=EditorialStatus.DRAFT)
    f.actor(name="Gone Person", status=EditorialStatus.WITHDRAWN)
    f.event(title="Hidden Person meets", status=EditorialStatus.DRAFT)
    results = _batch(client, {"a": {"query": "Hidden Person"}, "b": {"query": "Gone Person"}})
    assert results == {"a": {"result": []}, "b": {"result": []}}
    draft = Actor.objects.get(name="Hidden Person")
    assert client.get(SERVICE + "preview", {"id": f"actors/{draft.slug}"}).status_code == 404
    extended = client.get(
        SERVICE,
        {"extend": json.dumps({"ids": [f"actors/{draft.slug}"], "properties": [{"id": "kind"}]})},
    ).json()
    assert extended["rows"] == {f"actors/{draft.slug}": {"kind": []}}
    assert client.get(SERVICE + "suggest/entity", {"prefix": "Hidden"}).json() == {"result": []}


def test_propose_properties(client):
    response = client.get(SERVICE + "properties", {"type": "person"})
    ids = [p["id"] for p in response.json()["properties"]]
    assert {"country", "kind", "wikidata", "name_ru", "name_ar"} <= set(ids)
    assert client.get(SERVICE + "properties", {"type": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    "payload, named",
    [
        ({"queries": "{not json"}, "queries"),
        ({"queries": "[1, 2]"}, "queries"),
        ({"queries": "{}"}, "queries"),
        ({"queries": json.dumps({"q": "Lavrov"})}, "queries.q"),
        ({"queries": json.dumps({"q": {"query": ""}})}, "queries.q.query"),
        ({"queries": json.dumps({"q": {"query": 5}})}, "queries.q.query"),
        ({"queries": json.dumps({"q": {"query": "x", "type": "planet"}})}, "queries.q.type"),
        ({"queries": json.dumps({"q": {"query": "x", "limit": 0}})}, "queries.q.limit"),
        ({"queries": json.dumps({"q": {"query": "x", "limit": "5"}})}, "queries.q.limit"),
        ({"queries": json.dumps({"q": {"query": "x", "properties": [1]}})}, "queries.q.properties"),
        (
            {"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})},
            "at most 50",
        ),
        ({"extend": "nope"}, "extend"),
        ({"extend": json.dumps({"ids": "actors/x", "properties": []})}, "extend.ids"),
        ({"extend": json.dumps({"ids": [], "properties": [{"id": "salary"}]})}, "salary"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_requests_are_a_400_with_a_json_error(client, payload, named, method):
    response = getattr(client, method)(SERVICE, payload)
    assert response.status_code == 400
    assert named in response.json()["detail"]


def test_a_malformed_json_body_is_a_400(client):
    response = client.post(SERVICE, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("query", [{"limit": "x"}, {"limit": "0"}, {"type": "planet"}])
def test_bad_suggest_parameters_are_a_400(client, query):
    response = client.get(SERVICE + "suggest/entity", {"prefix": "a", **query})
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]


def test_the_scoring_constants_keep_exact_above_fuzzy():
    assert reconcile.FUZZY_WEIGHT < reconcile.EXACT


def test_a_body_over_django_s_limit_is_a_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    queries = json.dumps({f"q{i}": {"query": "Sergey Lavrov " * 5} for i in range(30)})
    response = client.post(
        SERVICE, urlencode({"queries": queries}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.usefixtures("seeded_class")
class TestOnTheSeed:
    """Tests that read the seed dataset, loaded once for all of them (each test in a
    savepoint of its own)."""

    def test_manifest_follows_the_spec(self, client):
        manifest = _valid("manifest.json", client.get(SERVICE).json())
        assert manifest["versions"] == ["0.2"]
        types = {t["id"] for t in manifest["defaultTypes"]}
        assert {"person", "state", "company", "government_body", "event", "agreement"} <= types
        assert manifest["view"]["url"] == "http://testserver/{{id}}/"
        assert manifest["preview"]["url"] == "http://testserver/api/reconcile/preview?id={{id}}"
        assert manifest["suggest"]["entity"]["service_path"] == "/suggest/entity"

    def test_an_openrefine_session_reconciles_a_column_in_three_scripts(
        self, client, django_assert_max_num_queries
    ):
        queries = {
            f"q{i}": {"query": name, "type": "person", "limit": 3}
            for i, (name, _slug, _exact) in enumerate(COLUMN)
        }
        assert len(queries) == 20
        # A batch of actor queries: the public actors, their aliases — whatever the batch size.
        with django_assert_max_num_queries(2):
            # As OpenRefine sends it: a form, urlencoded.
            response = client.post(
                SERVICE,
                urlencode({"queries": json.dumps(queries, ensure_ascii=False)}),
                content_type="application/x-www-form-urlencoded",
            )
        assert response.status_code == 200, response.content
        results = _valid("reconciliation-result-batch.json", response.json())
        assert set(results) == set(queries)
        for i, (name, slug, exact) in enumerate(COLUMN):
            best = results[f"q{i}"]["result"][0]
            assert best["id"] == f"actors/{slug}", name
            assert best["type"] == [{"id": "person", "name": "person"}]
            features = {feature["id"]: feature["value"] for feature in best["features"]}
            assert features["name_exact"] is exact, name
            assert best["match"] is exact, name
            assert (best["score"] == 100) is exact, name
            assert 54 <= best["score"] <= 100

        # The same batch by GET answers the same.
        assert _batch(client, queries) == results

    def test_suggest_entities(self, client):
        response = client.get(SERVICE + "suggest/entity", {"prefix": "Lavrov"})
        result = _valid("suggest-entities-response.json", response.json())["result"]
        assert result[0]["id"] == "actors/sergey-lavrov"
        assert result[0]["notable"] == [{"id": "person", "name": "person"}]
        response = client.get(SERVICE + "suggest/entity", {"prefix": "Лавров", "type": "person"})
        assert response.json()["result"][0]["id"] == "actors/sergey-lavrov"

    def test_preview_is_a_small_card_that_openrefine_may_frame(self, client):
        response = client.get(SERVICE + "preview", {"id": "actors/sergey-lavrov"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "Sergey Lavrov" in html and 'href="/actors/sergey-lavrov/"' in html
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "<script" not in html and "style=" not in html
        # Every other page still refuses to be framed.
        assert client.get("/actors/sergey-lavrov/")["X-Frame-Options"] == "DENY"
        assert client.get(SERVICE + "preview", {"id": "actors/nobody"}).status_code == 404
        assert client.get(SERVICE + "preview").status_code == 404

    def test_data_extension(self, client, django_assert_num_queries):
        ids = ["actors/sergey-lavrov", "actors/iraq", "actors/no-such-actor"]
        properties = [{"id": p} for p in ("country", "kind", "wikidata", "name_ru", "name_ar")]
        payload = {"extend": json.dumps({"ids": ids, "properties": properties})}
        # One query: the actors asked about.
        with django_assert_num_queries(1):
            response = client.post(SERVICE, payload)
        document = _valid("data-extension-response.json", response.json())
        assert [m["id"] for m in document["meta"]] == [p["id"] for p in properties]
        lavrov = document["rows"]["actors/sergey-lavrov"]
        assert lavrov["country"] == [{"str": "RU"}]
        assert lavrov["kind"] == [{"str": "person"}]
        assert lavrov["name_ru"] == [{"str": "Сергей Лавров"}]
        assert lavrov["name_ar"] == [{"str": "سيرغي لافروف"}]
        actor = Actor.objects.get(slug="iraq")
        assert document["rows"]["actors/iraq"]["wikidata"] == (
            [{"str": actor.wikidata_id}] if actor.wikidata_id else []
        )
        assert document["rows"]["actors/no-such-actor"] == {p["id"]: [] for p in properties}

    def test_untyped_queries_cost_a_fixed_number_of_queries_each(
        self, client, django_assert_max_num_queries
    ):
        queries = {f"q{i}": {"query": name} for i, (name, *_rest) in enumerate(COLUMN[:5])}
        # The actors and their aliases (2), then for each query events and agreements by
        # ruiraq.search (one query each).
        with django_assert_max_num_queries(2 + 5 * 2):
            _batch(client, queries)

    def test_suggest_and_preview_cost_a_fixed_number_of_queries(
        self, client, django_assert_num_queries
    ):
        # Suggest, any type: one ranked search per kind (actors, events, agreements).
        with django_assert_num_queries(3):
            client.get(SERVICE + "suggest/entity", {"prefix": "Lavrov"})
        # Suggest for one actor kind: the actors only.
        with django_assert_num_queries(1):
            client.get(SERVICE + "suggest/entity", {"prefix": "Lavrov", "type": "person"})
        # Preview: the record.
        with django_assert_num_queries(1):
            client.get(SERVICE + "preview", {"id": "actors/sergey-lavrov"})
        # The manifest: none.
        with django_assert_num_queries(0):
            client.get(SERVICE)
