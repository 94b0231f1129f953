"""
Record text in the reader's language, and names in the reader's script: which field holds a
record's name or text in the active language, and how names sort in it. The one place the
site decides this, for actors, topics, events, agreements and sources alike; and how amounts
are grouped in each language.

A record keeps its canonical English name in ``<base>`` (``name``) and its spellings in
Russian and Arabic script in ``<base>_ru`` and ``<base>_ar``, empty when none is recorded. On
a Russian page a record is shown by its Russian name when it has one, else by the English
one; on an Arabic page likewise with the Arabic name; on an English page always in English.

Record text follows the same rule: a title, summary, place or description keeps its English
text in ``<base>`` and its Russian and Arabic translations in ``<base>_ru`` and ``<base>_ar``
(plain columns: no joins, and querysets, filters, search documents, history and imports read
them like any other field). A page shows the reader's language and falls back to the English,
marked ``lang="en"`` (``marked()``), so a screen reader switches voice and an Arabic page
isolates the Latin run.

Sorting follows the same rule. In the reader's language, records named in its script come
first, in that script's order, then the others by English name, as an index in a Russian or
Arabic book lists Latin entries after its own alphabet.
"""

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

#: The language of a record's canonical text, kept in the unsuffixed column.
ENGLISH = "en"
#: Languages whose names a record may hold beside the English one, by field suffix.
LOCAL_SCRIPTS = ("ru", "ar")
#: Every language record text may be asked for in (the API's ``lang``).
RECORD_LANGUAGES = (ENGLISH, *LOCAL_SCRIPTS)


def current_language():
    """The active language's code without region ("ru" for "ru-ru")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def local_field(base="name", language=None):
    """The field holding the name in ``language``'s script ("name_ru"), None for English."""
    language = language or current_language()
    return f"{base}_{language}" if language in LOCAL_SCRIPTS else None


def name_fields(base="name"):
    """Every field a page may show the name from, for ``.only()``: ("name", "name_ru", …)."""
    return (base, *(f"{base}_{code}" for code in LOCAL_SCRIPTS))


def local_name(record, base="name", language=None):
    """The record's name in the script of ``language`` (default: the active one); "" when
    none is recorded or the language is English."""
    field = local_field(base, language)
    return (getattr(record, field, "") or "") if field else ""


def display_name(record, base="name", language=None):
    """The name a reader of ``language`` sees: the local one, else the English one."""
    return local_name(record, base, language) or getattr(record, base)


def display_language(record, base="name", language=None):
    """The language of display_name(): the reader's when a local name exists, else "en"."""
    language = language or current_language()
    return language if local_name(record, base, language) else "en"


def name_ordering(base="name", prefix="", descending=False, language=None):
    """order_by() terms sorting by the name readers of ``language`` see (see the module).

    ``prefix`` reaches the name through a relation ("actor__"). English: by the English name.
    """
    english = F(f"{prefix}{base}")
    field = local_field(base, language)
    if field is None:
        return [english.desc() if descending else english.asc()]
    local = F(f"{prefix}{field}")
    # 0 for a record named in the reader's script, 1 for one known only in English.
    unnamed = Case(
        When(Q(**{f"{prefix}{field}": ""}), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if descending:
        return [unnamed.asc(), local.desc(), english.desc()]
    return [unnamed.asc(), local.asc(), english.asc()]


#: What an editor reads under a translated field in the admin.
TRANSLATION_HELP = {
    "ru": _("Shown on the Russian pages; the English when empty."),
    "ar": _("Shown on the Arabic pages; the English when empty."),
}


def translated(field_class, verbose_name, language, **kwargs):
    """The ``language`` copy of a translated field: blank-able, with the editors' help text.
    Declared beside the English field: ``title_ru = translated(models.CharField, _("title in
    Russian"), "ru", max_length=300)``."""
    return field_class(verbose_name, blank=True, help_text=TRANSLATION_HELP[language], **kwargs)


def text_fields(*bases):
    """Every column a page may show ``bases`` from, for ``.only()``: ("title", "title_ru", …)."""
    return tuple(field for base in bases for field in name_fields(base))


def marked(record, base, language=None, paragraphs=False):
    """HTML: the record's ``base`` text as the reader of ``language`` sees it (display_name),
    wrapped in ``<span lang="en" dir="ltr">`` when it falls back to a language other than the
    page's. ``paragraphs`` (a summary, a description) makes it one ``<p>`` with its line
    breaks kept, ``dir="auto"`` when in the page's language. The one place the public pages
    render translated record text (the template tag ``local``)."""
    language = language or current_language()
    text = display_name(record, base, language) or ""
    shown = display_language(record, base, language) if text else language
    if paragraphs:
        body = linebreaksbr(text, autoescape=True)
        if shown == language:
            return format_html('<p dir="auto">{}</p>', body)
        return format_html('<p lang="{}" dir="{}">{}</p>', shown, _direction(shown), body)
    if shown == language:
        return conditional_escape(text)
    return format_html('<span lang="{}" dir="{}">{}</span>', shown, _direction(shown), text)


def _direction(language):
    return "rtl" if get_language_info(language)["bidi"] else "ltr"


def format_amount(amount):
    """A Decimal amount as the active language writes numbers: "1,500,000.50" in English and
    Arabic (Western digits, as ruiraq.dates writes Arabic dates), "1 500 000,50" in Russian
    (no-break spaces). Whole amounts without decimals."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if current_language() == "ru":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text
