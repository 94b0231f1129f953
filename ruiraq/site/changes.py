"""
/api/v1/changes/: the published records that left the public since a time (withdrawn,
unpublished, deleted, merged), each with what replaced it, read from the change log
(ruiraq.models.RecordChange). With ``updated_since`` on every list it keeps a copy in sync.
The API stays in English (DESIGN.md): its texts here are not marked for translation.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from actors.models import Actor
from articles.models import Agreement, Event, Source
from ruiraq.filters import SinceField
from ruiraq.models import ChangeKind, RecordChange
from ruiraq.rest.fields import absolute_url
from ruiraq.rest.mixins import ConditionalGetMixin, EmptyParametersMixin, PublicCacheMixin
from ruiraq.rest.schema import ETAG, IF_NONE_MATCH, NOT_MODIFIED, RETRY_AFTER, error_responses

#: The kinds of record the log follows: model label → (kind, model, API route, page route).
KINDS = {
    "actors.actor": ("actor", Actor, "api:actor-detail", "actors:detail"),
    "articles.event": ("event", Event, "api:event-detail", "articles:event-detail"),
    "articles.agreement": (
        "agreement",
        Agreement,
        "api:agreement-detail",
        "articles:agreement-detail",
    ),
    "articles.source": ("source", Source, "api:source-detail", "articles:source-detail"),
}


def public_successors(changes):
    """{(label, id)} of the survivors named by ``changes`` that are public: one query per
    kind of record among them. A survivor that is not public is not named."""
    wanted = {}
    for change in changes:
        if change.replaced_by_id is not None:
            wanted.setdefault(change.model, set()).add(change.replaced_by_id)
    public = set()
    for label, ids in wanted.items():
        model = KINDS[label][1]
        found = model.objects.public().filter(pk__in=ids).values_list("pk", flat=True)
        public.update((label, pk) for pk in found)
    return public


class _ReplacementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The surviving record in the API.")
    page_url = serializers.URLField(help_text="The surviving record's public page.")

    class Meta:
        ref_name = "Replacement"


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[kind for kind, *_rest in KINDS.values()], help_text="The kind of record."
    )
    change = serializers.ChoiceField(choices=ChangeKind.choices, help_text="What happened to it.")
    id = serializers.IntegerField(help_text="The record's id, as it was in the API.")
    slug = serializers.CharField(help_text="The record's slug, as it was in its address.")
    at = serializers.DateTimeField(help_text="When it happened.")
    replaced_by = _ReplacementSerializer(
        allow_null=True,
        help_text="For a merge, the record that now stands for this one; otherwise null.",
    )

    def to_representation(self, change):
        request = self.context["request"]
        kind, _model, api_route, page_route = KINDS[change.model]
        replaced_by = None
        if (change.model, change.replaced_by_id) in self.context["public_successors"]:
            replaced_by = {
                "id": change.replaced_by_id,
                "slug": change.replaced_by_slug,
                "url": absolute_url(request, api_route, pk=change.replaced_by_id),
                "page_url": absolute_url(request, page_route, slug=change.replaced_by_slug),
            }
        return {
            "kind": kind,
            "change": change.kind,
            "id": change.object_id,
            "slug": change.slug,
            "at": serializers.DateTimeField().to_representation(change.at),
            "replaced_by": replaced_by,
        }


SINCE = OpenApiParameter(
    "since",
    {"type": "string", "format": "date-time"},
    OpenApiParameter.QUERY,
    description=(
        "An ISO 8601 date or time: only changes at or after it. A time without a zone is UTC."
    ),
)


class ChangesView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, ListAPIView):
    """Published records that were withdrawn, unpublished, deleted or merged, oldest first.

    A copy kept in sync removes each of them (or, for a merge, points it at ``replaced_by``);
    records published or edited since come from the lists' ``updated_since``. Apply both in
    time order: a record withdrawn and published again is in both, the list's copy later.
    """

    serializer_class = ChangeSerializer
    queryset = RecordChange.objects.filter(model__in=KINDS)

    @extend_schema(
        tags=["sync"],
        summary="Records that left the public since a time",
        parameters=[SINCE, IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={
            200: ChangeSerializer,
            304: NOT_MODIFIED,
            **error_responses(not_found="The page is past the last one, or unknown format."),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        cached = self.cached_response()
        if cached is not None:
            return cached
        errors = self.paginator.param_errors(request)
        since = None
        raw = request.query_params.get("since")
        if raw is not None:
            try:
                since = SinceField().clean(raw)
            except DjangoValidationError as exc:
                errors["since"] = exc.messages
        if errors:
            raise ValidationError(errors)
        # Queries: the count, the page, and one per kind of survivor named on the page.
        changes = self.get_queryset().since(since).order_by("at", "pk")
        page = self.paginate_queryset(changes)
        context = {**self.get_serializer_context(), "public_successors": public_successors(page)}
        data = ChangeSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
