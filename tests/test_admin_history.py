"""History: every change, inline rows included, is kept with who, when and which fields; the
admin shows it as a readable diff and reverts to an earlier version."""

import re

import pytest
from django.urls import reverse

from articles.models import Event
from ruiraq.models import Stance
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _url(record, view="change", *args):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args])


def _save(client, record, **changes):
    data = form_data(client.get(_url(record)), f"{record._meta.model_name}_form")
    data.update(changes)
    response = client.post(_url(record), data)
    assert response.status_code == 302, response.context["errors"]


def test_history_shows_who_changed_which_field_from_what_to_what(editor_client):
    event = factories.event(title="Talks", place="Moscow", status="draft")
    _save(editor_client, event, place="Baghdad", start_date="March 2019")
    page = editor_client.get(_url(event, "history")).content.decode()
    assert "editor" in page
    arrow = r"\s*&nbsp;&rarr;&nbsp;&nbsp;"
    assert re.search(rf"Place:</strong>\s*Moscow{arrow}Baghdad", page)
    # Dates at their precision: typed as "March 2019", stored as a date and a precision.
    assert re.search(rf"Start date:</strong>\s*29 January 2019{arrow}March 2019", page)
    assert re.search(rf"Start precision:</strong>\s*day{arrow}month", page)
    assert "Updated:" not in page  # the timestamp every save changes is left out


def test_inline_rows_changes_are_listed_on_the_records_history(editor_client):
    event = factories.event(status="draft")
    actor = factories.actor(name="Sergey Lavrov")
    source = factories.source(title="Al-Monitor report")
    _save(
        editor_client,
        event,
        **{
            "participants-0-actor": str(actor.pk),
            "participants-0-role": "guest",
            "citations-0-source": str(source.pk),
            "citations-0-quote": "Lavrov met al-Hakim.",
        },
    )
    _save(editor_client, event, **{"participants-0-role": "host"})
    response = editor_client.get(_url(event, "history"))
    sections = {s["name"]: s["rows"] for s in response.context["inline_history"]}
    participants = sections["participants"]
    assert [r["record"].history_type for r in participants] == ["~", "+"]  # newest first
    assert ("role", "guest", "host") in participants[0]["changes"]
    assert ("actor", "", "Sergey Lavrov") in participants[1]["changes"]
    assert participants[0]["record"].history_user.username == "editor"
    assert ("source", "", "Al-Monitor report") in sections["citations"][0]["changes"]
    page = response.content.decode()
    assert "Changes to participants" in page and "Changes to citations" in page


def test_revert_restores_an_earlier_version(editor_client):
    event = factories.event(title="Talks", place="Moscow", status="draft")
    _save(editor_client, event, title="Wrong title", place="Nowhere")
    original = event.history.order_by("history_date").first()
    revert_url = _url(event, "simple_history", original.history_id)
    data = form_data(editor_client.get(revert_url))
    assert data["title"] == "Talks"
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.place) == ("Talks", "Moscow")
    assert event.history.count() == 3


def test_revert_cannot_be_used_by_an_editor_to_unpublish(editor_client):
    event = factories.event(title="Talks", status="draft")
    factories.citation(event)
    draft_version = event.history.get()
    event.status, event.title = "published", "Talks in Moscow"
    event.save()
    revert_url = _url(event, "simple_history", draft_version.history_id)
    data = form_data(editor_client.get(revert_url))
    # The editor is offered the current status only; forcing the old one is refused.
    assert data["status"] == "published"
    response = editor_client.post(revert_url, {**data, "status": "draft"})
    assert response.status_code == 302
    assert Event.objects.get().status == "published"
    # Nor may an editor revert the content of a published record from its history: a
    # change to a published record is reviewed (tests/test_admin_revisions.py).
    assert editor_client.post(revert_url, data).status_code == 302
    assert Event.objects.values_list("title", "status").get() == ("Talks in Moscow", "published")


def test_revert_keeps_the_publishing_rule(reviewer_client):
    event = factories.event(title="Talks", status="draft")
    citation = factories.citation(event)
    event.status = "published"
    event.save()
    published_version = event.history.first()
    event.status = "draft"
    event.save()
    citation.delete()
    revert_url = _url(event, "simple_history", published_version.history_id)
    response = reviewer_client.post(revert_url, form_data(reviewer_client.get(revert_url)))
    assert response.status_code == 200
    assert "supporting citation" in str(response.context["adminform"].form.errors)
    assert Event.objects.get().status == "draft"


def _unpublished_after_a_published_version(stance):
    """An event once published, now a draft again, whose only citation has ``stance``."""
    event = factories.event(title="Talks", status="draft")
    citation = factories.citation(event)
    event.status = "published"
    event.save()
    published_version = event.history.first()
    event.status = "draft"
    event.save()
    citation.stance = stance
    citation.save()
    return event, _url(event, "simple_history", published_version.history_id)


def test_revert_to_a_published_version_with_only_a_disputing_citation_is_refused(
    reviewer_client,
):
    event, revert_url = _unpublished_after_a_published_version(Stance.DISPUTES)
    response = reviewer_client.post(revert_url, form_data(reviewer_client.get(revert_url)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "“Talks” has no supporting citation" in " ".join(errors["status"])
    assert Event.objects.get().status == "draft"
    assert event.history.count() == 3  # nothing saved


def test_revert_to_a_published_version_with_a_supporting_citation_publishes(reviewer_client):
    event, revert_url = _unpublished_after_a_published_version(Stance.SUPPORTS)
    response = reviewer_client.post(revert_url, form_data(reviewer_client.get(revert_url)))
    assert response.status_code == 302
    assert Event.objects.get().status == "published"
    assert event.history.first().history_user.username == "reviewer"


def test_status_changes_from_actions_are_in_the_history(reviewer_client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    event = factories.event(status="in_review")
    factories.citation(event)
    reviewer_client.post(
        reverse("admin:articles_event_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [str(event.pk)]},
    )
    latest = event.history.first()
    assert (latest.status, latest.history_user.username) == ("published", "reviewer")
    assert latest.history_change_reason == "status: in_review → published"
