"""The API's actors (read-only, published records only), read through
``Actor.objects.public().for_api_list()``/``for_api_detail()``."""

from actors.filters import ActorFilter
from actors.models import Actor
from actors.serializers import ActorListSerializer
from articles import serializers as article_serializers
from ruiraq.rest.schema import document_viewset
from ruiraq.rest.viewsets import PublicReadOnlyViewSet


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
        "country_name",
        "wikidata_id",
        "aliases.name",
        "url",
        "page_url",
        "updated_at",
    )
