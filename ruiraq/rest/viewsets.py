"""
The base viewset of every API endpoint: a model's published records, a filtered, paginated
list (also as CSV) and a detail.
"""

from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from ruiraq.models import stable_order
from ruiraq.rest.mixins import ConditionalGetMixin, EmptyParametersMixin, PublicCacheMixin
from ruiraq.rest.renderers import CSVRenderer


class PublicReadOnlyViewSet(
    EmptyParametersMixin, ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet
):
    """A model's published records: a filtered, paginated list and a detail by id.

    Subclasses name ``queryset`` (the model's ``public()``), ``list_serializer_class`` and
    ``serializer_class`` (the detail). What each reads is named once, on the model's QuerySet:
    ``for_api_list()`` and ``for_api_detail()`` (which the export reuses).
    """

    list_serializer_class = None
    #: Dotted paths into the list representation: the CSV columns (see CSVRenderer).
    csv_columns = ()
    # At most 18 digits: a longer id cannot be a database id, and would overflow the column.
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        # ``queryset`` is the model's public(); its QuerySet names what each action reads.
        if self.action == "list":
            return self.queryset.for_api_list()
        return self.queryset.for_api_detail()

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
        return stable_order(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer) and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{self.basename}s.csv"'
        return response
