"""The Russian and Arabic catalogues (locale/<lang>/LC_MESSAGES/django.po and .mo).

Both files are committed, so a fresh clone needs no gettext: these tests make sure what is
committed is complete, compiled from the current .po, and up to date with the code.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ru", "ar"]
#: gettext's plural rules: Russian has three forms (1, 2–4, 5–20), Arabic six.
PLURALS = {"ru": 3, "ar": 6}
#: The API stays in English (it is not under the language prefixes): its modules are left
#: out of the catalogues, as `make messages` (MESSAGES_IGNORE in the Makefile) leaves them.
API_MODULES = ["api.py", "api_urls.py", "rest", "serializers.py"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _po(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _mo(language):
    return polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(language):
    po = _po(language)
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert f"nplurals={PLURALS[language]};" in po.metadata["Plural-Forms"]
    problems = []
    for entry in po:
        if entry.obsolete:
            problems.append(f"obsolete: {entry.msgid!r}")
        elif "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural and len(entry.msgstr_plural) != PLURALS[language]:
            problems.append(f"{len(entry.msgstr_plural)} plural forms: {entry.msgid!r}")
        elif not all(text.strip() for text in _translations(entry)):
            problems.append(f"empty: {entry.msgid!r}")
    assert problems == []
    assert len(po) > 400  # the site, the admin and the filters: not an empty file


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_markup_of_the_english(language):
    """A translation may drop the number in a plural form ("حدث واحد"), never add a
    placeholder the code does not fill, and keeps every HTML tag."""
    problems = []
    for entry in _po(language):
        wanted = set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        tags = sorted(re.findall(r"</?\w+", entry.msgid))
        for text in _translations(entry):
            if not set(_PLACEHOLDER.findall(text)) <= wanted:
                problems.append(f"placeholders: {entry.msgid!r} → {text!r}")
            if sorted(re.findall(r"</?\w+", text)) != tags:
                problems.append(f"markup: {entry.msgid!r} → {text!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(language):
    """The committed .mo holds exactly the .po's translations (compared by content, not by
    file times): run `make messages` after editing a .po."""
    po = {_key(e): _translations(e) for e in _po(language) if not e.obsolete}
    mo = {_key(e): _translations(e) for e in _mo(language)}
    mo.pop(("", "", ""), None)  # the header
    assert mo == po


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("ru", "Timeline", "Хронология"),
        ("ar", "Timeline", "التسلسل الزمني"),
        ("ru", "draft", "черновик"),
        ("ar", "in review", "قيد المراجعة"),
    ],
)
def test_django_reads_the_committed_catalogues(language, msgid, expected):
    with translation.override(language):
        assert translation.gettext(msgid) == expected


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("ru", {1: "1 событие", 3: "3 события", 5: "5 событий", 21: "21 событие"}),
        ("ar", {0: "لا أحداث", 1: "حدث واحد", 2: "حدثان", 3: "3 أحداث", 11: "11 حدثًا"}),
    ],
)
def test_plural_forms_follow_each_languages_rules(language, counts):
    with translation.override(language):
        for n, expected in counts.items():
            text = translation.ngettext("%(counter)s event", "%(counter)s events", n)
            assert text % {"counter": n} == expected


@pytest.mark.requires("xgettext")
def test_catalogues_hold_every_string_the_code_marks_for_translation(
    tmp_path, settings, monkeypatch
):
    """makemessages, run over a copy of the code into an empty folder, finds no string the
    committed catalogues lack (and none they hold that the code no longer uses)."""
    # A copy: makemessages writes into any locale/ folder beside the code it reads.
    for folder in ("actors", "articles", "ruiraq", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / folder, tmp_path / "code" / folder)
    monkeypatch.chdir(tmp_path / "code")
    settings.LOCALE_PATHS = [tmp_path / "code" / "found"]
    call_command(
        "makemessages",
        locale=["ru"],
        add_location="file",
        ignore_patterns=API_MODULES,
        verbosity=0,
    )
    found_po = tmp_path / "code" / "found" / "ru" / "LC_MESSAGES" / "django.po"
    found = {_key(e) for e in polib.pofile(str(found_po))}
    for language in LANGUAGES:
        committed = {_key(e) for e in _po(language) if not e.obsolete}
        assert sorted(found - committed) == [], f"missing from the {language} catalogue"
        assert sorted(committed - found) == [], f"no longer used, in the {language} catalogue"
