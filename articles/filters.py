"""The FilterSets behind the public list pages and the API lists (one per listable model)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actors.filters import ActorNameFilter
from articles.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Event,
    EventKind,
    EventStatus,
    Source,
    SourceKind,
    Topic,
)
from ruiraq.filters import (
    CountryFilter,
    LanguageFilter,
    LocalOrderingFilter,
    RenamedParametersMixin,
    SearchFilter,
    UpdatedSinceFilter,
    YearFilter,
)


class EventFilter(RenamedParametersMixin, django_filters.FilterSet):
    # "status" is the editorial status of every record; what happened is "event_status",
    # as in the API's representation. Links with the old ``?status=`` keep working.
    renamed_parameters = {"status": "event_status"}

    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    event_status = django_filters.ChoiceFilter(
        field_name="event_status", choices=EventStatus.choices, label=_("Status")
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label=_("Topic"),
    )
    actor = ActorNameFilter(
        field_name="participants__actor",
        label=_("Actor"),
        help_text=_("A name in any script (Lavrov, Лавров, لافروف) or its slug."),
    )
    country = CountryFilter(field_name="country", help_text=_("Where it took place."))
    year_from = YearFilter(field_name="start_date", lookup_expr="gte", label=_("From year"))
    year_to = YearFilter(field_name="start_date", lookup_expr="lte", label=_("To year"))
    ordering = LocalOrderingFilter(
        local=("title",),
        fields=(("start_date", "date"), ("title", "title")),
        field_labels={"start_date": _("Date"), "title": _("Title")},
        label=_("Order by"),
    )

    class Meta:
        model = Event
        fields = []


class AgreementFilter(RenamedParametersMixin, django_filters.FilterSet):
    # As EventFilter: "agreement_status" is where the agreement stands, not its editing.
    renamed_parameters = {"status": "agreement_status"}

    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    agreement_status = django_filters.ChoiceFilter(
        field_name="agreement_status", choices=AgreementStatus.choices, label=_("Status")
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label=_("Topic"),
    )
    party = ActorNameFilter(
        field_name="parties__actor",
        label=_("Party"),
        help_text=_("A name in any script (Rosneft, Роснефть, روسنفت) or its slug."),
    )
    year_from = YearFilter(field_name="start_date", lookup_expr="gte", label=_("From year"))
    year_to = YearFilter(field_name="start_date", lookup_expr="lte", label=_("To year"))
    value_min = django_filters.NumberFilter(
        field_name="value_amount",
        lookup_expr="gte",
        label=_("Value at least"),
        min_value=0,
        max_digits=Agreement.VALUE_MAX_DIGITS,
        decimal_places=2,
    )
    value_max = django_filters.NumberFilter(
        field_name="value_amount",
        lookup_expr="lte",
        label=_("Value at most"),
        min_value=0,
        max_digits=Agreement.VALUE_MAX_DIGITS,
        decimal_places=2,
    )
    ordering = LocalOrderingFilter(
        local=("title",),
        fields=(("start_date", "date"), ("title", "title"), ("value_amount", "value")),
        field_labels={"start_date": _("Date"), "title": _("Title"), "value_amount": _("Value")},
        label=_("Order by"),
    )

    class Meta:
        model = Agreement
        fields = []


class SourceFilter(django_filters.FilterSet):
    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    outlet = django_filters.CharFilter(lookup_expr="icontains", label=_("Outlet"))
    language = LanguageFilter(help_text=_("The language the source is written in."))
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("Kind"))
    year = YearFilter(field_name="published_date", lookup_expr="year", label=_("Year"))
    ordering = LocalOrderingFilter(
        fields=(("published_date", "date"), ("title", "title"), ("outlet", "outlet")),
        field_labels={"published_date": _("Date"), "title": _("Title"), "outlet": _("Outlet")},
        label=_("Order by"),
    )

    class Meta:
        model = Source
        fields = []
