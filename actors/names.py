"""
Folding names so that spellings of one name compare equal: "Sergei Lavrov", "Sergey Lavrov",
"LAVROV, Sergei" and "Сергей Лавров" all fold to the same key.

The key is for finding likely duplicates, where a false alarm costs an editor one click and a
miss costs a duplicate record, so it folds generously: case, accents, Cyrillic to Latin, the
usual variants of transliterating Russian and Arabic names into English (i/y, ks/x, kh/h,
ou/u, ei/ai/ey), doubled letters, the Arabic article "al-", and word order.
"""

import re
import unicodedata

# Russian to Latin, close to the BGN/PCGN spellings English sources use.
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g",
    }
)  # fmt: skip

# Arabic letters that spelling varies between: hamza carriers on alif, taa marbuta, alif maqsura.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})

# Applied in order, after lower-casing and transliteration.
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


def fold(name):
    """The comparison key of ``name`` ("" for a name with no letters)."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.translate(_CYRILLIC).translate(_ARABIC)
    for variant, common in _VARIANTS:
        text = text.replace(variant, common)
    words = [_DOUBLED.sub(r"\1", word) for word in _NOT_A_LETTER.split(text) if word]
    words = [word for word in words if word not in _ARTICLES]
    return " ".join(sorted(words))
