"""The API's actors (read-only, published records only)."""

from django.db.models import Prefetch

from actors.filters import ActorFilter
from actors.models import Actor, ActorAlias, Tie
from actors.serializers import ACTOR_SUMMARY_COLUMNS, ActorListSerializer
from articles import serializers as article_serializers
from articles.api import citations
from articles.models import Agreement, AgreementParty, Event, EventParticipant
from ruiraq.rest.schema import document_viewset
from ruiraq.rest.viewsets import PublicReadOnlyViewSet


def _prefixed(prefix, columns):
    return [f"{prefix}__{column}" for column in columns]


def _aliases():
    return Prefetch(
        "aliases", queryset=ActorAlias.objects.only("id", "actor", "name", "language", "kind")
    )


def _ties(lookup):
    """Public ties (the tie and both its actors public), oldest first, with their evidence."""
    return Prefetch(
        lookup,
        queryset=Tie.objects.public()
        .select_related("subject", "object")
        .only(
            "id",
            "kind",
            "title",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            *_prefixed("subject", ACTOR_SUMMARY_COLUMNS),
            *_prefixed("object", ACTOR_SUMMARY_COLUMNS),
        )
        .order_by("start_date", "pk")
        .prefetch_related(citations()),
    )


@document_viewset(tag="actors", noun="actor", plural="actors")
class ActorViewSet(PublicReadOnlyViewSet):
    """Who: people, states, ministries, companies, …, with their names in every script."""

    queryset = Actor.objects.public()
    filterset_class = ActorFilter
    list_serializer_class = ActorListSerializer
    serializer_class = article_serializers.ActorDetailSerializer
    csv_columns = (
        "id",
        "slug",
        "name",
        "kind",
        "name_ru",
        "name_ar",
        "country",
        "wikidata_id",
        "aliases.name",
        "url",
        "page_url",
        "updated_at",
    )

    @classmethod
    def list_queryset(cls):
        # Queries: the page, the count, its aliases.
        return (
            Actor.objects.public()
            .defer("editorial_note", "description")
            .prefetch_related(_aliases())
        )

    @classmethod
    def detail_queryset(cls):
        # The events and agreements are the public ones the actor takes part in, latest first.
        events = (
            EventParticipant.objects.filter(event__in=Event.objects.public())
            .select_related("event")
            .only(
                "id",
                "actor",
                "role",
                "note",
                *_prefixed("event", article_serializers.EVENT_SUMMARY_COLUMNS),
            )
            .order_by("-event__start_date", "event__title", "pk")
        )
        agreements = (
            AgreementParty.objects.filter(agreement__in=Agreement.objects.public())
            .select_related("agreement")
            .only(
                "id",
                "actor",
                "role",
                "note",
                *_prefixed("agreement", article_serializers.AGREEMENT_SUMMARY_COLUMNS),
            )
            .order_by("-agreement__start_date", "agreement__title", "pk")
        )
        return (
            Actor.objects.public()
            .defer("editorial_note")
            .prefetch_related(
                _aliases(),
                _ties("ties"),
                _ties("incoming_ties"),
                Prefetch("participations", queryset=events),
                Prefetch("agreement_parties", queryset=agreements),
                citations(),
            )
        )
