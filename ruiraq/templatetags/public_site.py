"""Template helpers of the public pages: search highlighting, absolute URLs, navigation,
the page in other languages, and names and record text in the reader's language."""

import json
import re
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import (
    get_language_bidi,
    get_language_from_path,
    get_language_info,
    pgettext,
)

from ruiraq import cite, languages, typography
from ruiraq.addresses import local_path, record_path, site_url
from ruiraq.languages import current_language
from ruiraq.search import highlight_terms

register = template.Library()


@register.filter
def highlight(text, query):
    """``text`` escaped, with each word of ``query`` wrapped in <mark>.

    ``query`` is the raw query (or a list of terms already cut by ruiraq.search). Matching is
    case-insensitive and done on the unescaped text, so "&" or "<" in a term cannot break the
    markup: every piece is escaped before it is joined.
    """
    if text is None:
        return ""
    text = str(text)
    terms = query if isinstance(query, list | tuple) else highlight_terms(query)
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return conditional_escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(conditional_escape(text[last : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    pieces.append(conditional_escape(text[last:]))
    # Every piece is escaped above; joining them adds no unescaped text.
    return mark_safe("".join(pieces))


@register.filter
def quoted(text):
    """A quote inside the page language's quotation marks, its inner quotations in the inner
    marks (ruiraq.typography.quote): ``{{ citation.quote|quoted|linebreaksbr }}``."""
    return typography.quote(str(text or ""))


@register.filter
def or_not_known(value, what):
    """``value``, or the words for a missing ``what`` ("date", "place", "status") when it is
    empty: ``{{ event.place|or_not_known:"place" }}``."""
    return value if value not in (None, "") else typography.not_known(what)


@register.filter
def text_dir(language_code):
    """ "rtl" for a right-to-left language code (ar, fa, he, ur), else "ltr"."""
    try:
        return "rtl" if get_language_info(str(language_code))["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The absolute address of ``path`` (default: the current page, without its query), on
    the configured site address (ruiraq.addresses)."""
    return site_url(path or context["request"].path)


@register.simple_tag
def route_path(route):
    """``{% url route %}`` for a route without arguments, reversed once per language
    (ruiraq.addresses.record_path) rather than on every page: the frame of every page links
    about twenty of them."""
    return record_path(route)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A main-navigation link, marked aria-current when the page is in its section."""
    url = record_path(url_name)
    path = context["request"].path
    current = path == url if url_name == "home" else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


# --- languages ------------------------------------------------------------------------------


def _in_language(url, code):
    """``url`` (a path, with or without its query string) in language ``code``.

    Django's translate_url finds the same page through the URLconf; an address it does not
    know (a 404 page) gets its language prefix swapped by hand instead.
    """
    url = local_path(url)
    translated = translate_url(url, code)
    if translated != url or code == current_language():
        return translated
    parts = urlsplit(url)
    path = parts.path
    prefix = get_language_from_path(path)
    if prefix and path.startswith(f"/{prefix}/"):
        path = path[len(prefix) + 1 :]
    if code != settings.LANGUAGE_CODE:
        path = f"/{code}{path}"
    return urlunsplit(parts._replace(path=path))


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in each language of the site (settings.LANGUAGES).

    A list of dicts: ``code``; ``name`` in that language ("Русский"); ``bidi``; ``url``, the
    same page and query string in that language (the switcher keeps filters and page);
    ``href``, its absolute address without the query (the canonical page, for hreflang);
    ``current``; ``default`` (the x-default: the unprefixed English page).
    """
    request = context.get("request")
    if request is None:
        return []
    active = current_language()
    full_path = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = _in_language(full_path, code)
        # Without a query string the two are one address: one translate_url (a resolve and
        # a reverse) less per language, on every page.
        path = url if full_path == request.path else _in_language(request.path, code)
        versions.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "href": site_url(path),
                "current": code == active,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return versions


#: Arrows that point along the reading direction, and the way back.
_ARROWS = {"forward": ("→", "←"), "back": ("←", "→")}


@register.simple_tag
def arrow(direction):
    """ "→" for "next" and "more" in a left-to-right page, "←" in a right-to-left one
    (Arabic), and the reverse for "back"; hidden from screen readers, which read the link's
    words."""
    ltr, rtl = _ARROWS[direction]
    return format_html(
        '<span class="arrow" aria-hidden="true">{}</span>', rtl if get_language_bidi() else ltr
    )


def _lang_attrs(language):
    """lang="…" dir="…" for text in ``language`` when it is not the page's language: the
    browser then isolates it (a Latin name keeps its shape inside Arabic text)."""
    if language == current_language():
        return ""
    return format_html(' lang="{}" dir="{}"', language, text_dir(language))


@register.simple_tag
def comma():
    """The comma between items of a list, in the page's language ("، " in Arabic)."""
    return pgettext("list separator", ", ")


@register.simple_tag
def local_name(record):
    """A record's name (an actor's, a topic's) as the reader's language shows it: its name in
    the page's script when one is recorded, else the English one, marked as English."""
    language = record.display_language
    if language == current_language():
        return conditional_escape(record.display_name)
    return format_html("<span{}>{}</span>", _lang_attrs(language), record.display_name)


@register.simple_tag
def local(record, field="title", paragraphs=False):
    """A record's text (``field``: "title", "summary", "place", "description") in the reader's
    language, else the English, marked ``lang="en" dir="ltr"`` (ruiraq.languages.marked):
    ``{% local event "title" %}``, ``{% local event "summary" paragraphs=True %}``. The one
    way the public pages show translated record text."""
    return languages.marked(record, field, paragraphs=paragraphs)


@register.filter
def in_language(record, field="title"):
    """The plain text of ``{% local %}``, for attributes, titles and data (no marking)."""
    return languages.display_name(record, field)


@register.simple_tag
def text_lang(record, field="title"):
    """` lang="en" dir="ltr"` for an element holding ``record|in_language:field`` when that
    falls back to English on a Russian or Arabic page, else nothing: for text that passes
    through another filter first (search highlighting)."""
    return _lang_attrs(languages.display_language(record, field))


@register.simple_tag
def actor_name(actor, link=True, beside=True):
    """An actor as the page's reader reads it (Actor.display_name): linked to its page, and,
    when it is shown in Russian or Arabic script, its English name beside it (``beside``).

    The only place a page renders an actor's name, so every page names actors alike. Needs
    Actor.NAME_FIELDS loaded (``.only()``), or each call costs a query.
    """
    name = local_name(actor)
    english = actor.name if actor.local_name else ""
    if link and english and not beside:
        # A compact list: the English name on hover instead.
        return format_html(
            '<a href="{}" title="{}">{}</a>', actor.get_absolute_url(), english, name
        )
    if link:
        name = format_html('<a href="{}">{}</a>', actor.get_absolute_url(), name)
    if english and beside:
        # The parentheses inside the English run, so a line break cannot strand them.
        name = format_html(
            '{} <span class="name-en" lang="en" dir="ltr">({})</span>', name, english
        )
    return name


@register.simple_tag
def actor_names(roles):
    """The actors of ``roles`` (an event's participants) as a card lists them: each one's
    ``actor_name`` without its English name beside it, separated by the page's comma.

    One tag for the list rather than a loop of tags in the template: the loop was almost
    half of an event card's rendering.
    """
    separator = conditional_escape(comma())
    # actor_name escapes each name; the separator is escaped above.
    return mark_safe(separator.join(actor_name(role.actor, beside=False) for role in roles))


#: As json_script escapes: no "<", ">" or "&" in the JSON, so no text can close the element.
_JSON_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """``data`` as a ``<script type="application/ld+json">`` element (schema.org).

    Escaped as Django's ``json_script`` escapes, which can only write ``type="application/json"``.
    A data block is never executed, so the site's CSP (script-src 'self') allows it.
    """
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_LD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def cite_data(context, record):
    """``{% cite_data record as cite %}``: the record's citation data (ruiraq.cite), with its
    permalink in the page's language; the downloads are ``<page>cite.bib|ris|json``."""
    permalink = site_url(record.get_absolute_url())
    return cite.for_record(record, permalink)
