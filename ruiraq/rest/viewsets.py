"""
The base viewset of every API endpoint: a model's published records, a filtered, paginated
list (also as CSV) and a detail.
"""

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError

from ruiraq.models import RecordChange, stable_order
from ruiraq.rest.mixins import (
    ConditionalGetMixin,
    EmptyParametersMixin,
    PublicCacheMixin,
    RecordLanguageMixin,
)
from ruiraq.rest.renderers import CSVRenderer


class PublicReadOnlyViewSet(
    EmptyParametersMixin,
    RecordLanguageMixin,
    ConditionalGetMixin,
    PublicCacheMixin,
    viewsets.ReadOnlyModelViewSet,
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
        try:
            return self.cached_response() or super().retrieve(request, *args, **kwargs)
        except (Http404, NotFound):
            # A merged record's old id leads to the survivor, as its old page does.
            survivor = self._survivor(pk=kwargs.get(self.lookup_field))
            if survivor is None:
                raise
            return self._redirect(survivor, permanent=True)

    #: A slug: letters, digits, "-" and "_", at least one of them not a digit (ids win).
    slug_regex = r"(?=[-a-zA-Z0-9_]*[-a-zA-Z_])[-a-zA-Z0-9_]{1,120}"

    @action(detail=False, methods=["get"], url_path=rf"(?P<slug>{slug_regex})")
    def by_slug(self, request, slug):
        """The record with this slug: a redirect to its address by id (302, since a slug
        may be edited; 301 for a merged record's old slug). One query."""
        pk = self.queryset.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is not None:
            return self._redirect(pk, permanent=False)
        survivor = self._survivor(slug=slug)
        if survivor is None:
            raise NotFound(f"No published {self.basename} has this slug.")
        return self._redirect(survivor, permanent=True)

    def _survivor(self, **lookup):
        """The public record a merged record's id or slug now stands for (its pk), or None."""
        if lookup.get("pk") is not None and not str(lookup["pk"]).isdigit():
            return None
        found = RecordChange.objects.successor_of(self.queryset.model._meta.label_lower, **lookup)
        if found is None or not self.queryset.filter(pk=found[0]).exists():
            return None
        return found[0]

    def _redirect(self, pk, *, permanent):
        url = reverse(f"api:{self.basename}-detail", kwargs={"pk": pk})
        if self.request.META.get("QUERY_STRING"):
            url += "?" + self.request.META["QUERY_STRING"]
        redirect = HttpResponsePermanentRedirect if permanent else HttpResponseRedirect
        return redirect(self.request.build_absolute_uri(url))

    def get_renderers(self):
        renderers_ = super().get_renderers()
        # By route rather than action: a POST to a list with ?format=csv must still be a 405.
        if not self.detail and getattr(self, "action", None) != "by_slug":
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
