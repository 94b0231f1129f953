"""Only published records appear anywhere on the public site."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ruiraq.models import EditorialStatus
from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW, EditorialStatus.WITHDRAWN]
MAKERS = {
    "event": factories.event,
    "agreement": factories.agreement,
    "actor": factories.actor,
    "source": factories.source,
}
LISTS = {
    "event": "articles:event-list",
    "agreement": "articles:agreement-list",
    "actor": "actors:list",
    "source": "articles:source-list",
}


def _title(kind):
    return {"title": f"Secret {kind}"} if kind != "actor" else {"name": "Secret actor"}


@pytest.mark.parametrize("status", HIDDEN)
@pytest.mark.parametrize("kind", MAKERS)
def test_unpublished_record_page_is_404(client, kind, status):
    record = MAKERS[kind](status=status)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 404
    assert "There is no published record at this address" in response.content.decode()


@pytest.mark.parametrize("kind", MAKERS)
def test_lists_show_only_published_records(client, kind):
    MAKERS[kind](**_title(kind), status=EditorialStatus.DRAFT)
    shown = MAKERS[kind]()
    html = client.get(reverse(LISTS[kind])).content.decode()
    assert f'href="{shown.get_absolute_url()}"' in html
    assert "Secret" not in html


def test_event_page_hides_unpublished_participants_agreements_and_sources(client):
    event = factories.event()
    factories.participant(event, factories.actor(name="Secret actor", status="draft"))
    event.agreements.add(factories.agreement(title="Secret agreement", status="in_review"))
    factories.citation(event, factories.source(title="Secret source", status="draft"))
    factories.citation(event, quote="A public quote.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Secret" not in html
    assert "A public quote." in html


def test_agreement_page_hides_unpublished_parties_and_events(client):
    agreement = factories.agreement()
    factories.party(agreement, factories.actor(name="Secret actor", status="draft"))
    factories.event(title="Secret event", status="withdrawn").agreements.add(agreement)
    factories.citation(agreement)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Secret" not in html


def test_actor_page_hides_unpublished_ties_records_and_co_participants(client):
    actor = factories.actor()
    secret_actor = factories.actor(name="Secret actor", status="draft")
    factories.tie(subject=actor, object=secret_actor, title="Secret tie to a draft")
    factories.tie(subject=actor, object=factories.actor(), title="Secret tie", status="draft")
    secret_event = factories.event(title="Secret event", status="draft")
    factories.participant(secret_event, actor)
    factories.participant(secret_event, factories.actor(name="Secret co-participant"))
    public_event = factories.event()
    factories.participant(public_event, actor)
    factories.participant(public_event, secret_actor)
    factories.party(factories.agreement(title="Secret agreement", status="draft"), actor)
    factories.citation(actor, factories.source(title="Secret source", status="draft"))
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "Secret" not in html
    assert f'href="{public_event.get_absolute_url()}"' in html


def test_source_page_hides_unpublished_citing_records_and_versions(client):
    source = factories.source()
    factories.citation(factories.event(title="Secret event", status="draft"), source)
    factories.citation(factories.actor(name="Secret actor", status="in_review"), source)
    factories.citation(
        factories.tie(object=factories.actor(name="Secret object", status="draft")), source
    )
    factories.source(title="Secret copy", republishes=source, status="draft")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Secret" not in html
    assert "No published record cites this source yet." in html


def test_home_counts_and_key_actors_leave_out_unpublished_records(client):
    public_actor = factories.actor(name="Public actor")
    secret_event = factories.event(title="Secret event", status="draft")
    factories.participant(secret_event, factories.actor(name="Secret actor", status="draft"))
    factories.participant(secret_event, public_actor)
    response = client.get(reverse("home"))
    assert [count for _, count, _ in response.context["counts"]] == [0, 0, 1, 0]
    html = response.content.decode()
    assert "Secret" not in html
    assert "Public actor" not in html  # its only event is a draft: no key actor


def test_a_key_actor_withdrawn_after_the_home_page_was_cached_drops_out_at_once(client):
    actor = factories.actor(name="Soon withdrawn")
    factories.participant(factories.event(), actor)
    assert "Soon withdrawn" in client.get(reverse("home")).content.decode()  # page cached
    actor.status = EditorialStatus.WITHDRAWN
    actor.save()
    assert "Soon withdrawn" not in client.get(reverse("home")).content.decode()


def test_timeline_shows_only_published_events(client):
    factories.event(title="Secret event", status="draft")
    shown = factories.event()
    html = client.get(reverse("timeline")).content.decode()
    assert "Secret" not in html and shown.title in html


def test_search_finds_only_published_records(client):
    factories.event(title="Secret Baghdad meeting", status="draft")
    factories.actor(name="Secret Baghdad actor", status="draft")
    html = client.get(reverse("search"), {"q": "baghdad"}).content.decode()
    assert "Secret" not in html
    assert "Nothing published matches" in html


def test_feed_and_sitemap_list_only_published_records(client):
    for kind, make in MAKERS.items():
        make(**_title(kind), slug=f"secret-{kind}", status=EditorialStatus.DRAFT)
        make(slug=f"public-{kind}")
    feed = client.get(reverse("feed")).content.decode()
    sitemap = "".join(
        client.get(f"/sitemap-{section}.xml").content.decode()
        for section in ("events", "agreements", "actors", "sources")
    )
    assert "secret" not in feed.lower() and "secret" not in sitemap.lower()
    assert "/events/public-event/" in feed and "/agreements/public-agreement/" in feed
    for kind in MAKERS:
        assert f"/public-{kind}/</loc>" in sitemap


# --- staff preview ---------------------------------------------------------------------------


def _staff(codename=None):
    user = User.objects.create_user("editor", password="pw-editor-1234", is_staff=True)
    if codename:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_staff_who_may_change_events_preview_a_draft_uncached(client):
    event = factories.event(title="Draft event", status=EditorialStatus.DRAFT)
    client.force_login(_staff("change_event"))
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview for editors" in html and '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_without_the_change_permission_cannot_preview(client):
    event = factories.event(status=EditorialStatus.DRAFT)
    client.force_login(_staff("change_agreement"))
    assert client.get(event.get_absolute_url()).status_code == 404


def test_published_pages_are_not_marked_as_previews(client):
    event = factories.event()
    client.force_login(_staff("change_event"))
    response = client.get(event.get_absolute_url())
    assert "Preview for editors" not in response.content.decode()
    assert '<meta name="robots" content="noindex">' not in response.content.decode()


@pytest.mark.parametrize("target", ["event", "agreement", "actor", "tie"])
def test_citations_of_one_kind_of_record_ask_only_its_door(target):
    """``Citation.objects.public(of=…)``, which record pages read, finds what ``public()``
    finds among that kind's citations: a published source citing a published record."""
    from articles.models import Citation

    make = {
        "event": factories.event,
        "agreement": factories.agreement,
        "actor": factories.actor,
        "tie": factories.tie,
    }[target]
    shown = make()
    hidden = make(status=EditorialStatus.DRAFT)
    factories.citation(shown, quote="Shown.")
    factories.citation(shown, factories.source(status=EditorialStatus.DRAFT), quote="Draft source.")
    factories.citation(hidden, quote="Draft record.")
    of_kind = Citation.objects.filter(**{f"{target}__in": [shown.pk, hidden.pk]})
    expected = {"Shown."}
    assert {c.quote for c in of_kind.public()} == expected
    assert {c.quote for c in of_kind.public(of=target)} == expected
