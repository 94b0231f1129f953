"""
/api/reconcile/: the W3C Reconciliation Service API 0.2 over HTTP (ruiraq.site.reconcile
holds the matching). One address answers the manifest (no parameters), a batch of queries
(``queries=``) and data extension (``extend=``), by GET or by a form POST as OpenRefine
sends them; ``suggest/entity``, ``properties`` and ``preview`` sit below it.

The protocol's texts are English, like the rest of the API. Errors are JSON with a
``detail`` and status 400; the API's throttle applies. Not in /api/v1/'s OpenAPI schema:
the protocol is specified by the W3C group (the README points there).
"""

import json

from csp.decorators import csp_replace
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ruiraq.site import reconcile

#: The size OpenRefine gives the preview's frame.
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 120


class _ReconcileView(APIView):
    schema = None
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    def parameter(self, request, name):
        """``name`` from the query string or the POSTed form (or a JSON body's key)."""
        if request.method == "POST":
            try:
                data = request.data
            except ParseError as exc:
                raise reconcile.BadRequest(f"The request body is malformed: {exc.detail}") from exc
            except RequestDataTooBig as exc:
                # Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE): a 400 in the protocol's
                # JSON rather than Django's HTML page.
                raise reconcile.BadRequest(
                    "The request body is too large: send fewer queries in a batch."
                ) from exc
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                # A JSON body may hold the object itself rather than its text.
                value = json.dumps(value)
            if value is not None:
                return value
        return request.query_params.get(name)

    def handle_exception(self, exc):
        if isinstance(exc, reconcile.BadRequest):
            return Response({"detail": str(exc)}, status=400)
        return super().handle_exception(exc)


class ServiceView(_ReconcileView):
    """The manifest, a batch of queries, or data extension, by the parameter given."""

    def get(self, request):
        with translation.override("en"):
            extend = self.parameter(request, "extend")
            if extend is not None:
                ids, pids = reconcile.parse_extend(extend)
                return Response(reconcile.extend(ids, pids))
            queries = self.parameter(request, "queries")
            if queries is not None:
                return Response(reconcile.reconcile(reconcile.parse_queries(queries)))
            return Response(self.manifest(request))

    post = get

    def manifest(self, request):
        root = request.build_absolute_uri("/")
        service = request.build_absolute_uri(reverse("reconcile:service")).rstrip("/")
        return {
            "versions": ["0.2"],
            "name": "ruiraq: Russia–Iraq relations (actors, events, agreements)",
            "identifierSpace": root,
            "schemaSpace": request.build_absolute_uri(reverse("api:schema")),
            "documentation": request.build_absolute_uri(reverse("api:docs")),
            "view": {"url": f"{root}{{{{id}}}}/"},
            "defaultTypes": [
                {"id": kind, "name": str(name)} for kind, name in reconcile.TYPES.items()
            ],
            "preview": {
                "url": f"{service}/preview?id={{{{id}}}}",
                "width": PREVIEW_WIDTH,
                "height": PREVIEW_HEIGHT,
            },
            "suggest": {"entity": {"service_url": service, "service_path": "/suggest/entity"}},
            "extend": {
                "propose_properties": {"service_url": service, "service_path": "/properties"}
            },
        }


class SuggestEntityView(_ReconcileView):
    """Entities for an auto-complete box: ``prefix``, optional ``type``, ``limit`` (1–25)."""

    def get(self, request):
        prefix = request.query_params.get("prefix", "")
        kind = request.query_params.get("type") or None
        if kind is not None and kind not in reconcile.TYPES:
            raise reconcile.BadRequest(f"type: unknown type {kind!r}; see defaultTypes.")
        raw_limit = request.query_params.get("limit", "10")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= reconcile.MAX_LIMIT:
            raise reconcile.BadRequest(f"limit: a whole number from 1 to {reconcile.MAX_LIMIT}.")
        with translation.override("en"):
            return Response({"result": reconcile.suggest(prefix, kind, int(raw_limit))})


class ProposePropertiesView(_ReconcileView):
    """The properties data extension offers for a ``type``."""

    def get(self, request):
        kind = request.query_params.get("type") or None
        if kind is not None and kind not in reconcile.TYPES:
            raise reconcile.BadRequest(f"type: unknown type {kind!r}; see defaultTypes.")
        family = kind or "actor"
        return Response(
            {"type": family, "properties": reconcile.propose_properties(family), "limit": 25}
        )


# OpenRefine shows the card in a frame of its own page (on another origin): this one read-only
# card may be framed, unlike every other page of the site.
@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def preview(request):
    """A small HTML card of one public entity, for OpenRefine's preview frame."""
    found = reconcile.records_for([request.GET.get("id", "")])
    if not found:
        raise Http404("No public record has this id.")
    (record,) = found.values()
    with translation.override("en"):
        context = {
            "record": record,
            "type": reconcile.type_of(record)["name"],
            "description": reconcile.describe(record),
        }
        return TemplateResponse(request, "ruiraq/reconcile_preview.html", context).render()
