"""Template helpers of the public pages: search highlighting, absolute URLs, navigation."""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

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
def text_dir(language_code):
    """ "rtl" for a right-to-left language code (ar, fa, he, ur), else "ltr"."""
    try:
        return "rtl" if get_language_info(str(language_code))["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The absolute address of ``path`` (default: the current page, without its query)."""
    request = context["request"]
    return request.build_absolute_uri(path or request.path)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A main-navigation link, marked aria-current when the page is in its section."""
    url = reverse(url_name)
    path = context["request"].path
    current = path == url if url_name == "home" else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
