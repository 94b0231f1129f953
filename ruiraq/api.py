"""
The read API's view layer, shared by both apps: the base viewset every endpoint uses (public
records only, list and detail serializers, CSV on lists, the public cache, ETag and 304),
the API root, search and the JSON Lines export, and the OpenAPI description of the errors
they answer with.

The router and the URLs are in ruiraq/api_urls.py (they import the apps' viewsets, which
import this module). The pieces DRF loads from settings are in ruiraq/rest.py.
"""

import hashlib
import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import routers, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.schemas import DefaultSchema
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from ruiraq import cache as public_cache
from ruiraq import search as search_module
from ruiraq.rest import CSVRenderer, JSONLinesRenderer, absolute_url

# --- the OpenAPI description of errors and conditional requests -------------------------------

_JSON = "application/json"

_ERROR = inline_serializer(
    "Error", fields={"detail": serializers.CharField(help_text=_("What went wrong."))}
)
_PARAMETER_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "description": "Each bad query parameter, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"year_from": ["Ensure this value is greater than or equal to 1900."]},
    },
    description=_("A query parameter is malformed: the body names each bad parameter."),
)
_NOT_MODIFIED = OpenApiResponse(
    description=_("The representation has not changed since the ETag given in If-None-Match.")
)
_METHOD_NOT_ALLOWED = OpenApiResponse(
    _ERROR, description=_("The API is read-only: only GET, HEAD and OPTIONS are allowed.")
)
_NOT_ACCEPTABLE = OpenApiResponse(
    _ERROR, description=_("The Accept header names no format this endpoint answers in.")
)
_THROTTLED = OpenApiResponse(
    _ERROR,
    description=_("Too many requests; the Retry-After header says how many seconds to wait."),
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("An ETag from an earlier answer: 304 Not Modified if it still matches."),
)
_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description=_("A tag of this exact answer, for If-None-Match."),
)
_RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds to wait before the next request."),
)
_ID = OpenApiParameter(
    "id",
    {"type": "integer", "format": "int64", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The record's id, as in its url."),
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_(
        "json (the default) or csv: the same page of the same filtered list as flat rows."
    ),
)


def error_responses(*, not_found, bad_parameters=True):
    """The error answers an operation documents, keyed for ``extend_schema(responses=...)``."""
    responses = {
        (404, _JSON): OpenApiResponse(_ERROR, description=not_found),
        (405, _JSON): _METHOD_NOT_ALLOWED,
        (406, _JSON): _NOT_ACCEPTABLE,
        (429, _JSON): _THROTTLED,
    }
    if bad_parameters:
        responses[(400, _JSON)] = _PARAMETER_ERRORS
    return responses


def document_viewset(*, tag, noun, plural):
    """The schema of a ``PublicReadOnlyViewSet``: its list and detail, with their errors."""

    def decorate(viewset):
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                summary=_("List published %(plural)s") % {"plural": plural},
                parameters=[FORMAT, IF_NONE_MATCH, _ETAG, _RETRY_AFTER],
                responses={
                    (200, _JSON): viewset.list_serializer_class,
                    (200, CSVRenderer.media_type): OpenApiResponse(
                        OpenApiTypes.STR,
                        description=_(
                            "With format=csv: a header row, then one row per record of the page."
                        ),
                    ),
                    304: _NOT_MODIFIED,
                    **error_responses(
                        not_found=_("The page is past the last one, or the format is unknown.")
                    ),
                },
            ),
            retrieve=extend_schema(
                tags=[tag],
                summary=_("One published %(noun)s, with its evidence") % {"noun": noun},
                parameters=[_ID, IF_NONE_MATCH, _ETAG, _RETRY_AFTER],
                responses={
                    200: viewset.serializer_class,
                    304: _NOT_MODIFIED,
                    **error_responses(
                        not_found=_("No published %(noun)s has this id.") % {"noun": noun},
                        bad_parameters=False,
                    ),
                },
            ),
        )(viewset)

    return decorate


class _FormFieldFilterExtension(DjangoFilterExtension):
    """django-filter's schema, made exact from each filter's form field.

    drf-spectacular types a ``NumberFilter`` on a date column (the year filters) as any
    number and leaves out the bounds the form enforces; a client following the schema would
    be told 400. Here the form field's type, bounds and maximum length are copied in.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        field = filter_field.field
        for parameter in parameters:
            schema = parameter["schema"]
            # DecimalField first: Django derives it from IntegerField.
            if isinstance(field, forms.DecimalField):
                # Sent as text: a decimal with at most ``decimal_places`` digits after the point.
                whole = (field.max_digits or 30) - (field.decimal_places or 0)
                places = field.decimal_places or 0
                schema.clear()
                schema["type"] = "string"
                sign = "" if (field.min_value is not None and field.min_value >= 0) else "-?"
                fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
                schema["pattern"] = rf"^{sign}[0-9]{{1,{whole}}}{fraction}$"
                schema["format"] = "decimal"
            elif isinstance(field, forms.IntegerField):
                schema.clear()
                schema["type"] = "integer"
                if field.min_value is not None:
                    schema["minimum"] = field.min_value
                if field.max_value is not None:
                    schema["maximum"] = field.max_value
            elif isinstance(field, forms.CharField) and field.max_length:
                schema["maxLength"] = field.max_length
        return parameters


# --- conditional GET and the base viewset ---------------------------------------------------


class EmptyParametersMixin:
    """An empty query parameter (``?year_from=``) is treated as absent, on every endpoint.

    HTML forms send every field, filled or not, and django-filter already ignores empty
    values; doing the same for pagination, ``format`` and search keeps one rule for the whole
    API, which the schema states with ``allowEmptyValue`` (``query_parameter_rules``).
    """

    def initialize_request(self, request, *args, **kwargs):
        if any("" in values for _name, values in request.GET.lists()):
            kept = request.GET.copy()
            for name, values in request.GET.lists():
                values = [value for value in values if value != ""]
                if values:
                    kept.setlist(name, values)
                else:
                    del kept[name]
            kept._mutable = False
            request.GET = kept
        return super().initialize_request(request, *args, **kwargs)


def query_parameter_rules(result, generator, request, public):
    """drf-spectacular post-processing hook: two rules every query parameter follows.

    An empty value means the parameter is absent (``EmptyParametersMixin``), and text never
    holds a NUL character (Django's form and serializer fields refuse it with a 400).
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                parameter["allowEmptyValue"] = True
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern"} & schema.keys():
                    schema["pattern"] = r"^[^\x00]*$"
    return result


class PublicCacheMixin:
    """Answers from the public cache (ruiraq.cache), looked up after throttling.

    The site's cache middleware answers before any view runs, which would let a client
    repeat a cached request without ever meeting the throttle, and return a cached body
    where a 304 was due; so it leaves /api/ alone and the API caches here instead, under the
    same content version (any change to a curated record empties it). Handlers start with
    ``cached_response()``; ``finalize_response`` stores each rendered 200 for the next client.
    """

    def _cache_key(self, request):
        if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        parts = [request.build_absolute_uri(), request.headers.get("Accept", "")]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"ruiraq:api:{public_cache.content_version()}:{digest}"

    def cached_response(self):
        """The stored answer to this very request, if any (``None`` otherwise)."""
        key = self._cache_key(self.request)
        response = cache.get(key) if key else None
        self._from_cache = response is not None
        if response is not None:
            response["X-Cache"] = "hit"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = self._cache_key(request)
        if (
            key
            and not getattr(self, "_from_cache", False)
            and response.status_code == 200
            and not response.streaming
        ):
            response.render()
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response


class ConditionalGetMixin:
    """An ETag on every successful GET, and 304 when If-None-Match still matches.

    The tag is a hash of the rendered body, so it can only match what this request would
    show (public records only) and changes with any edit, filter, page or format. The
    queries still run (or the cache answers); the saving is the transfer.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        response.render()
        set_response_etag(response)
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)


def _with_tiebreak(queryset):
    """Order by ``pk`` last, so records with equal dates or titles keep their page."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(str(term).lstrip("-") in ("pk", "id") for term in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


class PublicReadOnlyViewSet(
    EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet
):
    """A model's published records: a filtered, paginated list and a detail by id.

    Subclasses name ``list_serializer_class`` and ``serializer_class`` (the detail) and build
    the querysets each needs in ``list_queryset``/``detail_queryset`` (class methods, so the
    export reuses them). Both start from the model's ``public()``.
    """

    list_serializer_class = None
    #: Dotted paths into the list representation: the CSV columns (see rest.CSVRenderer).
    csv_columns = ()
    # At most 18 digits: a longer id cannot be a database id, and would overflow the column.
    lookup_value_regex = "[0-9]{1,18}"

    @classmethod
    def list_queryset(cls):
        raise NotImplementedError

    @classmethod
    def detail_queryset(cls):
        raise NotImplementedError

    def get_queryset(self):
        if self.action == "list":
            return self.list_queryset()
        return self.detail_queryset()

    def get_serializer_class(self):
        if self.action == "list":
            return self.list_serializer_class
        return self.serializer_class

    def list(self, request, *args, **kwargs):
        return self.cached_response() or super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached_response() or super().retrieve(request, *args, **kwargs)

    def get_renderers(self):
        renderers_ = super().get_renderers()
        # By route rather than action: a POST to a list with ?format=csv must still be a 405.
        if not self.detail:
            renderers_.append(CSVRenderer())
        return renderers_

    def filter_queryset(self, queryset):
        """Filters are a list's business; every bad list parameter is named in one 400."""
        if self.action != "list":
            return queryset
        errors = self.paginator.param_errors(self.request) if self.paginator else {}
        try:
            queryset = super().filter_queryset(queryset)
        except ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors = {**exc.detail, **errors}
        if errors:
            raise ValidationError(errors)
        return _with_tiebreak(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer) and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{self.basename}s.csv"'
        return response


# --- the API root -----------------------------------------------------------------------------


class ApiRootView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, routers.APIRootView):
    """Links to every list, and to search, the export, the schema and the docs."""

    schema = DefaultSchema()  # DRF leaves the root out of the schema; ruiraq documents it
    extra_links = (
        ("search", "api:search"),
        ("export", "api:export"),
        ("schema", "api:schema"),
        ("docs", "api:docs"),
    )

    @extend_schema(
        tags=["root"],
        summary=_("Links to every endpoint"),
        parameters=[IF_NONE_MATCH, _ETAG, _RETRY_AFTER],
        responses={
            200: inline_serializer(
                "ApiRoot",
                fields={
                    name: serializers.URLField()
                    for name in (
                        "events",
                        "agreements",
                        "actors",
                        "sources",
                        "topics",
                        "search",
                        "export",
                        "schema",
                        "docs",
                    )
                },
            ),
            304: _NOT_MODIFIED,
            (405, _JSON): _METHOD_NOT_ALLOWED,
            (406, _JSON): _NOT_ACCEPTABLE,
            (429, _JSON): _THROTTLED,
        },
    )
    def get(self, request, *args, **kwargs):
        cached = self.cached_response()
        if cached is not None:
            return cached
        response = super().get(request, *args, **kwargs)
        for name, url_name in self.extra_links:
            response.data[name] = request.build_absolute_uri(reverse(url_name))
        return response


# --- search -----------------------------------------------------------------------------------


class _SearchParameters(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=search_module.MAX_QUERY_LENGTH * 5,
        help_text=_("Words to look for, in English, Russian or Arabic script."),
    )
    kind = serializers.MultipleChoiceField(
        choices=search_module.KINDS,
        required=False,
        help_text=_("Which kinds of record to search (repeat for several); all when absent."),
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, default=10, help_text=_("Hits per kind (1–100).")
    )


class _SearchHit(serializers.Serializer):
    kind = serializers.ChoiceField(choices=search_module.KINDS)
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField(help_text=_("The title, or an actor's name."))
    url = serializers.URLField(help_text=_("The record in the API."))
    page_url = serializers.URLField(help_text=_("The record's public page."))


class _SearchGroup(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("How many records of this kind match."))
    list_url = serializers.URLField(
        help_text=_("This kind's API list filtered by the same words, for every match.")
    )
    hits = _SearchHit(many=True)


_SearchResponse = inline_serializer(
    "SearchResults",
    fields={
        "query": serializers.CharField(),
        "results": inline_serializer(
            "SearchGroups",
            fields={kind: _SearchGroup(required=False) for kind in search_module.KINDS},
        ),
    },
)

#: kind → (the API's route name, the attribute holding the record's title).
_SEARCH_KINDS = {
    "actor": ("actor", "name"),
    "event": ("event", "title"),
    "agreement": ("agreement", "title"),
    "source": ("source", "title"),
}


class SearchView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, APIView):
    """Published records matching ``q``, grouped by kind, best first (ruiraq.search)."""

    @extend_schema(
        tags=["search"],
        summary=_("Search every kind of published record"),
        parameters=[_SearchParameters, IF_NONE_MATCH, _ETAG, _RETRY_AFTER],
        responses={
            200: _SearchResponse,
            304: _NOT_MODIFIED,
            **error_responses(not_found=_("Unknown format.")),
        },
    )
    def get(self, request):
        cached = self.cached_response()
        if cached is not None:
            return cached
        params = _SearchParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = search_module.clean_query(params.validated_data.get("q", ""))
        kinds = params.validated_data.get("kind") or search_module.KINDS
        kinds = [kind for kind in search_module.KINDS if kind in kinds]
        limit = params.validated_data["limit"]
        results = {}
        # Two queries per kind: the count and one page of hits.
        for kind, queryset in search_module.search(query, kinds).items():
            route, title = _SEARCH_KINDS[kind]
            list_url = reverse(f"api:{route}-list")
            results[kind] = {
                "count": queryset.count(),
                "list_url": request.build_absolute_uri(
                    f"{list_url}?{urlencode({'search': query})}"
                ),
                "hits": [
                    {
                        "kind": kind,
                        "id": record.pk,
                        "slug": record.slug,
                        "title": getattr(record, title),
                        "url": absolute_url(request, f"api:{route}-detail", pk=record.pk),
                        "page_url": request.build_absolute_uri(record.get_absolute_url()),
                    }
                    for record in queryset.only("pk", "slug", title)[:limit]
                ],
            }
        return Response({"query": query, "results": results})


# --- the export -------------------------------------------------------------------------------


class ExportView(EmptyParametersMixin, APIView):
    """The whole published dataset as JSON Lines, streamed.

    One JSON object per line, each with a ``type`` (topic, source, actor, event, agreement)
    and the same fields as the record's API detail. Records are read with
    ``iterator(chunk_size=...)``, so the memory used and the queries run per chunk stay
    bounded however large the dataset grows.
    """

    # One renderer, so no ``format`` parameter; errors are JSON all the same (rest.py).
    renderer_classes = [JSONLinesRenderer]
    chunk_size = 500
    #: (type, viewset) pairs, given by api_urls: the viewsets' detail querysets and serializers.
    sections = ()

    @extend_schema(
        tags=["export"],
        summary=_("Every published record, as JSON Lines"),
        parameters=[_RETRY_AFTER],
        responses={
            (200, JSONLinesRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR,
                description=_(
                    'One JSON object per line, each with a "type" (topic, source, actor, '
                    "event, agreement) and the fields of that record's API detail."
                ),
            ),
            **error_responses(not_found=_("Unknown format."), bad_parameters=False),
        },
    )
    def get(self, request):
        response = StreamingHttpResponse(
            self._lines(request), content_type=f"{JSONLinesRenderer.media_type}; charset=utf-8"
        )
        stamp = re.sub(r"[^0-9]", "", now().isoformat(timespec="seconds"))[:14]
        response["Content-Disposition"] = f'attachment; filename="ruiraq-{stamp}.jsonl"'
        return response

    def _lines(self, request):
        encoder = JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        for kind, viewset in self.sections:
            serializer_class = viewset.serializer_class
            queryset = viewset.detail_queryset().order_by("pk")
            for record in queryset.iterator(chunk_size=self.chunk_size):
                data = serializer_class(record, context={"request": request}).data
                yield encoder.encode({"type": kind, **data}) + "\n"


class NotFoundView(APIView):
    """Any other address under /api/v1/: a JSON 404 like the API's own, not an HTML page."""

    schema = None

    def get(self, request, *args, **kwargs):
        raise NotFound(_("No API endpoint at this address."))

    post = put = patch = delete = head = options = get

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers.pop("Allow", None)  # nothing is allowed where nothing is
        return response
