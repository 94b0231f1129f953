"""
The OpenAPI description the API's operations share: errors, conditional requests, the
filters' exact parameter types, and the rules every query parameter follows.
"""

from django import forms
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
from rest_framework import serializers

from ruiraq.rest.renderers import CSVRenderer

# --- the OpenAPI description of errors and conditional requests -------------------------------

JSON = "application/json"

ERROR = inline_serializer(
    "Error", fields={"detail": serializers.CharField(help_text=_("What went wrong."))}
)
PARAMETER_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "description": "Each bad query parameter, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"year_from": ["Ensure this value is greater than or equal to 1900."]},
    },
    description=_("A query parameter is malformed: the body names each bad parameter."),
)
NOT_MODIFIED = OpenApiResponse(
    description=_("The representation has not changed since the ETag given in If-None-Match.")
)
METHOD_NOT_ALLOWED = OpenApiResponse(
    ERROR, description=_("The API is read-only: only GET, HEAD and OPTIONS are allowed.")
)
NOT_ACCEPTABLE = OpenApiResponse(
    ERROR, description=_("The Accept header names no format this endpoint answers in.")
)
THROTTLED = OpenApiResponse(
    ERROR,
    description=_("Too many requests; the Retry-After header says how many seconds to wait."),
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("An ETag from an earlier answer: 304 Not Modified if it still matches."),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description=_("A tag of this exact answer, for If-None-Match."),
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds to wait before the next request."),
)
ID = OpenApiParameter(
    "id",
    {"type": "integer", "format": "int64", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The record's id, as in its url."),
)
SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": r"^(?=[-a-zA-Z0-9_]*[-a-zA-Z_])[-a-zA-Z0-9_]{1,120}$"},
    OpenApiParameter.PATH,
    description=_("The record's slug, as in its page's address: sergey-lavrov."),
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[301, 302],
    description=_("The record's address by id."),
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_(
        "json (the default) or csv: the same page of the same filtered list as flat rows. "
        "In CSV a cell that a spreadsheet would run as a formula (one beginning with =, +, "
        "-, @, a tab or a carriage return) is written with a single quote in front, as OWASP "
        "advises; a cell already beginning with a quote followed by one of those gets a "
        "second. JSON always carries the exact text."
    ),
)

LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["en", "ru", "ar"],
    description=_(
        "The language of record text (titles, summaries, places, descriptions, topic "
        "names): en, ru or ar. Without it, the first of Accept-Language's languages among "
        "these, else en. A text with no translation is given in English; each record's "
        "languages object says which language each of its texts is in. Quotes are always "
        "as the source wrote them. Any other value is a 400 naming lang."
    ),
)


def error_responses(*, not_found, bad_parameters=True):
    """The error answers an operation documents, keyed for ``extend_schema(responses=...)``."""
    responses = {
        (404, JSON): OpenApiResponse(ERROR, description=not_found),
        (405, JSON): METHOD_NOT_ALLOWED,
        (406, JSON): NOT_ACCEPTABLE,
        (429, JSON): THROTTLED,
    }
    if bad_parameters:
        responses[(400, JSON)] = PARAMETER_ERRORS
    return responses


def document_viewset(*, tag, noun, plural):
    """The schema of a ``PublicReadOnlyViewSet``: its list and detail, with their errors."""

    def decorate(viewset):
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                summary=_("List published %(plural)s") % {"plural": plural},
                parameters=[FORMAT, LANG, IF_NONE_MATCH, ETAG, RETRY_AFTER],
                responses={
                    (200, JSON): viewset.list_serializer_class,
                    (200, CSVRenderer.media_type): OpenApiResponse(
                        OpenApiTypes.STR,
                        description=_(
                            "With format=csv: a header row, then one row per record of the page."
                        ),
                    ),
                    304: NOT_MODIFIED,
                    **error_responses(
                        not_found=_("The page is past the last one, or the format is unknown.")
                    ),
                },
            ),
            by_slug=extend_schema(
                tags=[tag],
                operation_id=f"{tag}_by_slug",
                summary=_("One published %(noun)s, by slug") % {"noun": noun},
                description=_(
                    "Redirects to the %(noun)s's address by id: 302 Found (a slug may be "
                    "edited), or 301 Moved Permanently for the old slug of a record merged "
                    "into another. The slug is the last part of the record's page address; "
                    "one made only of digits is an id."
                )
                % {"noun": noun},
                parameters=[SLUG, LOCATION, RETRY_AFTER],
                responses={
                    (301, JSON): OpenApiResponse(
                        description=_("Merged into another record: Location is its address.")
                    ),
                    (302, JSON): OpenApiResponse(
                        description=_("Location is the record's address by id.")
                    ),
                    **error_responses(
                        not_found=_("No published %(noun)s has this slug.") % {"noun": noun},
                        bad_parameters=False,
                    ),
                },
            ),
            retrieve=extend_schema(
                tags=[tag],
                summary=_("One published %(noun)s, with its evidence") % {"noun": noun},
                parameters=[ID, LANG, IF_NONE_MATCH, ETAG, RETRY_AFTER],
                responses={
                    200: viewset.serializer_class,
                    304: NOT_MODIFIED,
                    **error_responses(
                        not_found=_("No published %(noun)s has this id.") % {"noun": noun},
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
