"""
Finding a citation's quote in its source's full text.

A quote must stand verbatim in the text it comes from. "Verbatim" forgives what copying
changes without changing the words: runs of whitespace and line breaks, no-break and thin
spaces, and typographic quotation marks (“ ” „ « » and ‘ ’ ‚ become " and '), which editors'
keyboards and the pages they copy from disagree on. Letters, case and punctuation otherwise
count.

A paragraph is a non-empty line of the text, as a pasted web page or a plain-text capture
has them; ``find_quote`` returns the number of the paragraph where the quote starts.
"""

import re

_PLAIN = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
    }
)
_SPACE = re.compile(r"\s+")


def comparable(text):
    """``text`` as quotes are compared: plain quotation marks, single spaces, no ends."""
    return _SPACE.sub(" ", (text or "").translate(_PLAIN)).strip()


def find_quote(quote, text):
    """The number (from 1) of the paragraph of ``text`` where ``quote`` starts, or None when
    it does not stand in ``text`` (nor when either is empty)."""
    needle = comparable(quote)
    if not needle or not text:
        return None
    paragraphs = [comparable(line) for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    position = " ".join(paragraphs).find(needle)
    if position < 0:
        return None
    start = 0
    for number, paragraph in enumerate(paragraphs, 1):
        start += len(paragraph) + 1
        if position < start:
            return number
    return len(paragraphs)  # unreachable: a match starts inside some paragraph


def paragraph_locator(number):
    """The locator a found quote gets when the editor gave none: "para. 4"."""
    return f"para. {number}"
