"""
The API's site-wide endpoints, which see both apps: the root, search over every kind of
record, the JSON Lines export, and the JSON 404 for any other address.
"""

import csv
import io
import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import routers, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.schemas import DefaultSchema
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from actors.models import ActorKind
from ruiraq import search as search_module
from ruiraq.addresses import site_url
from ruiraq.rest.fields import absolute_url
from ruiraq.rest.mixins import ConditionalGetMixin, EmptyParametersMixin, PublicCacheMixin
from ruiraq.rest.renderers import CSVRenderer, JSONLinesRenderer
from ruiraq.rest.schema import (
    ETAG,
    IF_NONE_MATCH,
    JSON,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    NOT_MODIFIED,
    RETRY_AFTER,
    THROTTLED,
    error_responses,
)
from ruiraq.site import dataset, dump, ftm, network, timeline
from ruiraq.site import search as site_search

# --- the API root -----------------------------------------------------------------------------


class ApiRootView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, routers.APIRootView):
    """Links to every list, and to search, the export, the schema and the docs."""

    schema = DefaultSchema()  # DRF leaves the root out of the schema; ruiraq documents it
    extra_links = (
        ("search", "api:search"),
        ("export", "api:export"),
        ("export_ftm", "api:export-ftm"),
        ("changes", "api:changes"),
        ("corrections", "api:corrections"),
        ("schema", "api:schema"),
        ("docs", "api:docs"),
    )

    @extend_schema(
        tags=["root"],
        summary=_("Links to every endpoint"),
        parameters=[IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={
            200: inline_serializer(
                "ApiRoot",
                fields={
                    **{
                        name: serializers.URLField()
                        for name in (
                            "events",
                            "agreements",
                            "actors",
                            "sources",
                            "topics",
                            "search",
                            "export",
                            "export_ftm",
                            "changes",
                            "corrections",
                            "schema",
                            "docs",
                        )
                    },
                    "licence": inline_serializer(
                        "Licence",
                        fields={
                            "name": serializers.CharField(),
                            "url": serializers.URLField(),
                            "page_url": serializers.URLField(
                                help_text=_("The site's page about the licence.")
                            ),
                        },
                        help_text=_("The licence of the data, as every response's Link header."),
                    ),
                },
            ),
            304: NOT_MODIFIED,
            (405, JSON): METHOD_NOT_ALLOWED,
            (406, JSON): NOT_ACCEPTABLE,
            (429, JSON): THROTTLED,
        },
    )
    def get(self, request, *args, **kwargs):
        cached = self.cached_response()
        if cached is not None:
            return cached
        response = super().get(request, *args, **kwargs)
        for name, url_name in self.extra_links:
            response.data[name] = request.build_absolute_uri(reverse(url_name))
        response.data["licence"] = {
            "name": settings.DATASET_LICENCE_NAME,
            "url": settings.DATASET_LICENCE_URL,
            "page_url": site_url(reverse("licence")),
        }
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
        choices=site_search.KINDS,
        required=False,
        help_text=_("Which kinds of record to search (repeat for several); all when absent."),
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, default=10, help_text=_("Hits per kind (1–100).")
    )


class _SearchHit(serializers.Serializer):
    kind = serializers.ChoiceField(choices=site_search.KINDS)
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField(help_text=_("The title, or an actor's name."))
    url = serializers.URLField(help_text=_("The record in the API."))
    page_url = serializers.URLField(help_text=_("The record's public page."))


class _SearchGroup(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=_(
            "How many records of this kind match, all of them (the hits are the best "
            "ranked few; list_url pages through every match)."
        )
    )
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
            fields={kind: _SearchGroup(required=False) for kind in site_search.KINDS},
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
        parameters=[_SearchParameters, IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={
            200: _SearchResponse,
            304: NOT_MODIFIED,
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
        kinds = params.validated_data.get("kind") or site_search.KINDS
        kinds = [kind for kind in site_search.KINDS if kind in kinds]
        limit = params.validated_data["limit"]
        results = {}
        # Two queries per kind: the count and one page of hits.
        for kind, queryset in site_search.search(query, kinds).items():
            route, title = _SEARCH_KINDS[kind]
            list_url = reverse(f"api:{route}-list")
            results[kind] = {
                "count": site_search.count(query, kind),
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


class _ExportParameters(serializers.Serializer):
    type = serializers.MultipleChoiceField(
        choices=dump.TYPES,
        required=False,
        help_text=_("Which types of record (repeat for several); all when absent."),
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Only the records changed at or after this moment (ISO 8601), and the citations "
            "of those records: for keeping a copy up to date. Topics come whole."
        ),
    )


def _download_name(extension):
    stamp = re.sub(r"[^0-9]", "", now().isoformat(timespec="seconds"))[:14]
    return f'attachment; filename="ruiraq-{stamp}.{extension}"'


class ExportView(EmptyParametersMixin, APIView):
    """The published dataset as JSON Lines (ruiraq.site.dump): unfiltered, a redirect to the
    prepared dump; filtered (``type``, ``updated_since``), streamed.

    A streamed export is read in keyset chunks (bounded memory, a fixed number of queries
    per chunk) and holds at most ``settings.EXPORT_STREAM_LIMIT`` records, so that it ends
    well within the server's worker timeout; a larger selection is a 400 that points at the
    dump. Without a dump built yet, the whole dataset is streamed as the fallback.
    """

    # One renderer, so no ``format`` parameter; errors are JSON all the same (rest.py).
    renderer_classes = [JSONLinesRenderer]

    @extend_schema(
        tags=["export"],
        summary=_("Every published record, as JSON Lines"),
        description=_(
            "One JSON object per line, each with a type (topic, source, actor, tie, event, "
            "agreement, citation) and the fields of that record's API list entry; records "
            "link each other by id (an event lists its agreements' ids, a citation its source "
            "and record). Without parameters: a redirect (302) to the prepared, gzip'd dump "
            "(export/dump/ describes it). With type or updated_since: the matching records, "
            "streamed, at most %(limit)s of them (a larger selection is a 400 naming the dump)."
        )
        % {"limit": f"{settings.EXPORT_STREAM_LIMIT:,}"},
        parameters=[_ExportParameters, RETRY_AFTER],
        responses={
            (200, JSONLinesRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR,
                description=_("The matching records, one JSON object per line."),
            ),
            302: OpenApiResponse(description=_("The prepared dump (Location).")),
            **error_responses(not_found=_("Unknown format.")),
        },
    )
    def get(self, request):
        params = _ExportParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        types = params.validated_data.get("type") or dump.TYPES
        updated_since = params.validated_data.get("updated_since")
        filtered = updated_since is not None or set(types) != set(dump.TYPES)
        if not filtered:
            manifest = dump.current()
            if manifest is not None:
                response = HttpResponseRedirect(_dump_file_url(request, manifest))
                return dataset.add_headers(response, manifest)
        else:
            total = dump.count(types, updated_since)
            if total > settings.EXPORT_STREAM_LIMIT:
                raise ValidationError(
                    {
                        "updated_since" if updated_since else "type": [
                            str(
                                _(
                                    "This selection holds %(total)s records, more than the "
                                    "%(limit)s a streamed export may hold: narrow it, or "
                                    "download the whole dataset from %(url)s."
                                )
                                % {
                                    "total": f"{total:,}",
                                    "limit": f"{settings.EXPORT_STREAM_LIMIT:,}",
                                    "url": request.build_absolute_uri(reverse("api:export-dump")),
                                }
                            )
                        ]
                    }
                )
        response = StreamingHttpResponse(
            dump.lines(dump.records(request, types, updated_since)),
            content_type=f"{JSONLinesRenderer.media_type}; charset=utf-8",
        )
        response["Content-Disposition"] = _download_name("jsonl")
        return dataset.add_headers(response, dataset.metadata())


def _dump_file_url(request, manifest):
    return request.build_absolute_uri(
        reverse(
            "api:export-dump-file",
            kwargs={"build": manifest["build"], "name": manifest["file"]["name"]},
        )
    )


_DumpManifest = inline_serializer(
    "DumpManifest",
    fields={
        "name": serializers.CharField(),
        "generated_at": serializers.DateTimeField(
            help_text=_("When the dump's snapshot of the database was taken.")
        ),
        "licence": inline_serializer(
            "DatasetLicence",
            fields={"name": serializers.CharField(), "url": serializers.URLField()},
        ),
        "format": serializers.CharField(help_text=_('"jsonl+gzip".')),
        "build": serializers.CharField(),
        "url": serializers.URLField(help_text=_("The file to download.")),
        "file": inline_serializer(
            "DumpFile",
            fields={
                "name": serializers.CharField(),
                "bytes": serializers.IntegerField(),
                "uncompressed_bytes": serializers.IntegerField(),
                "sha256": serializers.CharField(),
            },
        ),
        "counts": serializers.DictField(
            child=serializers.IntegerField(), help_text=_("Records of each type.")
        ),
        "records": serializers.IntegerField(),
        "build_seconds": serializers.FloatField(),
    },
)


class DumpView(EmptyParametersMixin, ConditionalGetMixin, APIView):
    """What the prepared dump holds and where to download it (its manifest)."""

    @extend_schema(
        tags=["export"],
        summary=_("The prepared dump of every published record"),
        description=_(
            "The manifest of the latest dump (manage.py build_dump, run after publishing "
            "changes): counts, size, SHA-256, generation time, licence, and the url of the "
            "gzip'd JSON Lines file (the export's format). 404 while none has been built."
        ),
        parameters=[IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={
            200: _DumpManifest,
            304: NOT_MODIFIED,
            **error_responses(not_found=_("No dump has been built yet."), bad_parameters=False),
        },
    )
    def get(self, request):
        manifest = dump.current()
        if manifest is None:
            raise NotFound(_("No dump has been built yet (manage.py build_dump)."))
        manifest.pop("path")
        return dataset.add_headers(
            Response({**manifest, "url": _dump_file_url(request, manifest)}), manifest
        )


class DumpFileView(APIView):
    """The dump's file, sent from disk (FileResponse: the server's sendfile when it has one).

    Its address names its build, so it never changes: cacheable for a year. The build before
    the current one stays downloadable until the next build (downloads still running)."""

    schema = None  # described by DumpView's url

    def get(self, request, build, name):
        path = dump.directory() / build / name
        if not dump.BUILD_NAME.fullmatch(build) or name != dump.FILE_NAME or not path.is_file():
            raise NotFound(_("No such dump: see export/dump/ for the current one."))
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=f"ruiraq-{build}.jsonl.gz"
        )
        response["Content-Type"] = "application/gzip"
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class FtmExportView(EmptyParametersMixin, APIView):
    """The whole published dataset as FollowTheMoney entities (ruiraq.site.ftm), streamed.

    One FtM entity per line, as Aleph's and OpenSanctions' tools read them
    (``ftm validate``, ``ftm aggregate``, ``alephclient write-entities``). The same file
    comes from ``manage.py export_ftm``.
    """

    renderer_classes = [JSONLinesRenderer]

    @extend_schema(
        tags=["export"],
        summary=_("Every published record, as FollowTheMoney entities"),
        parameters=[RETRY_AFTER],
        responses={
            (200, JSONLinesRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR,
                description=_(
                    'One FollowTheMoney entity per line: {"id", "schema", "properties"}. '
                    "Link (rel=license) and X-Generated-At headers give the licence and time."
                ),
            ),
            **error_responses(not_found=_("Unknown format."), bad_parameters=False),
        },
    )
    def get(self, request):
        encoder = JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        lines = (
            encoder.encode(entity) + "\n"
            for entity in ftm.entities(request.build_absolute_uri("/"))
        )
        response = StreamingHttpResponse(
            lines, content_type=f"{JSONLinesRenderer.media_type}; charset=utf-8"
        )
        stamp = re.sub(r"[^0-9]", "", now().isoformat(timespec="seconds"))[:14]
        response["Content-Disposition"] = f'attachment; filename="ruiraq-{stamp}.ftm.json"'
        return dataset.add_headers(response, dataset.metadata())


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


class DocsView(SpectacularSwaggerSplitView):
    """The interactive docs (Swagger UI): a page to read, so GET and HEAD only.

    The page's only renderer is an HTML template, which has none for DRF's OPTIONS metadata:
    an OPTIONS request was a 500 (TemplateDoesNotExist). Refused, it is a 405 with an Allow.
    """

    http_method_names = ["get", "head"]


# --- the network ------------------------------------------------------------------------------


class GEXFRenderer(BaseRenderer):
    """The network as GEXF 1.3, the format Gephi opens natively."""

    media_type = "application/gexf+xml"
    format = "gexf"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return network.to_gexf(data)


class GraphMLRenderer(BaseRenderer):
    """The network as GraphML (Gephi, yEd, networkx, igraph)."""

    media_type = "application/graphml+xml"
    format = "graphml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return network.to_graphml(data)


def _form_parameters(form_class):
    """OpenAPI query parameters for a Django form's fields: the one definition of the
    network's parameters (ruiraq.site.network) serves the page, the API and its schema."""
    parameters = []
    for name, field in form_class.base_fields.items():
        schema = {"type": "string"}
        if isinstance(field, forms.IntegerField):
            schema = {"type": "integer"}
            if field.min_value is not None:
                schema["minimum"] = field.min_value
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        elif isinstance(field, forms.TypedChoiceField):
            schema = {"type": "integer", "enum": [value for value, _label in field.choices]}
        elif isinstance(field, forms.MultipleChoiceField):
            schema = {
                "type": "array",
                "items": {"type": "string", "enum": [value for value, _label in field.choices]},
            }
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": _choice_values(field.choices)}
        elif isinstance(field, forms.SlugField):
            schema = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}
        parameters.append(
            OpenApiParameter(
                name,
                schema,
                OpenApiParameter.QUERY,
                required=field.required,
                description=str(field.help_text),
                explode=True if schema["type"] == "array" else None,
            )
        )
    return parameters


def _choice_values(choices):
    """A choice field's values, groups flattened, the empty choice left out."""
    values = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            values.extend(_choice_values(label))
        elif value != "":
            values.append(value)
    return values


_NETWORK_NODE_FIELDS = {
    "id": serializers.SlugField(help_text=_("The actor's slug.")),
    "label": serializers.CharField(help_text=_("The actor's name (English in the API).")),
    "name": serializers.CharField(),
    "name_ru": serializers.CharField(),
    "name_ar": serializers.CharField(),
    "kind": serializers.ChoiceField(choices=ActorKind.choices),
    "kind_label": serializers.CharField(),
    "country": serializers.CharField(help_text=_('ISO 3166-1 alpha-2 code; "" if none.')),
    "country_name": serializers.CharField(help_text=_("The country's name (English in the API).")),
    "events": serializers.IntegerField(help_text=_("Public events it appears in.")),
    "agreements": serializers.IntegerField(help_text=_("Public agreements it is party to.")),
    "weight": serializers.IntegerField(help_text=_("events + agreements")),
    "centre": serializers.BooleanField(help_text=_("The actor a neighbourhood is drawn around.")),
    "url": serializers.CharField(help_text=_("The actor's public page (a path).")),
    "network_url": serializers.CharField(help_text=_("Its neighbourhood's page (a path).")),
}
_NETWORK_EDGE_FIELDS = {
    "id": serializers.CharField(),
    "type": serializers.ChoiceField(
        choices=["tie", "shared"],
        help_text=_("tie: one public tie; shared: the records both actors appear in."),
    ),
    "source": serializers.SlugField(help_text=_("A node's id (for a tie: its subject).")),
    "target": serializers.SlugField(help_text=_("A node's id (for a tie: its object).")),
    "weight": serializers.IntegerField(),
    "label": serializers.CharField(),
    "events": serializers.IntegerField(required=False, help_text=_("shared: events.")),
    "agreements": serializers.IntegerField(required=False, help_text=_("shared: agreements.")),
    "kind": serializers.CharField(required=False, help_text=_("tie: its kind.")),
    "title": serializers.CharField(required=False, help_text=_("tie: the position.")),
    "when": serializers.CharField(required=False, help_text=_("tie: its dates, as worded.")),
    "start": serializers.DateField(required=False, allow_null=True),
    "end": serializers.DateField(required=False, allow_null=True),
    "url": serializers.CharField(required=False, help_text=_("tie: where its evidence is.")),
}
_NetworkResponse = inline_serializer(
    "Network",
    fields={
        "nodes": inline_serializer("NetworkNode", fields=_NETWORK_NODE_FIELDS, many=True),
        "edges": inline_serializer("NetworkEdge", fields=_NETWORK_EDGE_FIELDS, many=True),
        "actors_considered": serializers.IntegerField(
            help_text=_("Actors with a public record or tie within the filters.")
        ),
        "actors_shown": serializers.IntegerField(),
        "limit": serializers.IntegerField(),
        "truncated": serializers.BooleanField(
            help_text=_("Whether actors were left out: raise limit to see more.")
        ),
    },
)
_NETWORK_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "gexf", "graphml"],
    description=_("json (the default), gexf or graphml (both open in Gephi)."),
)


def _bad_parameters(form):
    raise ValidationError(
        {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    )


class NetworkView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, APIView):
    """The actor network (ruiraq.site.network): the whole of it, capped to the ``limit``
    actors with the most records, or one actor's neighbourhood."""

    renderer_classes = [JSONRenderer, GEXFRenderer, GraphMLRenderer]

    def options(self, request, *args, **kwargs):
        # The description of the endpoint is not a graph: JSON whatever format was asked.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        return super().options(request, *args, **kwargs)

    @extend_schema(
        tags=["network"],
        summary=_("The network of published actors, ties and shared records"),
        description=_(
            "Nodes are published actors; edges are published ties (one per tie) and "
            "co-participation in published events and agreements (one per pair, weighted "
            "by the number of shared records). A year_to before year_from matches nothing."
        ),
        parameters=[*_form_parameters(network.NetworkForm), _NETWORK_FORMAT, RETRY_AFTER],
        responses={
            (200, JSON): _NetworkResponse,
            (200, GEXFRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR, description="GEXF 1.3"
            ),
            (200, GraphMLRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR, description="GraphML"
            ),
            304: NOT_MODIFIED,
            **error_responses(not_found=_("Unknown format.")),
        },
    )
    def get(self, request):
        cached = self.cached_response()
        if cached is not None:
            return cached
        form = network.NetworkForm(request.query_params)
        if not form.is_valid():
            _bad_parameters(form)
        response = Response(network.build(form.cleaned_data))
        if request.accepted_renderer.format in ("gexf", "graphml"):
            extension = request.accepted_renderer.format
            response["Content-Disposition"] = f'attachment; filename="ruiraq-network.{extension}"'
        return response


class NetworkEdgeView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, APIView):
    """What stands behind the connection of two actors, with its evidence."""

    @extend_schema(
        tags=["network"],
        summary=_("The records and ties connecting two actors, with their evidence"),
        parameters=[*_form_parameters(network.EdgeForm), RETRY_AFTER],
        responses={
            (200, JSON): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_(
                    "source and target (the two actors); events, agreements and ties, each "
                    "with its title, dates, page and evidence (source, quote, locator, "
                    "stance); more_events and more_agreements when more than 50 are shared."
                ),
            ),
            304: NOT_MODIFIED,
            **error_responses(not_found=_("Unknown format.")),
        },
    )
    def get(self, request):
        cached = self.cached_response()
        if cached is not None:
            return cached
        form = network.EdgeForm(request.query_params)
        if not form.is_valid():
            _bad_parameters(form)
        data = form.cleaned_data
        return Response(network.edge(data, data["source"], data["target"]))


# --- the timeline -----------------------------------------------------------------------------

_FUZZY_DATE = inline_serializer(
    "TimelineDate",
    fields={
        "date": serializers.DateField(help_text=_("The first day of the period.")),
        "precision": serializers.ChoiceField(choices=["day", "month", "year"]),
        "display": serializers.CharField(),
    },
)
_TimelineResponse = inline_serializer(
    "Timeline",
    fields={
        "count": serializers.IntegerField(help_text=_("Dated public records that match.")),
        "shown": serializers.IntegerField(help_text=_("Records in items.")),
        "truncated": serializers.BooleanField(
            help_text=_("More match than items holds (the first by date): narrow the years.")
        ),
        "years": inline_serializer(
            "TimelineYear",
            fields={
                "year": serializers.IntegerField(),
                "events": serializers.IntegerField(),
                "agreements": serializers.IntegerField(),
            },
            many=True,
        ),
        "items": inline_serializer(
            "TimelineItem",
            fields={
                "type": serializers.ChoiceField(choices=["event", "agreement"]),
                "id": serializers.SlugField(help_text=_("The record's slug.")),
                "title": serializers.CharField(),
                "kind": serializers.CharField(),
                "kind_label": serializers.CharField(),
                "status": serializers.CharField(help_text=_("event_status or agreement_status.")),
                "status_label": serializers.CharField(),
                "when": serializers.CharField(help_text=_("The dates, as worded.")),
                "start": _FUZZY_DATE,
                "end": inline_serializer(
                    "TimelineEndDate",
                    fields={
                        "date": serializers.DateField(),
                        "precision": serializers.ChoiceField(choices=["day", "month", "year"]),
                        "display": serializers.CharField(),
                    },
                    allow_null=True,
                ),
                "first_day": serializers.DateField(help_text=_("The first day it covers.")),
                "last_day": serializers.DateField(
                    help_text=_("The last day it covers: the end of its precision's period.")
                ),
                "url": serializers.CharField(help_text=_("The record's page (a path).")),
            },
            many=True,
        ),
    },
)
_TIMELINE_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_("json (the default) or csv (every matching record, undated ones last)."),
)


class TimelineView(EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, APIView):
    """The timeline's records (ruiraq.site.timeline): JSON for a picture, CSV for a sheet."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def options(self, request, *args, **kwargs):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        return super().options(request, *args, **kwargs)

    @extend_schema(
        tags=["timeline"],
        summary=_("Published events and agreements on a time axis"),
        description=_(
            "Each record with the days it covers at its precision (first_day, last_day: a "
            "year-precision record covers its year). JSON holds the records per year and up "
            "to %(max)s records in date order; CSV holds every matching record. "
            "year may not be combined with year_from or year_to; year_to may not be before "
            "year_from; kind must belong to record when both are given."
        )
        % {"max": timeline.MAX_ITEMS},
        parameters=[*_form_parameters(timeline.TimelineForm), _TIMELINE_FORMAT, RETRY_AFTER],
        responses={
            (200, JSON): _TimelineResponse,
            (200, CSVRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR, description=_("One row per record.")
            ),
            304: NOT_MODIFIED,
            **error_responses(not_found=_("Unknown format.")),
        },
    )
    def get(self, request):
        cached = self.cached_response()
        if cached is not None:
            return cached
        form = timeline.TimelineForm(request.query_params)
        if not form.is_valid():
            _bad_parameters(form)
        if request.accepted_renderer.format == "csv":
            response = StreamingHttpResponse(
                _csv_lines(timeline.csv_rows(form.cleaned_data)),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="ruiraq-timeline.csv"'
            return response
        return Response(timeline.build(form.cleaned_data))


def _csv_lines(rows):
    """The CSV, a line at a time: the header, then a row per record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values):
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield line(timeline.CSV_COLUMNS)
    for row in rows:
        yield line([row[column] for column in timeline.CSV_COLUMNS])
