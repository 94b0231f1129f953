"""The FollowTheMoney export (/api/v1/export/ftm/ and ``manage.py export_ftm``), validated
with the ``followthemoney`` package: every entity parses against its schema, keeps all its
values through FtM's own cleaning, and every reference points at an exported entity of the
schema the property requires."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from followthemoney import model
from followthemoney.exc import InvalidData

from actors.models import Actor
from ruiraq.models import EditorialStatus
from ruiraq.seed.loader import SEED_PATH
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/export/ftm/"


def _entities(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _validate(entities):
    """Each entity checked by followthemoney; returns them by id."""
    by_id = {}
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}, entity
        assert entity["id"] not in by_id, entity["id"]
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        assert schema.validate(entity) is None, entity  # required properties present
        try:
            proxy = model.get_proxy(entity, cleaned=False)
        except InvalidData as exc:  # an unknown property
            raise AssertionError(f"{entity['id']}: {exc}") from exc
        # Nothing dropped or rewritten by FtM's cleaning: every value is valid, and normal.
        assert proxy.to_dict()["properties"] == entity["properties"], entity
        by_id[entity["id"]] = proxy
    for proxy in by_id.values():
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in by_id, f"{proxy.id}.{prop.name} → {value}"
                assert by_id[value].schema.is_a(prop.range), f"{proxy.id}.{prop.name}"
    return by_id


def test_mapping_of_ties_events_agreements_and_evidence(client):
    person = f.actor(name="Elbrus Kutrashev", kind="person", country="RU")
    state = f.actor(name="Russia", kind="state", country="RU")
    ministry = f.actor(name="Oil Ministry", kind="government_body", country="IQ")
    company = f.actor(name="Lukoil", kind="company", country="RU")
    party = f.actor(name="Wisdom", kind="party")
    f.tie(person, state, kind="position", title="Ambassador of Russia to Iraq")
    f.tie(person, ministry, kind="leadership", title="Minister")
    f.tie(person, party, kind="membership", title="")
    f.tie(state, company, kind="ownership", title="")
    f.tie(company, person, kind="ownership", title="")  # FtM has no owning a person
    source = f.source(title="Lavrov in Baghdad", kind="news", language="ru")
    event = f.event(title="Talks", start_date=dt.date(2019, 3, 1), start_precision="month")
    f.participant(event, ministry, role="host")
    f.participant(event, person, role="guest")
    deal = f.agreement(title="West Qurna-2", value_amount=4000000000, value_currency="USD")
    f.party(deal, ministry, role="buyer")
    f.party(deal, company, role="supplier")
    f.party(deal, state, role="signatory")
    f.citation(event, source)
    by_id = _validate(_entities(client))

    def one(schema, **props):
        (found,) = [
            p
            for p in by_id.values()
            if p.schema.name == schema and all(p.get(k) == v for k, v in props.items())
        ]
        return found

    a = lambda actor: [f"ruiraq-actor-{actor.pk}"]  # noqa: E731
    assert one("Representation", agent=a(person), client=a(state)).get("role") == [
        "Ambassador of Russia to Iraq"
    ]
    one("Directorship", director=a(person), organization=a(ministry))
    one("Membership", member=a(person), organization=a(party))
    one("Ownership", owner=a(state), asset=a(company))
    one("UnknownLink", subject=a(company), object=a(person))
    talks = one("Event", name=["Talks"])
    assert talks.get("organizer") == a(ministry)
    assert talks.get("involved") == a(person)
    assert talks.get("startDate") == ["2019-03"]
    assert talks.get("proof") == [f"ruiraq-source-{source.pk}"]
    contract = one("Contract", title=["West Qurna-2"])
    assert contract.get("authority") == a(ministry)
    assert contract.get("currency") == ["USD"]
    award = one("ContractAward", supplier=a(company))
    assert award.get("contract") == [contract.id]
    one("UnknownLink", subject=a(state), object=[contract.id])
    article = by_id[f"ruiraq-source-{source.pk}"]
    assert article.schema.name == "Article"
    assert article.get("language") == ["rus"]


def test_only_public_records_are_exported(client):
    shown = f.actor(name="Shown")
    hidden = f.actor(name="Hidden actor", status=EditorialStatus.DRAFT)
    event = f.event(title="Public talks")
    f.participant(event, hidden)
    f.tie(shown, hidden)
    f.event(title="Hidden talks", status=EditorialStatus.WITHDRAWN)
    f.source(title="Hidden source", status=EditorialStatus.DRAFT)
    entities = _entities(client)
    _validate(entities)
    assert "Hidden" not in json.dumps(entities)
    assert {e["schema"] for e in entities} == {"Person", "Event"}


def test_the_export_is_a_download_with_its_licence_and_time(client, settings):
    response = client.get(URL)
    assert response["Content-Disposition"].endswith('.ftm.json"')
    assert response["Link"] == f'<{settings.DATASET_LICENCE_URL}>; rel="license"'
    assert response["X-Generated-At"]
    assert client.get("/api/v1/export/")["Link"].endswith('rel="license"')


def test_the_export_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for i in range(5):
        actor = f.actor(name=f"Actor {i}")
        f.alias(actor, f"Alias {i}")
        f.tie(actor, f.actor(kind="state"))
        event = f.event()
        f.participant(event, actor)
        deal = f.agreement()
        f.party(deal, actor, role="supplier")
        f.citation(event)
    # The citations; the sources; the actors and their aliases; the ties with their actors;
    # the events and their participants; the agreements and their parties.
    with django_assert_num_queries(9):
        _entities(client)


def test_the_command_refuses_a_bad_base_url_or_folder(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="base-url"):
        call_command("export_ftm", base_url="example.org")
    with pytest.raises(CommandError, match="No such folder"):
        call_command("export_ftm", output=str(tmp_path / "missing" / "x.json"))


@pytest.mark.usefixtures("seeded_class")
class TestOnTheSeed:
    """Tests that read the seed dataset, loaded once for all of them (each test in a
    savepoint of its own)."""

    def test_the_seed_dataset_exports_as_valid_ftm(self, client):
        by_id = _validate(_entities(client))
        schemas = {proxy.schema.name for proxy in by_id.values()}
        assert {"Person", "Company", "PublicBody", "Organization", "Event", "Contract"} <= schemas
        assert schemas & {"Article", "Document"}
        assert schemas & {
            "Membership",
            "Directorship",
            "Representation",
            "Ownership",
            "UnknownLink",
        }
        # Every record of seed.json is published (not public(): the rule the export uses).
        seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
        public = sum(len(seed[key]) for key in ("actors", "events", "agreements", "sources"))
        records = [
            p
            for p in by_id.values()
            if p.id.split("-")[1] in ("actor", "event", "agreement", "source")
        ]
        assert len(records) == public
        lavrov = by_id[f"ruiraq-actor-{Actor.objects.get(slug='sergey-lavrov').pk}"]
        assert lavrov.schema.name == "Person"
        assert "Сергей Лавров" in lavrov.get("alias")
        assert lavrov.get("country") == ["ru"]
        assert lavrov.get("sourceUrl") == ["http://testserver/actors/sergey-lavrov/"]
        assert lavrov.get("proof")  # the sources citing him

    def test_the_command_writes_the_same_entities_and_their_metadata(self, client, tmp_path):
        out = tmp_path / "ruiraq.ftm.json"
        call_command("export_ftm", output=str(out), base_url="http://testserver/")
        written = [json.loads(line) for line in out.read_text().splitlines()]
        assert written == _entities(client)
        meta = json.loads((tmp_path / "ruiraq.ftm.json.meta.json").read_text())
        assert meta["licence"]["url"].startswith("https://")
        assert meta["generated_at"]
        assert sum(meta["entities"].values()) == len(written)
