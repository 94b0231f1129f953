"""How actors look in the API: as a summary nested in other records, and in the actor list.

The actor detail nests ties, events, agreements and citations, which all carry evidence from
the articles app; it lives in articles/serializers.py, because articles depends on actors and
never the reverse (the same direction as the models).
"""

from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorAlias
from ruiraq.rest.fields import ApiUrlField, CountryCodeField, CountryNameField, PageUrlField
from ruiraq.rest.serializers import ModelSerializer


def api_url(view_name):
    """The record's address in the API (the ``api`` URL namespace)."""
    return ApiUrlField(view_name=f"api:{view_name}-detail", help_text=_("The record in the API."))


class ActorSummarySerializer(ModelSerializer):
    """An actor as nested in another record (a participant, a party, a tie)."""

    url = api_url("actor")
    page_url = PageUrlField(route="actors:detail")

    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind", "url", "page_url"]


class AliasSerializer(ModelSerializer):
    class Meta:
        model = ActorAlias
        fields = ["name", "language", "kind"]


class ActorListSerializer(ModelSerializer):
    url = api_url("actor")
    page_url = PageUrlField(route="actors:detail")
    aliases = AliasSerializer(many=True, read_only=True)
    country = CountryCodeField()
    country_name = CountryNameField()

    class Meta:
        model = Actor
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "kind",
            "name",
            "name_ru",
            "name_ar",
            "country",
            "country_name",
            "wikidata_id",
            "aliases",
            "updated_at",
        ]
