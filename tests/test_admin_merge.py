"""Merging actors (admin action with a confirmation page): participations, agreement parties,
ties, citations and aliases move to the surviving actor, the merged names become aliases,
the history records it, and nothing is lost."""

import pytest
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from actors.models import Actor, ActorAlias, Tie
from articles.models import AgreementParty, Citation, Event, EventParticipant
from ruiraq.models import Stance
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:actors_actor_changelist")


def _merge(client, actors, survivor=None, apply=True):
    data = {"action": "merge_actors", ACTION_CHECKBOX_NAME: [str(a.pk) for a in actors]}
    if survivor is not None:
        data["survivor"] = str(survivor.pk)
    if apply:
        data["apply"] = "Merge"
    return client.post(CHANGELIST, data, follow=True)


def _footprint(actor):
    """What the records say about an actor, by content rather than by row."""
    return {
        "participations": set(actor.participations.values_list("event__slug", "role")),
        "parties": set(actor.agreement_parties.values_list("agreement__slug", "role")),
        "ties": set(actor.ties.values_list("kind", "title", "object__slug"))
        | set(actor.incoming_ties.values_list("kind", "title", "subject__slug")),
        "citations": set(actor.citations.values_list("source__slug", "quote")),
        "aliases": {a.casefold() for a in actor.aliases.values_list("name", flat=True)},
    }


# --- the publishing rule holds through a merge ----------------------------------------------


def test_a_merge_leaving_a_published_survivor_without_support_is_refused_and_undone(
    reviewer_client, reviewer
):
    # A published actor without support: data from before the rule (factories skip it).
    survivor = factories.actor(name="Survivor", status="published")
    factories.citation(survivor, stance=Stance.DISPUTES)
    merged = factories.actor(name="Duplicate", status="draft")
    participation = factories.participant(factories.event(), merged)
    factories.citation(merged, stance=Stance.DISPUTES, quote="Disputed.")

    with pytest.raises(ValidationError, match="“Survivor” has no supporting citation"):
        merged.merge_into(survivor, reviewer)
    response = _merge(reviewer_client, [survivor, merged], survivor=survivor)

    page = response.content.decode()
    assert "Nothing was merged: “Survivor” has no supporting citation" in page
    assert Actor.objects.filter(pk=merged.pk).exists()
    assert EventParticipant.objects.get(pk=participation.pk).actor_id == merged.pk
    assert merged.citations.count() == 1 and survivor.citations.count() == 1
    assert not survivor.aliases.exists()


def test_a_merge_counts_the_support_the_merged_actor_brings(reviewer_client):
    survivor = factories.actor(name="Survivor", status="published")  # no support yet
    merged = factories.actor(name="Duplicate", status="draft")
    factories.citation(merged, quote="Supported.")
    response = _merge(reviewer_client, [survivor, merged], survivor=survivor)
    assert "Merged 1 actors into “Survivor”" in response.content.decode()
    survivor.refresh_from_db()
    assert survivor.status == "published"
    assert list(survivor.citations.values_list("quote", flat=True)) == ["Supported."]


def test_a_merge_into_a_draft_survivor_needs_no_support(reviewer):
    survivor = factories.actor(name="Survivor", status="draft")
    merged = factories.actor(name="Duplicate", status="draft")
    merged.merge_into(survivor, reviewer)
    assert not Actor.objects.filter(pk=merged.pk).exists()


def test_the_merge_action_called_directly_by_an_editor_is_refused(editor):
    a, b = factories.actor(), factories.actor()
    request = RequestFactory().post(CHANGELIST, {"survivor": str(a.pk), "apply": "Merge"})
    request.user = editor
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = admin.site.get_model_admin(Actor)
    model_admin.merge_actors(request, Actor.objects.filter(pk__in=[a.pk, b.pk]))
    assert "Only reviewers merge actors" in " ".join(str(m) for m in messages.get_messages(request))
    assert Actor.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


# --- every relation moves, in both directions, built from the test's own data ---------------


def test_a_merge_moves_every_row_of_the_merged_actor_to_the_survivor(reviewer_client):
    survivor = factories.actor(name="Sergey Lavrov", name_ar="سيرغي لافروف", status="draft")
    merged = factories.actor(
        name="Sergei V. Lavrov",
        name_ru="Сергей Викторович Лавров",
        name_ar="سيرجي لافروف",
        wikidata_id="Q27",
        editorial_note="Imported twice.",
        status="draft",
    )
    russia, iraq, ministry = (
        factories.actor(name=name, kind="state") for name in ("Russia", "Iraq", "Ministry")
    )
    bystander = factories.actor(name="Bystander")
    # Ties: one where the merged actor is the subject, one where it is the object (incoming),
    # one between the two (it would tie the survivor to itself), one it has no part in.
    outgoing = factories.tie(subject=merged, object=russia, title="Foreign Minister")
    incoming = factories.tie(subject=ministry, object=merged, kind="membership", title="Head")
    between = factories.tie(subject=survivor, object=merged, title="Same person")
    between_citation = factories.citation(between, quote="They are one.")
    unrelated = factories.tie(subject=bystander, object=iraq)
    outgoing_citation = factories.citation(outgoing, quote="Lavrov, the minister.")
    # Participations and parties: one of each moves; a twin of a row the survivor has is
    # dropped, its note kept on the survivor's row.
    talks, visit = factories.event(title="Talks"), factories.event(title="Visit")
    kept_participation = factories.participant(talks, survivor, role="host")
    EventParticipant.objects.filter(pk=kept_participation.pk).update(note="Opened the talks.")
    twin_participation = factories.participant(talks, merged, role="host")
    EventParticipant.objects.filter(pk=twin_participation.pk).update(note="Spoke first.")
    moved_participation = factories.participant(visit, merged, role="speaker")
    deal, contract = factories.agreement(title="Deal"), factories.agreement(title="Contract")
    kept_party = factories.party(deal, survivor, role="supplier")
    twin_party = factories.party(deal, merged, role="supplier")
    moved_party = factories.party(contract, merged, role="buyer")
    # Citations of the merged actor itself, and aliases: one new, one the survivor has.
    actor_citations = [
        factories.citation(merged, quote="Lavrov said so."),
        factories.citation(merged, quote="Lavrov said it again."),
    ]
    moved_alias = factories.alias(merged, "S. Lavrov")
    factories.alias(survivor, "Sergei Lavrov")
    duplicate_alias = factories.alias(merged, "sergei lavrov")
    totals = {
        "ties": Tie.objects.count(),
        "participations": EventParticipant.objects.count(),
        "parties": AgreementParty.objects.count(),
        "citations": Citation.objects.count(),
        "aliases": ActorAlias.objects.count(),
        "actors": Actor.objects.count(),
    }

    response = _merge(reviewer_client, [survivor, merged], survivor=survivor)

    assert "Merged 1 actors into “Sergey Lavrov”" in response.content.decode()
    assert not Actor.objects.filter(pk=merged.pk).exists()
    # Each tie keeps its other end; the merged actor's end is now the survivor.
    assert Tie.objects.filter(pk=outgoing.pk).values_list("subject", "object").get() == (
        survivor.pk,
        russia.pk,
    )
    assert Tie.objects.filter(pk=incoming.pk).values_list("subject", "object").get() == (
        ministry.pk,
        survivor.pk,
    )
    assert Tie.objects.filter(pk=unrelated.pk).values_list("subject", "object").get() == (
        bystander.pk,
        iraq.pk,
    )
    assert not Tie.objects.filter(pk=between.pk).exists()
    # Citations: the tie's stays on its tie, the self-tie's moves to the survivor, the
    # actor's own move to the survivor.
    assert Citation.objects.get(pk=outgoing_citation.pk).tie_id == outgoing.pk
    moved_between = Citation.objects.get(pk=between_citation.pk)
    assert (moved_between.tie_id, moved_between.actor_id) == (None, survivor.pk)
    for citation in actor_citations:
        assert Citation.objects.get(pk=citation.pk).actor_id == survivor.pk
    # Participations and parties.
    assert EventParticipant.objects.get(pk=moved_participation.pk).actor_id == survivor.pk
    assert not EventParticipant.objects.filter(pk=twin_participation.pk).exists()
    assert EventParticipant.objects.get(pk=kept_participation.pk).note == (
        "Opened the talks.; Spoke first."
    )
    assert AgreementParty.objects.get(pk=moved_party.pk).actor_id == survivor.pk
    assert not AgreementParty.objects.filter(pk=twin_party.pk).exists()
    assert AgreementParty.objects.get(pk=kept_party.pk).actor_id == survivor.pk
    # Aliases: the new one moves, the one the survivor has goes, and the merged actor's
    # names become aliases (the Arabic one differs from the survivor's; the Russian one
    # fills the survivor's empty field instead).
    assert ActorAlias.objects.get(pk=moved_alias.pk).actor_id == survivor.pk
    assert not ActorAlias.objects.filter(pk=duplicate_alias.pk).exists()
    survivor.refresh_from_db()
    assert set(survivor.aliases.values_list("name", "language")) == {
        ("Sergei Lavrov", "en"),
        ("S. Lavrov", "en"),
        ("Sergei V. Lavrov", "en"),
        ("سيرجي لافروف", "ar"),
    }
    assert (survivor.name_ru, survivor.name_ar, survivor.wikidata_id) == (
        "Сергей Викторович Лавров",
        "سيرغي لافروف",
        "Q27",
    )
    # Notes: the merge is recorded, and the merged actor's own note is kept.
    assert "Merged Sergei V. Lavrov" in survivor.editorial_note
    assert "Imported twice." in survivor.editorial_note
    # Nothing else went: only the self-tie, the two twins, the duplicate alias and the
    # merged actor; two names became aliases.
    assert {
        "ties": Tie.objects.count(),
        "participations": EventParticipant.objects.count(),
        "parties": AgreementParty.objects.count(),
        "citations": Citation.objects.count(),
        "aliases": ActorAlias.objects.count(),
        "actors": Actor.objects.count(),
    } == {
        "ties": totals["ties"] - 1,
        "participations": totals["participations"] - 1,
        "parties": totals["parties"] - 1,
        "citations": totals["citations"],
        "aliases": totals["aliases"] - 1 + 2,
        "actors": totals["actors"] - 1,
    }


@pytest.mark.usefixtures("seeded_class")
class TestOnTheSeed:
    """Tests that read the seed dataset, loaded once for all of them (each test in a
    savepoint of its own)."""

    def test_the_action_asks_which_actor_survives(self, reviewer_client):
        lavrov = Actor.objects.get(slug="sergey-lavrov")
        duplicate = factories.actor(name="Sergei V. Lavrov", status="draft")
        response = _merge(reviewer_client, [lavrov, duplicate], apply=False)
        page = response.content.decode()
        assert response.templates[0].name == "admin/actors/actor/merge.html"
        assert f'name="survivor" value="{lavrov.pk}"' in page
        assert f'name="survivor" value="{duplicate.pk}"' in page
        assert Actor.objects.filter(pk=duplicate.pk).exists()

    def test_merging_a_duplicate_into_a_seeded_actor_loses_nothing(self, reviewer_client):
        lavrov = Actor.objects.get(slug="sergey-lavrov")
        visit = Event.objects.get(slug="hakim-visit-moscow-2019")
        duplicate = factories.actor(
            name="Sergei V. Lavrov", name_ar="سيرجي لافروف", status="draft", wikidata_id="Q27"
        )
        factories.alias(duplicate, "S. Lavrov")
        factories.alias(duplicate, "Sergei Lavrov")  # the survivor has it already
        already = lavrov.participations.first()
        factories.participant(already.event, duplicate, role=already.role)  # a twin row
        factories.participant(visit, duplicate, role="speaker")
        factories.citation(duplicate, quote="Lavrov said so.")
        tie = factories.tie(subject=duplicate, object=Actor.objects.get(slug="russia"), title="FM")
        before = _footprint(lavrov)
        had = (lavrov.name_ar, lavrov.wikidata_id)
        participations_total = EventParticipant.objects.count()

        response = _merge(reviewer_client, [lavrov, duplicate], survivor=lavrov)

        assert "Merged 1 actors into “Sergey Lavrov”" in response.content.decode()
        assert not Actor.objects.filter(pk=duplicate.pk).exists()
        lavrov.refresh_from_db()
        after = _footprint(lavrov)
        assert after["participations"] == before["participations"] | {(visit.slug, "speaker")}
        assert before["citations"] < after["citations"]
        assert "Lavrov said so." in {quote for _, quote in after["citations"]}
        assert Tie.objects.get(pk=tie.pk).subject == lavrov
        assert before["aliases"] | {"s. lavrov", "sergei v. lavrov"} <= after["aliases"]
        # Empty fields are filled from the merged actor; differing ones become aliases.
        # The seed gives Lavrov an Arabic name of his own and no Wikidata id.
        assert had == ("سيرغي لافروف", "")
        assert lavrov.name_ar == "سيرغي لافروف"
        assert "سيرجي لافروف" in after["aliases"]
        assert lavrov.wikidata_id == "Q27"
        assert "Merged Sergei V. Lavrov" in lavrov.editorial_note
        # Only the twin participation row went; its content is still on the survivor.
        assert EventParticipant.objects.count() == participations_total - 1

    def test_merging_two_seeded_actors_keeps_every_claim(self, reviewer_client):
        survivor = Actor.objects.get(slug="ammar-al-hakim")
        merged = Actor.objects.get(slug="national-wisdom-movement")
        expected = {
            key: _footprint(survivor)[key] | _footprint(merged)[key] for key in ("parties",)
        }
        claims = {
            "participations": _footprint(survivor)["participations"]
            | _footprint(merged)["participations"],
            "citations": _footprint(survivor)["citations"] | _footprint(merged)["citations"],
        }
        citations_total, parties_total = Citation.objects.count(), AgreementParty.objects.count()

        _merge(reviewer_client, [survivor, merged], survivor=survivor)

        after = _footprint(Actor.objects.get(pk=survivor.pk))
        assert after["participations"] == claims["participations"]
        assert after["citations"] == claims["citations"]
        assert after["parties"] == expected["parties"]
        assert "national wisdom movement" in after["aliases"] and "al-hikma" in after["aliases"]
        # A tie between the two would tie the actor to itself: its citations move to the actor.
        assert Citation.objects.count() == citations_total
        assert AgreementParty.objects.count() == parties_total

    def test_the_history_records_the_merge(self, reviewer_client):
        lavrov = Actor.objects.get(slug="sergey-lavrov")
        duplicate = factories.actor(name="Sergei V. Lavrov", status="draft")
        participation = factories.participant(Event.objects.first(), duplicate, role="speaker")
        _merge(reviewer_client, [lavrov, duplicate], survivor=lavrov)
        reason = f"merged Sergei V. Lavrov (#{duplicate.pk}) into Sergey Lavrov (#{lavrov.pk})"
        assert lavrov.history.first().history_change_reason == reason
        assert lavrov.history.first().history_user.username == "reviewer"
        deleted = Actor.history.filter(id=duplicate.pk).first()
        assert (deleted.history_type, deleted.history_change_reason) == ("-", reason)
        moved = EventParticipant.history.filter(id=participation.pk).first()
        assert (moved.actor_id, moved.history_change_reason) == (lavrov.pk, reason)
        page = reviewer_client.get(reverse("admin:actors_actor_history", args=[lavrov.pk]))
        assert reason in page.content.decode()

    def test_editors_cannot_merge(self, editor_client):
        response = editor_client.get(CHANGELIST)
        actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
        assert "merge_actors" not in actions
        a, b = Actor.objects.all()[:2]
        _merge(editor_client, [a, b], survivor=a)
        assert Actor.objects.filter(pk=b.pk).exists()

    def test_merging_needs_two_actors_and_a_choice(self, reviewer_client):
        a, b = Actor.objects.all()[:2]
        response = _merge(reviewer_client, [a])
        assert "Select at least two actors" in response.content.decode()
        response = _merge(reviewer_client, [a, b], survivor=None)
        assert "Choose the actor that remains" in response.content.decode()
        assert Actor.objects.filter(pk__in=[a.pk, b.pk]).count() == 2
