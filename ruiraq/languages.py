"""
Names in the reader's script: which field holds a record's name in the active language, and
how names sort in it. The one place the site decides this, for actors and topics alike; and
how amounts are grouped in each language.

A record keeps its canonical English name in ``<base>`` (``name``) and its spellings in
Russian and Arabic script in ``<base>_ru`` and ``<base>_ar``, empty when none is recorded. On
a Russian page a record is shown by its Russian name when it has one, else by the English
one; on an Arabic page likewise with the Arabic name; on an English page always in English.

Sorting follows the same rule. In the reader's language, records named in its script come
first, in that script's order, then the others by English name, as an index in a Russian or
Arabic book lists Latin entries after its own alphabet.
"""

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import get_language

#: Languages whose names a record may hold beside the English one, by field suffix.
LOCAL_SCRIPTS = ("ru", "ar")


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


def format_amount(amount):
    """A Decimal amount as the active language writes numbers: "1,500,000.50" in English and
    Arabic (Western digits, as ruiraq.dates writes Arabic dates), "1 500 000,50" in Russian
    (no-break spaces). Whole amounts without decimals."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if current_language() == "ru":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text
