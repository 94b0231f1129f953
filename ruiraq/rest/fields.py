"""
Serializer fields the API's serializers share: fuzzy dates and spans (ruiraq.dates), record
text in the language asked for (ruiraq.languages), and links to a record in the API and on
the site, built without a reverse() per row.
"""

import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruiraq import cite, languages
from ruiraq.dates import Precision

# --- record text in the language asked for ----------------------------------------------------


def record_language(context):
    """The language the client asked record text in (``?lang=`` or Accept-Language, read by
    ruiraq.rest.mixins.RecordLanguageMixin); English when the serializer has no request."""
    request = context.get("request")
    return getattr(request, "record_language", None) or languages.ENGLISH


@extend_schema_field(
    {
        "type": "string",
        "description": "In the language asked for (lang), else English: see languages.",
    }
)
class TranslatedTextField(serializers.Field):
    """A translated text (the field's name: "title", "summary", "place", "description") in
    the language the client asked for, else the English (ruiraq.languages.display_name)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, record):
        return languages.display_name(record, self.field_name, record_language(self.context))


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "enum": ["en", "ru", "ar"]},
        "description": (
            "The language each translated text of this record is given in: the one asked "
            'for, or "en" where no translation is recorded. {"title": "ru", "summary": "en"}.'
        ),
        "example": {"title": "ru", "summary": "en"},
    }
)
class TextLanguagesField(serializers.Field):
    """``{"title": "ru", "summary": "en"}``: the language each TranslatedTextField of the same
    serializer is given in (empty texts are in the language asked for)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, record):
        asked = record_language(self.context)
        names = self.__dict__.get("_translated")
        if names is None:
            # The serializer's fields are fixed once bound: found once, not on every row.
            names = self._translated = [
                name
                for name, field in self.parent.fields.items()
                if isinstance(field, TranslatedTextField)
            ]
        return {
            name: languages.display_language(record, name, asked)
            if getattr(record, name, "")
            else asked
            for name in names
        }


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
class FuzzyDateSerializerField(serializers.Field):
    """A ``FuzzyDate`` as ``{"date", "precision", "display"}``; ``None`` stays null."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.as_dict()


@extend_schema_field(_FuzzySpanSchema)
class FuzzySpanSerializerField(serializers.Field):
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


# --- citing a record --------------------------------------------------------------------------


class _CiteSchema(serializers.Serializer):
    """How the schema describes a record's ``cite`` (ruiraq.cite.CiteData.as_dict)."""

    title = serializers.CharField()
    publisher = serializers.CharField()
    published = serializers.DateField(help_text=_("The day the record was first published."))
    updated = serializers.DateField(help_text=_("The day the record last changed."))
    accessed = serializers.DateField(help_text=_("Today: the day the citation was made."))
    url = serializers.URLField(help_text=_("The record's permalink: its public page."))
    language = serializers.CharField()
    apa = serializers.CharField(help_text=_("APA (7th edition), as plain text."))
    chicago = serializers.CharField(help_text=_("Chicago (17th edition), as plain text."))
    bibtex = serializers.CharField(help_text=_("A BibTeX entry."))
    ris = serializers.CharField(help_text=_("A RIS record."))
    csl = serializers.DictField(help_text=_("A CSL-JSON item."))

    class Meta:
        ref_name = "Cite"


@extend_schema_field(_CiteSchema)
class CiteField(serializers.Field):
    """How to cite the record (ruiraq.cite): the same data and forms as the "cite this
    record" box of its page and its downloads; reads only the record's own row."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", _("How to cite this record, in several forms."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context["request"]
        return cite.for_record(
            value, request.build_absolute_uri(value.get_absolute_url())
        ).as_dict()


# --- countries --------------------------------------------------------------------------------


class CountryCodeField(serializers.CharField):
    """A record's country as stored: its ISO 3166-1 alpha-2 code ("IQ"), "" if none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _('ISO 3166-1 alpha-2 code ("IQ", "RU"); "" if none.'))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


class CountryNameField(serializers.CharField):
    """The country's name beside its code, in the response's language (django-countries'
    CLDR-based names): "Iraq", "Ирак", "العراق"; "" if none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "country")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _('The country\'s name; "" if none.'))
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return ""
        # django-countries looks the name up in the translation catalogue on every call
        # (0.45 ms each, a fifth of a 50-row list): once per country per response, since a
        # field lives for one response, in one language.
        names = self.__dict__.setdefault("_names", {})
        code = value.code
        if code not in names:
            names[code] = str(value.name)
        return names[code]
