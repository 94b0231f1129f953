"""The FilterSet behind the public actor list and the API's actor list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorKind
from ruiraq.filters import SearchFilter, UpdatedSinceFilter, UpperCharFilter
from ruiraq.languages import name_ordering


class _ActorOrderingFilter(django_filters.OrderingFilter):
    """ "name" sorts by the name the reader sees: Russian names on Russian pages (first, in
    Cyrillic order), Arabic on Arabic pages, English elsewhere and in the API."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if param.lstrip("-") == "name":
                ordering += name_ordering(descending=param.startswith("-"))
            elif param:
                ordering.append(self.get_ordering_value(param))
        return qs.order_by(*ordering)


class ActorFilter(django_filters.FilterSet):
    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices, label=_("Kind"))
    country = UpperCharFilter(
        field_name="country", label=_("Country"), help_text=_("ISO code: IQ, RU.")
    )
    ordering = _ActorOrderingFilter(
        fields=(("name", "name"), ("kind", "kind")),
        field_labels={"name": _("Name"), "kind": _("Kind")},
        label=_("Order by"),
    )

    class Meta:
        model = Actor
        fields = []
