"""
Text folding: what documents are made of and queries are matched with, in every script.

The same ``fold`` folds documents and queries, so whatever it does, both sides agree. (Name
keys for duplicate detection are a different, more generous folding: ``name_key`` in
actors/names.py, built on this one.)
"""

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        # Arabic: alef wasla, alef maksura, teh marbuta, Persian yeh and keheh, tatweel.
        "\u0671": "\u0627",
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u06cc": "\u064a",
        "\u06a9": "\u0643",
        "\u0640": None,
        # Latin letters with no decomposition.
        "ı": "i",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        # Typographic quotes and dashes fold to their ASCII forms.
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        # Arabic-Indic and extended Arabic-Indic digits.
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# The Arabic definite article and the particles fused with it ("wa-al", "bi-al", "ka-al",
# "fa-al", "li-l"): "العراق" and "عراق" are the same word to a reader.
_ARABIC_ARTICLE = re.compile(r"\b(?:وال|بال|كال|فال|لل|ال)(?=[\u0621-\u064a]{2,})")
_BREVE = "\u0306"


class _Kept(dict):
    """What ``fold`` keeps of each character of a decomposed text, as ``str.translate``
    takes it: combining marks dropped (the breve for now: ``fold`` keeps the one that makes
    и a й), format and surrogate characters and NUL dropped, other controls and separators a
    space, the rest itself. Filled as characters are first seen: one category lookup per
    character ever folded, not per character folded (a loop over the characters made folding
    most of what saving an actor named in 20,000 events cost). At most _KEPT_MAX characters
    are remembered: text uses a few hundred, and queries of rare code points must not grow
    a worker's memory without bound."""

    def __missing__(self, code):
        ch = chr(code)
        category = unicodedata.category(ch)
        if ch == _BREVE:
            kept = ch
        elif category in ("Mn", "Cf", "Cs", "Me") or ch == "\x00":
            kept = None
        elif category[0] in "CZ":
            kept = " "
        else:
            kept = ch
        if len(self) < _KEPT_MAX:
            self[code] = kept
        return kept


_KEPT_MAX = 10_000
_KEPT = _Kept()
# A breve stays where it follows и (what was kept before it): й is a letter of its own.
_STRAY_BREVE = re.compile(f"(?<!и){_BREVE}")


def fold(text):
    """``text`` lower-cased and stripped of what readers do not type, in any script.

    Case folded; accents and other combining marks dropped (é→e, ё→е; й is kept, it is a
    letter of its own); Arabic diacritics, tatweel and hamza carriers dropped, alef, yeh and
    teh marbuta normalised, the definite article removed; control and format characters
    (NUL, zero-width joiners, direction marks) removed. The same function folds documents and
    queries, so whatever it does, both sides agree.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii():
        return _ASCII_CONTROL.sub(" ", text.replace("\x00", "")).lower()
    kept = unicodedata.normalize("NFKD", text.casefold()).translate(_KEPT)
    if _BREVE in kept:
        kept = _STRAY_BREVE.sub("", kept)
    text = unicodedata.normalize("NFC", kept).translate(_TRANSLATE)
    return _ARABIC_ARTICLE.sub("", text)


_WORD = re.compile(r"\w+")
_JOINED_WORD = re.compile(r"\w+(?:[-'.]\w+)+")


def words(text):
    """The folded words of ``text``: what documents are made of and queries match."""
    return _WORD.findall(fold(text))


def document(parts):
    """The search document of ``parts`` (strings; empty ones skipped): one line per part,
    each its folded words between single spaces (so " word" marks the start of a word
    anywhere in the document, and " word " the whole word).

    Words written with hyphens, apostrophes or dots are also given joined ("al-maliki" →
    "al maliki almaliki", "T-90" → "t 90 t90"), so readers find them however they type them.
    """
    lines = []
    for part in parts:
        folded = fold(part)
        tokens = _WORD.findall(folded)
        if not tokens:
            continue
        tokens += sorted({re.sub(r"[-'.]", "", m.group()) for m in _JOINED_WORD.finditer(folded)})
        lines.append(" " + " ".join(tokens) + " ")
    return "\n".join(lines)
