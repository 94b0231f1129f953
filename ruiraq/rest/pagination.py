"""
The API's pagination (settings.REST_FRAMEWORK names it). Loaded by DRF while it defines
``APIView``: import nothing here that imports ``rest_framework.views``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ruiraq.pagination import IdsFirstPaginator


class KeysetPagination(pagination.CursorPagination):
    """The cursor (keyset) walk of ``PageNumberPagination``: records by id, each page read as
    "the next ``page_size`` ids after the last one seen", so the thousandth page costs what
    the first does (an OFFSET reads and drops every row before it), no total is counted, and
    a record added or removed during the walk shifts nothing: each record present from start
    to end is seen exactly once."""

    ordering = "pk"
    #: Each page's ids first, then its rows (ruiraq.pagination).
    django_paginator_class = IdsFirstPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [str(_("Not a cursor this API gave."))]}
            ) from None


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (default 20, at most 100), with the total ``count``.

    DRF quietly falls back to the default on a malformed ``page_size``; here a malformed
    ``page`` or ``page_size`` is a 400 naming it, and a page past the last is a 404.
    The links to the next and previous pages are also sent as a ``Link`` header and the total
    as ``X-Total-Count``, so a CSV client can walk the pages too.
    """

    #: Each page's ids first, then its rows (ruiraq.pagination).
    django_paginator_class = IdsFirstPaginator
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    #: ``?pagination=cursor`` starts a keyset walk; its pages' links carry ``cursor``.
    pagination_query_param = "pagination"
    cursor_query_param = KeysetPagination.cursor_query_param
    _keyset = None

    def _wants_cursor(self, request):
        params = request.query_params
        return self.cursor_query_param in params or params.get(self.pagination_query_param) == (
            "cursor"
        )

    def param_errors(self, request):
        """{parameter: [message]} for each malformed pagination parameter."""
        errors = {}
        mode = request.query_params.get(self.pagination_query_param)
        if mode is not None and mode not in ("page", "cursor"):
            errors[self.pagination_query_param] = [str(_('"page" or "cursor".'))]
        if self._wants_cursor(request) and self.page_query_param in request.query_params:
            errors[self.page_query_param] = [
                str(_("A cursor walk has no page numbers: follow its next links."))
            ]
        if mode == "page" and self.cursor_query_param in request.query_params:
            errors[self.cursor_query_param] = [str(_('Not with pagination "page".'))]
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

    def paginate_queryset(self, queryset, request, view=None):
        if not self._wants_cursor(request):
            return super().paginate_queryset(queryset, request, view)
        self._check(request)
        self._keyset = KeysetPagination()
        self._keyset.page_size = self.get_page_size(request)
        return self._keyset.paginate_queryset(queryset, request, view)

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
        if self._keyset is not None:
            response = self._keyset.get_paginated_response(data)
            links = [
                f'<{url}>; rel="{rel}"'
                for rel, url in (
                    ("prev", self._keyset.get_previous_link()),
                    ("next", self._keyset.get_next_link()),
                )
                if url
            ]
            if links:
                response["Link"] = ", ".join(links)
            return response
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
        return [
            *parameters,
            {
                "name": self.pagination_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        '"cursor" walks every record by id, page after page, following the '
                        "next links (each carries a cursor): every page costs what the first "
                        "does, however deep, and records added meanwhile never shift a page. "
                        'Such pages have no count, and take no page. "page" (the default) '
                        "numbers the pages."
                    )
                ),
                "schema": {"type": "string", "enum": ["page", "cursor"]},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Where a cursor walk goes on: copied from a next or previous link "
                        "(not combined with page)."
                    )
                ),
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        response["properties"]["count"]["description"] = str(
            _("How many records match, on all pages (absent from a cursor walk's pages).")
        )
        return response
