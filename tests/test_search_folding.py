"""Text folding (ruiraq/search/folding.py), function by function, on literal text: what a
document is made of and what a query is matched with. No database: these run in
milliseconds, so the mutation run (make mutants) can afford them for every mutant."""

import pytest

from ruiraq.search.folding import document, fold, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # ASCII: lower-cased; control characters become a space, NUL goes.
        ("Sergey LAVROV", "sergey lavrov"),
        ("a\tb\nc", "a b c"),
        ("a\x00b", "ab"),
        ("a\x01\x02b\x7f", "a b "),
        # Latin accents dropped, letters with no decomposition spelled out.
        ("Café Müller", "cafe muller"),
        ("Łódź Øresund Đakovo", "lodz oresund dakovo"),
        ("ıstanbul ħ", "istanbul h"),
        ("Æsir Œuvre Þór", "aesir oeuvre thor"),
        ("Straße", "strasse"),
        # Cyrillic: case folded, ё → е, й kept (a letter of its own).
        ("ПОСТАВКИ Ёлка", "поставки елка"),
        ("Сергей Лавров", "сергей лавров"),
        ("ЙОД", "йод"),
        # The breve that makes и a й stays, after marks that go; any other breve goes.
        ("и\u0306 и\u0301\u0306 и\u0306\u0306", "й й й"),
        ("а\u0306 \u0306x ă й\u0306", "а x a й"),
        # Other marks go wherever they stand; controls and separators other than ASCII's
        # become a space, unassigned code points too; an emoji stays.
        ("e\u0301\u20dd\u0308 \u0085x\u2028y\U000e0080z \U0001f600", "e  x y z \U0001f600"),
        # Typographic quotes and dashes fold to ASCII.
        ("al\u2019Maliki \u2018x\u2019 \u02bcy", "al'maliki 'x' 'y"),
        ("a\u2010b\u2011c\u2012d\u2013e\u2014f", "a-b-c-d-e-f"),
        # Format characters (zero-width joiners, direction marks) vanish; spaces of every
        # kind become a plain space.
        ("Ла\u200dвров\u200f", "лавров"),
        ("a\u00a0b\u2003c", "a b c"),
        # Arabic: diacritics and tatweel dropped, alef/yeh/teh marbuta and Persian letters
        # normalised, the definite article removed, Arabic-Indic digits as ASCII.
        ("العِراق", "عراق"),
        ("ٱلعراق", "عراق"),
        ("مصطفى", "مصطفي"),
        ("الحكمة", "حكمه"),
        ("کردی", "كردي"),
        ("عـــراق", "عراق"),
        ("٢٠١٩ ۲۰۱۹", "2019 2019"),
        # The article fused with a particle, and only before a word of two letters or more.
        ("والعراق بالعراق كالعراق فالعراق للعراق", "عراق عراق عراق عراق عراق"),
        ("الي", "الي"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_of_nothing_is_empty_text():
    assert fold("") == ""
    assert fold(None) == ""


def test_fold_takes_any_value_as_its_text():
    assert fold(2019) == "2019"


def test_the_breve_is_kept_only_on_i():
    # й keeps its breve; ў (Belarusian) and ă (Romanian) lose it like any accent.
    assert fold("Й ў ă") == "й у a"
    assert fold("\u0306") == ""  # a lone breve, after nothing


def test_combining_enclosing_marks_and_surrogates_are_dropped():
    assert fold("x\u20dd y") == "x y"  # combining enclosing circle (Me)
    assert fold("é\ud800") == "e"  # a lone surrogate (Cs)


def test_beside_other_scripts_controls_and_separators_are_a_space_and_nul_goes():
    # The non-ASCII path: a tab, a line separator (no decomposition of its own) and a
    # paragraph separator become spaces; NUL is dropped, not made a space.
    assert fold("é\tb") == "e b"
    assert fold("é\u2028b\u2029c") == "e b c"
    assert fold("é\x00b") == "eb"


def test_words_are_the_folded_words():
    assert words("Sergey LAVROV, al-Maliki's T-90") == [
        "sergey",
        "lavrov",
        "al",
        "maliki",
        "s",
        "t",
        "90",
    ]
    assert words("") == []


def test_a_document_is_one_line_per_part_each_word_between_spaces():
    assert document(["Sergey Lavrov", "", "  ", "Сергей Лавров"]) == (
        " sergey lavrov \n сергей лавров "
    )
    assert document([]) == ""


def test_joined_words_are_also_given_joined_once():
    assert document(["Nouri al-Maliki met al-Maliki"]) == (
        " nouri al maliki met al maliki almaliki "
    )
    assert document(["T-90 and O'Neil and U.S.A."]) == " t 90 and o neil and u s a oneil t90 usa "


def test_a_single_word_has_no_joined_form():
    assert document(["Kirkuk"]) == " kirkuk "


def test_folding_rare_characters_does_not_grow_memory_without_bound():
    """fold() remembers what it keeps of each character it has seen, up to a bound: a
    stream of queries in rare code points must not grow a worker's memory for ever. Past the
    bound, characters still fold as before."""
    from ruiraq.search import folding

    for start in range(0x4E00, 0x4E00 + 3 * folding._KEPT_MAX, 500):
        fold("".join(chr(cp) for cp in range(start, start + 500)))
    assert len(folding._KEPT) <= folding._KEPT_MAX
    past = chr(0x4E00 + 3 * folding._KEPT_MAX - 1)
    assert fold(f"И\u0306{past}\u0301\u200d\u2028Ё") == f"й{past} е"
