"""Filter pieces shared by the FilterSets of both apps (and so by the site and the API)."""

import datetime as dt

import django_filters
import django_filters.fields
from django import forms
from django.conf.locale import LANG_INFO
from django.db.models import F
from django.forms.utils import ErrorDict
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.fields import IsoDateTimeField

from ruiraq import languages, search

MIN_YEAR, MAX_YEAR = 1900, 2100


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year on a date column: ``lookup_expr`` "gte" (from), "lte" (to) or "year" (within).

    Compares the date column with a date, so an index on the column serves it.
    """

    field_class = YearField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        year = int(value)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": first})
        if self.lookup_expr == "lte":
            return qs.filter(**{f"{self.field_name}__lte": last})
        return qs.filter(**{f"{self.field_name}__range": (first, last)})


class SearchFilter(django_filters.CharFilter):
    """Free-text search through ruiraq.search, the one search implementation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", search.MAX_QUERY_LENGTH * 5)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # Best match first (then the list's own order), unless the reader chose an order:
        # the FilterSet's ``ordering`` comes after this filter and replaces it.
        return search.filter_queryset(qs, value, rank=True)


class _CodeChoiceField(django_filters.fields.ChoiceField):
    """A choice of codes that takes them in any case and with stray spaces ("iq" is "IQ")."""

    def __init__(self, *args, case=str.upper, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return self.case(super().to_python(value).strip())

    def bound_data(self, data, initial):
        # What the form shows again is the code as it matched, so the select marks "Iraq" as
        # chosen after ``?country=iq`` (it compared "iq" with the option's "IQ").
        data = super().bound_data(data, initial)
        return self.case(data.strip()) if isinstance(data, str) else data


class _Choices:
    """Choices made when iterated, so in the language active then (not at import)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):
        return iter(self.make())

    def __len__(self):
        return len(self.make())


class CountryFilter(django_filters.ChoiceFilter):
    """A country by its ISO 3166-1 alpha-2 code ("IQ", "iq"), offered as a select of the
    countries' names in the reader's language (django-countries: CLDR names, Iraq and Russia
    first, see settings.COUNTRIES_FIRST), the rest sorted by name."""

    field_class = _CodeChoiceField

    def __init__(self, *args, **kwargs):
        # Not ``countries`` itself: it is callable, and the API schema then lists no codes.
        kwargs.setdefault("choices", _Choices(lambda: list(countries)))
        kwargs.setdefault("label", _("Country"))
        super().__init__(*args, **kwargs)


def _language_choices():
    """[(ISO 639-1 code, name in the active language)], sorted by that name: the languages
    Django knows by a two-letter code, named by Django's own catalogues."""
    named = [
        (code, capfirst(get_language_info(code)["name_translated"]))
        for code, info in LANG_INFO.items()
        if len(code) == 2 and "name" in info
    ]
    return sorted(named, key=lambda choice: choice[1].casefold())


class LanguageFilter(django_filters.ChoiceFilter):
    """A language by its ISO 639-1 code ("ru", "RU"), offered as a select of the languages'
    names in the reader's language."""

    field_class = _CodeChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", _Choices(_language_choices))
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("case", str.lower)
        super().__init__(*args, **kwargs)


class RenamedParametersMixin:
    """A FilterSet whose parameters were renamed keeps answering to the old names.

    ``renamed_parameters`` maps an old name to its new one; a request that uses the old
    name (a bookmarked list page, a script written against the API) is filtered as if it
    had used the new one, so it never silently gets the unfiltered list. The new name wins
    when both are given. Only the new names are documented.
    """

    renamed_parameters = {}

    def __init__(self, data=None, *args, **kwargs):
        #: {new name: the old name this request used}, so errors name what was sent.
        self._sent_as = {}
        if data is not None and any(old in data for old in self.renamed_parameters):
            data = data.copy()
            for old, new in self.renamed_parameters.items():
                if old not in data:
                    continue
                values = data.getlist(old)
                del data[old]
                if new not in data:
                    data.setlist(new, values)
                    self._sent_as[new] = old
        super().__init__(data, *args, **kwargs)

    @property
    def errors(self):
        errors = super().errors
        if not self._sent_as:
            return errors
        return ErrorDict({self._sent_as.get(name, name): e for name, e in errors.items()})


class SinceField(IsoDateTimeField):
    """An ISO 8601 date or time, cleaned to UTC: the one way ruiraq reads "since" (the lists'
    ``updated_since``, /api/v1/changes/, /api/v1/corrections/). PostgreSQL refuses a zone
    offset beyond ±15:59, which ISO 8601 allows ("+17:56" was a 500); a time before year 1 in
    UTC is the earliest there is."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            return dt.datetime.min.replace(tzinfo=dt.UTC)


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """Records changed at or after an ISO 8601 time (``2024-05-01``, ``2024-05-01T12:00Z``).

    With /api/v1/changes/ (the records that left the public) it keeps a copy in sync: ask for
    what changed since the last visit. A time without a zone is UTC (settings.TIME_ZONE).
    """

    field_class = SinceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("label", _("Updated since"))
        kwargs.setdefault(
            "help_text",
            _("An ISO 8601 date or time: only records changed at or after it."),
        )
        super().__init__(*args, **kwargs)


class LocalOrderingFilter(django_filters.OrderingFilter):
    """The lists' ``ordering`` (site and API): its ``local`` fields ("name", "title") sort
    by the text the reader sees (ruiraq.languages.name_ordering): Russian titles on Russian
    pages, first and in Cyrillic order, Arabic on Arabic pages, English elsewhere and in the
    API; a field that may be empty (a date, a value) puts the records without one last in
    either direction, on every database (PostgreSQL puts NULLs first when descending, SQLite
    when ascending); ties broken by id so pages never swap rows."""

    def __init__(self, *args, local=(), **kwargs):
        self.local = frozenset(local)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            name = param.lstrip("-")
            if name in self.local:
                ordering += languages.name_ordering(name, descending=param.startswith("-"))
            elif param:
                ordering.append(_known_first(qs.model, self.get_ordering_value(param)))
        return qs.order_by(*ordering, "pk")


def _known_first(model, ordering):
    """``ordering`` ("-start_date"), with the rows whose field is empty last if it may be."""
    name = ordering.lstrip("-")
    if not model._meta.get_field(name).null:
        return ordering
    if ordering.startswith("-"):
        return F(name).desc(nulls_last=True)
    return F(name).asc(nulls_last=True)
