"""
How the public pages write two things in each language: quotation marks, and the words for
what is not known.

Quotation marks. A quote is shown inside the marks of the page's language, and a quotation
inside the quote takes that language's inner marks:

- English: “… ‘…’ …”
- Russian: «… „…“ …»
- Arabic: «… ”…“ …» (the inner pair as the Unicode CLDR writes Arabic quotation marks;
  « and » are mirrored in a right-to-left line, so the outer pair points the right way).

A source's words are kept as the source wrote them: only the characters that open and close
a quotation inside the quote are replaced, and only when they pair up. A quote whose inner
marks do not pair (a quotation the editor cut in the middle) keeps its own characters, as
does an apostrophe ("Iraq’s", "don't"). An editor who pasted a quote with its own outer marks
does not get them twice: a pair around the whole text is taken off first.

Not known. A record without a date, a place or a status is shown with the same words in
every list, card, search result and page, and in the API's ``display``: ``NOT_KNOWN``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: The words for a missing date, place or status, everywhere they are shown.
NOT_KNOWN = {
    "date": _("Date not known"),
    "place": _("Place not known"),
    "status": _("Status not known"),
}


def not_known(what, language=None):
    """The words shown for a missing ``what`` ("date", "place" or "status"), in ``language``
    (default: the active one)."""
    if language is None:
        return str(NOT_KNOWN[what])
    with translation.override(language):
        return str(NOT_KNOWN[what])


#: (outer open, outer close, inner open, inner close) for each language of the site.
MARKS = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),  # “ ” ‘ ’
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),  # « » „ “
    "ar": ("\u00ab", "\u00bb", "\u201d", "\u201c"),  # « » ” “
}

# What each opening mark may be closed by, as sources in the three languages write them.
_CLOSERS = {
    "\u201c": "\u201d",  # “…”  English
    "\u00ab": "\u00bb",  # «…»  Russian, French, Arabic
    "\u201e": "\u201c\u201d",  # „…“ Russian and German inner marks; „…” in Polish
    "\u2018": "\u2019",  # ‘…’  English inner marks
    "\u201a": "\u2018\u2019",  # ‚…‘ German inner marks
    "\u2039": "\u203a",  # ‹…›  French inner marks
    '"': '"',  # "…"  typed on a keyboard
}
_CURLY_SINGLE_OPENERS = "\u2018\u201a"


def _marks(language):
    code = (language or get_language() or "en").split("-")[0].lower()
    return MARKS.get(code, MARKS["en"])


def _opens_here(text, i):
    """Whether the mark at ``i`` may open a quotation: single and straight marks only at the
    start of a word (after a space, a bracket or another mark), where no apostrophe stands."""
    mark = text[i]
    if mark not in _CURLY_SINGLE_OPENERS and mark != '"':
        return True
    before = text[i - 1] if i else " "
    return not before.isalnum()


def _closes_here(text, i, opener):
    """Whether the mark at ``i`` closes ``opener``: a closing single mark followed by a letter
    is an apostrophe inside a word (‘the people’s choice’)."""
    if text[i] not in _CLOSERS[opener]:
        return False
    if opener in _CURLY_SINGLE_OPENERS or opener == '"':
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalnum()
    return True


def _pairs(text):
    """[(open index, close index, depth)] of the quotation marks in ``text`` that pair up,
    or None when some do not (the text is then left as it is)."""
    stack, pairs = [], []
    for i, char in enumerate(text):
        if stack and _closes_here(text, i, text[stack[-1]]):
            start = stack.pop()
            pairs.append((start, i, len(stack)))
        elif char in _CLOSERS and _opens_here(text, i):
            stack.append(i)
        elif char in "\u201d\u00bb\u203a" and not stack:
            return None  # a closing mark with nothing open: not a quotation we understand
    return None if stack else pairs


def quote(text, language=None):
    """``text`` inside the quotation marks of ``language`` (default: the active one), its
    inner quotations in the inner marks, alternating at each level (see the module)."""
    outer_open, outer_close, inner_open, inner_close = _marks(language)
    text = (text or "").strip()
    pairs = _pairs(text)
    if pairs is None:
        return f"{outer_open}{text}{outer_close}"
    whole = next((p for p in pairs if p[0] == 0 and p[1] == len(text) - 1), None)
    if whole is not None:
        # The editor pasted the quote in its marks: the page's own take their place.
        pairs = [(start - 1, end - 1, depth - 1) for start, end, depth in pairs if depth]
        text = text[1:-1]
    chars = list(text)
    for start, end, depth in pairs:
        inner = depth % 2 == 0
        chars[start] = inner_open if inner else outer_open
        chars[end] = inner_close if inner else outer_close
    return f"{outer_open}{''.join(chars)}{outer_close}"
