"""Every model's admin add and change pages open for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _records():
    event = factories.event()
    actor = factories.actor()
    agreement = factories.agreement()
    tie = factories.tie(subject=actor)
    factories.participant(event, actor)
    factories.party(agreement, actor)
    citation = factories.citation(event)
    return [event, actor, agreement, tie, citation, citation.source, factories.topic()]


def test_every_registered_model_is_covered():
    names = {m._meta.label for m in admin.site._registry}
    assert {
        "actors.Actor",
        "actors.Tie",
        "articles.Source",
        "articles.Event",
        "articles.Agreement",
        "articles.Citation",
        "articles.Topic",
    } <= names


def test_add_and_change_pages_open(admin_client):
    for record in _records():
        opts = record._meta
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for url in (add, change, changelist):
            assert admin_client.get(url).status_code == 200, url
