"""
Name keys: spellings of one name share a key. "Sergei Lavrov", "Sergey Lavrov",
"LAVROV, Sergei" and "Сергей Лавров" all have the key "lavrov sergi".

The key is for finding likely duplicates, where a false alarm costs an editor one click and a
miss costs a duplicate record, so it is more generous than search's folding, and built on it:
``ruiraq.search.folding.fold`` (case, accents, Arabic letter variants and article, the same
for documents and queries), then Cyrillic to Latin, the usual variants of transliterating
Russian and Arabic names into English (i/y, ks/x, kh/h, ou/u, ei/ai/ey), doubled letters,
the Latin article "al-", and word order.
"""

import re

from ruiraq.search.folding import fold

# Russian to Latin, close to the BGN/PCGN spellings English sources use; the marks of
# scholarly Arabic transliteration dropped.
_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g",
        # The half rings for ʿayn and hamza: "ʿAlī" is "Ali".
        "ʿ": "", "ʾ": "",
    }
)  # fmt: skip

# Applied in order, after folding and transliteration.
_VARIANTS = (
    ("dzh", "j"),
    ("kh", "h"),
    ("ks", "x"),
    ("ph", "f"),
    ("ou", "u"),
    ("y", "i"),
    ("ai", "i"),
    ("ei", "i"),
)

_ARTICLES = {"al", "el"}
_DOUBLED = re.compile(r"(.)\1+")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def name_key(name):
    """The duplicate-detection key of ``name`` ("" for a name with no letters)."""
    text = fold(name).translate(_TO_LATIN)
    for variant, common in _VARIANTS:
        text = text.replace(variant, common)
    words = [_DOUBLED.sub(r"\1", word) for word in _NOT_A_LETTER.split(text) if word]
    words = [word for word in words if word not in _ARTICLES]
    return " ".join(sorted(words))
