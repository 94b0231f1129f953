"""
/api/v1/corrections/: the corrections of public records, newest first, each with the record
it corrects (the same rows as the /corrections/ page and its feed). The API stays in English
(DESIGN.md): its texts here are not marked for translation.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from articles.models import Correction, RecordKind
from ruiraq.filters import SinceField
from ruiraq.rest.fields import absolute_url
from ruiraq.rest.mixins import ConditionalGetMixin, EmptyParametersMixin, PublicCacheMixin
from ruiraq.rest.schema import ETAG, IF_NONE_MATCH, NOT_MODIFIED, RETRY_AFTER, error_responses
from ruiraq.site.changes import KINDS, SINCE

#: kind → (API route, page route) of each kind of corrected record.
_ROUTES = {kind: (api_route, page_route) for kind, _model, api_route, page_route in KINDS.values()}


class _CorrectedRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecordKind.values, help_text="The kind of record.")
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="Its title, or an actor's name.")
    url = serializers.URLField(help_text="The record in the API.")
    page_url = serializers.URLField(help_text="The record's public page.")

    class Meta:
        ref_name = "CorrectedRecord"


class CorrectionListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    corrected_at = serializers.DateTimeField(help_text="When the correction was made.")
    note = serializers.CharField(help_text="What changed.")
    record = _CorrectedRecordSerializer(help_text="The corrected record.")
    page_url = serializers.URLField(help_text="The correction on the record's public page.")

    def to_representation(self, correction):
        request = self.context["request"]
        record, kind = correction.record, correction.kind
        api_route, page_route = _ROUTES[kind]
        page_url = absolute_url(request, page_route, slug=record.slug)
        return {
            "id": correction.pk,
            "corrected_at": serializers.DateTimeField().to_representation(correction.corrected_at),
            "note": correction.note,
            "record": {
                "kind": kind,
                "id": record.pk,
                "slug": record.slug,
                "title": getattr(record, "title", None) or str(record),
                "url": absolute_url(request, api_route, pk=record.pk),
                "page_url": page_url,
            },
            "page_url": f"{page_url}#correction-{correction.pk}",
        }


class CorrectionsView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, ListAPIView):
    """Corrections of public records, newest first: edits the editors marked as correcting
    an error, with what changed. ``since`` keeps only the newer ones."""

    serializer_class = CorrectionListSerializer

    def get_queryset(self):
        # Queries: the count, the page (each correction with its record, joined).
        return Correction.objects.public().for_list()

    @extend_schema(
        tags=["corrections"],
        summary="Corrections of public records, newest first",
        parameters=[SINCE, IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={
            200: CorrectionListSerializer,
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
        queryset = self.get_queryset()
        raw = request.query_params.get("since")
        if raw is not None:
            try:
                queryset = queryset.filter(corrected_at__gte=SinceField().clean(raw))
            except DjangoValidationError as exc:
                errors["since"] = exc.messages
        if errors:
            raise ValidationError(errors)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
