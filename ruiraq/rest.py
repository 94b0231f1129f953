"""
Building blocks of the read API that DRF loads by dotted path from settings.REST_FRAMEWORK
(pagination, throttle, exception handler) and the pieces serializers share (fuzzy-date fields,
renderers).

DRF imports the classes named in its settings while it defines ``APIView`` itself, so this
module must never import ``rest_framework.views``, ``generics`` or ``viewsets`` (directly or
through an app): that would be an import cycle. The view layer lives in ruiraq/api.py.
"""

import csv
import io
import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, renderers, serializers, throttling
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ruiraq.dates import Precision
from ruiraq.security import client_ip

# --- fuzzy dates ------------------------------------------------------------------------------


class _FuzzyDateSchema(serializers.Serializer):
    """How the schema describes a fuzzy date (see ruiraq.dates.FuzzyDate.as_dict)."""

    date = serializers.DateField(help_text=_("The first day of the period the source gives."))
    precision = serializers.ChoiceField(
        choices=Precision.choices, help_text=_("How much of the date is known.")
    )
    display = serializers.CharField(help_text=_('As shown on the site: "March 2019".'))

    class Meta:
        ref_name = "FuzzyDate"


class _FuzzySpanSchema(serializers.Serializer):
    start = _FuzzyDateSchema(allow_null=True)
    end = _FuzzyDateSchema(allow_null=True)
    display = serializers.CharField(help_text=_('As shown on the site: "29–30 January 2019".'))

    class Meta:
        ref_name = "FuzzySpan"


@extend_schema_field(_FuzzyDateSchema)
class FuzzyDateField(serializers.Field):
    """A ``FuzzyDate`` as ``{"date", "precision", "display"}``; ``None`` stays null."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.as_dict()


@extend_schema_field(_FuzzySpanSchema)
class FuzzySpanField(serializers.Field):
    """A record's ``span`` as ``{"start", "end", "display"}``, either end possibly null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "span")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {
            "start": value.start.as_dict() if value.start else None,
            "end": value.end.as_dict() if value.end else None,
            "display": value.display(),
        }


# --- pagination -------------------------------------------------------------------------------


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (default 20, at most 100), with the total ``count``.

    DRF quietly falls back to the default on a malformed ``page_size``; here a malformed
    ``page`` or ``page_size`` is a 400 naming it, and a page past the last is a 404.
    The links to the next and previous pages are also sent as a ``Link`` header and the total
    as ``X-Total-Count``, so a CSV client can walk the pages too.
    """

    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    def param_errors(self, request):
        """{parameter: [message]} for each malformed pagination parameter."""
        errors = {}
        for name, maximum in (
            (self.page_query_param, None),
            (self.page_size_query_param, self.max_page_size),
        ):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            try:
                value = int(raw)
            except ValueError:
                errors[name] = [str(_("A whole number is required."))]
                continue
            if value < 1:
                errors[name] = [str(_("Ensure this value is greater than or equal to 1."))]
            elif maximum is not None and value > maximum:
                errors[name] = [
                    str(_("Ensure this value is less than or equal to %(max)d.") % {"max": maximum})
                ]
        return errors

    def _check(self, request):
        errors = self.param_errors(request)
        if errors:
            raise ValidationError(errors)

    def get_page_size(self, request):
        self._check(request)
        raw = request.query_params.get(self.page_size_query_param)
        return int(raw) if raw is not None else self.page_size

    def get_page_number(self, request, paginator):
        self._check(request)
        return int(request.query_params.get(self.page_query_param) or 1)

    def _links(self):
        url = self.request.build_absolute_uri()
        links = []
        if self.page.has_previous():
            number = self.page.previous_page_number()
            previous = (
                remove_query_param(url, self.page_query_param)
                if number == 1
                else replace_query_param(url, self.page_query_param, number)
            )
            links.append(f'<{previous}>; rel="prev"')
        if self.page.has_next():
            following = replace_query_param(
                url, self.page_query_param, self.page.next_page_number()
            )
            links.append(f'<{following}>; rel="next"')
        return ", ".join(links)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = self._links()
        if links:
            response["Link"] = links
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
                parameter["description"] = str(
                    _("Results per page (default %(default)d, at most %(max)d).")
                    % {"default": self.page_size, "max": self.max_page_size}
                )
            else:
                parameter["description"] = str(
                    _("A page number, from 1; a page past the last is a 404.")
                )
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        response["properties"]["count"]["description"] = str(
            _("How many records match, on all pages.")
        )
        return response


# --- throttling and errors --------------------------------------------------------------------


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, telling clients apart as the rest of the project does.

    The client is ``ruiraq.security.client_ip`` (NUM_PROXIES hops back in X-Forwarded-For,
    never the forgeable left part), the same address the admin's login throttling uses. The
    rate is read at request time: DRF copies ``DEFAULT_THROTTLE_RATES`` into a class attribute
    when it is imported, so a changed setting (``override_settings`` in a test) would
    otherwise be ignored.
    """

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def exception_handler(exc, context):
    """DRF's handler, with every error answered in JSON.

    A client asking for ``?format=csv`` with a bad filter must get a readable
    ``{"param": ["message"]}``, not an error squeezed into CSV columns.
    """
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type
    return response


# --- renderers --------------------------------------------------------------------------------


def _collect(value, keys):
    """The values at a dotted path, mapping over lists on the way."""
    if isinstance(value, list):
        return [found for item in value for found in _collect(item, keys)]
    if not keys:
        return [] if value is None else [value]
    if isinstance(value, dict):
        return _collect(value.get(keys[0]), keys[1:])
    return []


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CSVRenderer(renderers.BaseRenderer):
    """One flat row per record, with the columns the view names in ``csv_columns``.

    A column is a dotted path into the record's JSON ("when.start.date",
    "participants.actor.slug"); a path through a list gives its values joined by "; ", in
    the JSON's order, so parallel columns ("participants.actor.slug", "participants.role")
    line up. The header is the same on every page, empty ones included.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    separator = "; "

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = list(getattr(view, "csv_columns", ()))
        rows = data.get("results", []) if isinstance(data, dict) else data or []
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    self.separator.join(_cell(v) for v in _collect(row, column.split(".")))
                    for column in columns
                ]
            )
        return buffer.getvalue().encode(self.charset)


class JSONLinesRenderer(renderers.BaseRenderer):
    """Names the export's media type for content negotiation; the export view streams it."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data) + b"\n"


# --- links ------------------------------------------------------------------------------------

_LINK_MARK = "0000000000"  # passes the int, slug and [0-9]{1,18} converters alike
_PLAIN = re.compile(r"[-A-Za-z0-9_]+")


def absolute_url(request, view_name, **kwargs):
    """``request.build_absolute_uri(reverse(view_name, kwargs=kwargs))``, for one argument.

    A 50-row event list makes about 480 links; ``reverse()`` (which consults the active
    language and quotes every argument on each call) was a third of its time. Here each
    route is reversed once per request with a marker in place of the argument, and the
    value goes in by string: the same URL for an id or an ASCII slug, whose quoting changes
    nothing. Anything else takes the slow path.
    """
    ((name, value),) = kwargs.items()
    value = str(value)
    if not _PLAIN.fullmatch(value):
        return request.build_absolute_uri(reverse(view_name, kwargs={name: value}))
    patterns = request.__dict__.setdefault("_ruiraq_links", {})
    key = (view_name, name)
    if key not in patterns:
        url = request.build_absolute_uri(reverse(view_name, kwargs={name: _LINK_MARK}))
        head, _, tail = url.partition(_LINK_MARK)
        patterns[key] = (head, tail)
    head, tail = patterns[key]
    return f"{head}{value}{tail}"


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The record's absolute address in the API, by id.

    DRF's own field carries the request's ``?format=csv`` over into every link; a link to a
    detail must not, since details have no CSV.
    """

    def get_url(self, obj, view_name, request, format):
        return absolute_url(request, view_name, pk=obj.pk)

    def to_representation(self, value):
        # DRF's version also checks the request and the format on every row.
        return self.get_url(value, self.view_name, self.context["request"], None)


@extend_schema_field({"type": "string", "format": "uri"})
class PageUrlField(serializers.Field):
    """The absolute address of the record's public page (its ``get_absolute_url``).

    With ``route`` (the URL name that ``get_absolute_url`` reverses by ``slug``), the link
    is built by ``absolute_url``, which matters in lists; without it, by the model.
    """

    def __init__(self, route=None, **kwargs):
        self.route = route
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", _("The record's page on the public site."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context["request"]
        if self.route is not None:
            return absolute_url(request, self.route, slug=value.slug)
        return request.build_absolute_uri(value.get_absolute_url())
