"""The FilterSet behind the public actor list and the API's actor list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorKind
from ruiraq.filters import LocalOrderingFilter, SearchFilter, UpdatedSinceFilter, UpperCharFilter


class ActorFilter(django_filters.FilterSet):
    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices, label=_("Kind"))
    country = UpperCharFilter(
        field_name="country", label=_("Country"), help_text=_("ISO code: IQ, RU.")
    )
    #: "name" sorts by the name the reader sees (ruiraq.filters.LocalOrderingFilter).
    ordering = LocalOrderingFilter(
        local=("name",),
        fields=(("name", "name"), ("kind", "kind")),
        field_labels={"name": _("Name"), "kind": _("Kind")},
        label=_("Order by"),
    )

    class Meta:
        model = Actor
        fields = []
