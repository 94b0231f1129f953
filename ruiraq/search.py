"""
Search: the one door every public path (list filters, /search/, the API) goes through.

How it works
------------
Each searchable model (actors, events, agreements, sources) stores a *search document*: two
text columns of folded text (see ``fold``), ``search_title`` (names, titles: what a reader
types) and ``search_text`` (descriptions, summaries, citation quotes). ``save()`` derives them
from the record's own fields and the related rows it shows (aliases, quotes); the related
models' ``save()``/``delete()`` call ``refresh_search_documents`` so they are always current.

- On PostgreSQL a migration adds a stored, generated ``search_vector`` column over those two
  columns (weights A and B, text search configuration ``ruiraq``: English stems for Latin
  words, Russian stems for other scripts) with a GIN index. The tsquery is assembled from the
  folded words of the query only (letters and digits: nothing a reader types reaches
  ``to_tsquery`` raw) and results are ranked with ``ts_rank`` over a bounded candidate set.
  Actor names and aliases also match by trigram similarity (``pg_trgm``, GIN indexes on
  ``UPPER(name)``), so misspellings and transliterations find the actor.
- On SQLite (and any other database) every folded word of the query must start a word of the
  folded document: folding in Python makes matching case- and accent-insensitive in every
  script, which SQLite's ``LIKE`` is not (it folds ASCII only).

Both return the same thing: querysets of public records, annotated with ``search_rank``.
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import migrations, models
from django.db.models import Case, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import Col, Expression
from django.db.models.functions import Coalesce, Greatest, Upper
from django.utils.translation import gettext_lazy as _

#: Longer queries are cut here: nobody types more, and it bounds the work of one search.
MAX_QUERY_LENGTH = 200
#: At most this many words or quoted phrases of a query are used.
MAX_TERMS = 10
#: Trigram matching on names is tried for short, name-like queries only.
MAX_NAME_QUERY_LENGTH = 80
MAX_NAME_QUERY_WORDS = 4
#: search() ranks at most this many matches per kind. Below it the ranking is exact; a very
#: broad query ("Iraq") gets the best of an arbitrary bounded set, so its cost stays flat as
#: the database grows (ranking 60,000 matches costs ~90 ms, see ../shared/FACTS.md).
SEARCH_CANDIDATES = 500

#: The text search configuration the search_vector column and the queries use (made by the
#: actors app's search migration).
TEXT_SEARCH_CONFIG = "ruiraq"


# --- folding --------------------------------------------------------------------------------

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
    kept = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        category = unicodedata.category(ch)
        if category == "Mn":
            if ch == _BREVE and kept and kept[-1] == "и":
                kept.append(ch)  # й
            continue
        if category in ("Cf", "Cs", "Me") or ch == "\x00":
            continue
        kept.append(" " if category[0] in "CZ" else ch)
    text = unicodedata.normalize("NFC", "".join(kept)).translate(_TRANSLATE)
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


# --- the stored document ----------------------------------------------------------------------


class SearchDocumentModel(models.Model):
    """Abstract base of a searchable model: its stored, folded search document.

    A subclass says what goes in through ``_search_parts(related)`` (its own fields, plus the
    texts of related rows) and, if it uses related rows, ``_search_related(pks)``. The
    related models keep it current by calling ``refresh_search_documents`` when they change.
    """

    search_title = models.TextField(
        _("search title"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded names or title, matched by search."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded descriptive text and quotes, matched by search."),
    )

    #: What the document is made of, for history's ``excluded_fields``: derived, not edited.
    SEARCH_FIELDS = ["search_title", "search_text"]

    class Meta:
        abstract = True

    def _search_parts(self, related):
        """``(title parts, text parts)`` of this record; ``related`` from _search_related."""
        raise NotImplementedError

    @classmethod
    def _search_related(cls, pks):
        """``{pk: [text, …]}``: texts of related rows that belong in the documents of ``pks``."""
        return {}

    def set_search_document(self, related=()):
        """Derive the document from this row's fields and ``related`` texts (no query)."""
        title, text = self._search_parts(list(related))
        self.search_title = document(title)
        self.search_text = document(text)

    def save(self, *args, **kwargs):
        """Derives the search document first; for a saved record that queries its related rows."""
        related = self._search_related([self.pk]).get(self.pk, ()) if self.pk else ()
        self.set_search_document(related)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SEARCH_FIELDS}
        return super().save(*args, **kwargs)

    @classmethod
    def refresh_search_documents(cls, pks):
        """Rebuild the documents of records ``pks`` after their related rows changed.

        Two queries, plus one UPDATE for the documents that differ; history is not touched.
        Returns how many documents changed.
        """
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return 0
        related = cls._search_related(pks)
        changed = []
        for obj in cls._default_manager.filter(pk__in=pks):
            before = (obj.search_title, obj.search_text)
            obj.set_search_document(related.get(obj.pk, ()))
            if (obj.search_title, obj.search_text) != before:
                changed.append(obj)
        if changed:
            cls._default_manager.bulk_update(changed, cls.SEARCH_FIELDS, batch_size=500)
        return len(changed)


def group_pairs(pairs):
    """``[(key, value), …]`` → ``{key: [value, …]}`` (the shape _search_related returns)."""
    grouped = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _is_postgresql(queryset):
    from django.db import connections

    return connections[queryset.db].vendor == "postgresql"


class _StoredVector(Expression):
    """The PostgreSQL-only ``search_vector`` column of the queried model.

    The column is added by a migration, not declared on the model, so that ordinary queries
    never fetch it and SQLite never has it. This resolves to a plain column reference on the
    query's base table (relabelled like any column when the query becomes a subquery).
    """

    output_field = SearchVectorField()

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        target = SearchVectorField()
        target.set_attributes_from_name("search_vector")
        target.model = query.model
        return Col(query.get_initial_alias(), target)


# --- migrations -------------------------------------------------------------------------------


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing elsewhere (SQLite has no GIN, no
    pg_trgm, no text search configurations)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def vector_column_sql(table):
    """SQL adding the generated, GIN-indexed ``search_vector`` column to ``table`` (and back)."""
    forward = f"""
        ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, search_title), 'A')
            || setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, search_text), 'B')
        ) STORED;
        CREATE INDEX {table}_search_idx ON {table} USING gin (search_vector);
    """
    backward = f"ALTER TABLE {table} DROP COLUMN search_vector;"
    return forward, backward


def trigram_index_sql(table, column):
    """A trigram GIN index on ``UPPER(column)``: serves trigram matching on names (``%``) and
    Django's ``icontains`` (``UPPER(col) LIKE UPPER(…)``), e.g. the admin's search box."""
    name = f"{table}_{column}_trgm_idx"
    return (
        f"CREATE INDEX {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops);",
        f"DROP INDEX IF EXISTS {name};",
    )


# --- queries ----------------------------------------------------------------------------------

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')
_QUOTE_MARKS = "\"'`«»“”„‘’‹›"
_EDGE_PUNCTUATION = "\"'`«»“”„‘’‹›()[]{}<>.,;:!?&|*^~+=\\/@#$%"


def clean_query(query):
    """The query as text we can work with: NUL and invisible format characters removed,
    other control characters as spaces, whitespace normalised, length bounded."""
    if not query:
        return ""
    kept = []
    for ch in str(query)[: MAX_QUERY_LENGTH * 5]:
        category = unicodedata.category(ch)
        if ch == "\x00" or category in ("Cf", "Cs"):
            continue
        kept.append(ch if ch.isprintable() else " ")
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH]


def terms(query):
    """The words and quoted phrases of ``query``, as typed (not folded), at most MAX_TERMS.

    Operators and punctuation at the edges of words are dropped; a term with no letter or
    digit is no term. An unbalanced quote is ignored.
    """
    found = []
    seen = set()
    for phrase, word in _PHRASE_OR_WORD.findall(clean_query(query)):
        if phrase:
            term = " ".join(w.strip(_EDGE_PUNCTUATION) for w in phrase.split())
            term = " ".join(term.split())
        else:
            term = word.strip(_EDGE_PUNCTUATION)
        if not any(ch.isalnum() for ch in term) or fold(term) in seen:
            continue
        seen.add(fold(term))
        found.append(term)
        if len(found) == MAX_TERMS:
            break
    return found


def _tsquery_text(query_terms):
    """The tsquery of ``query_terms``, as text: each term a phrase of its folded words
    (so "T-90" and a quoted "Kirkuk oil" match as written), the terms AND-ed.

    Words of three letters or more match as prefixes, as on SQLite: readers type part of a
    word ("deliv", "Lav" in a suggestion box), Russian stems of names are unreliable
    ("Лаврова" stems to "лавров", "Лавров" to "лавр") and Arabic words are not stemmed at
    all. (A prefix costs GIN a partial-match scan: at 100,000 events "oil:*" takes about
    twice as long as "oil", still within the benchmark's budget.) Built only from
    ``words()`` (letters and digits), so no operator, quote or backslash a reader types can
    reach to_tsquery.
    """
    phrases = []
    for term in query_terms:
        term_words = [f"{w}:*" if len(w) > 2 else w for w in words(term)]
        if term_words:
            phrases.append("(" + " <-> ".join(term_words) + ")")
    return " & ".join(phrases)


def _tsquery(query_terms):
    return SearchQuery(_tsquery_text(query_terms), search_type="raw", config=TEXT_SEARCH_CONFIG)


def _name_query(query_terms):
    """The text to compare with names by trigram similarity, or "" if the query is not
    name-like (too long, too many words, too short)."""
    text = " ".join(query_terms)
    if (
        len(text) < 2
        or len(text) > MAX_NAME_QUERY_LENGTH
        or len(text.split()) > MAX_NAME_QUERY_WORDS
    ):
        return ""
    return text


_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
}


def _scripts(text):
    """The scripts ``text`` is written in: {"latin", "cyrillic", "arabic"} or fewer."""
    return {name for name, letters in _SCRIPTS.items() if letters.search(text)}


def _trigram_fields(model, name):
    """The name fields worth comparing with ``name``: direct ones, and ``(related model,
    fk name, field)`` for related ones.

    A name shares no trigram with a name in another script, so the fields declared for one
    script (``search_name_fields`` maps a field to its script, or None for any) are skipped
    when the query is not written in it: less to plan, less to scan.
    """
    scripts = _scripts(name)
    direct, related = [], []
    for path, script in getattr(model, "search_name_fields", {}).items():
        if script is not None and script not in scripts:
            continue
        if "__" in path:
            relation, field = path.split("__", 1)
            remote = model._meta.get_field(relation)
            related.append((remote.related_model, remote.field.name, field))
        else:
            direct.append(path)
    return direct, related


def _postgresql_match(model, query_terms):
    """(conditions, rank expression) for ``model`` on PostgreSQL.

    Each condition is served by one GIN index, and they are UNION-ed, not OR-ed: the
    planner underestimates trigram similarity (~7 µs a row), and for an OR of several, or
    with a subquery on aliases, it picks a sequential scan computing it for every actor
    (110 ms at 5,000 actors, against under 1 ms through the indexes).
    """
    tsquery = _tsquery(query_terms)
    conditions = [Q(SearchVectorExact(_StoredVector(), tsquery))]
    # Normalisation 1 divides by the log of the document's length: a short record that
    # matches (a name, a title) outranks a long one that mentions the words in passing.
    rank = SearchRank(_StoredVector(), tsquery, normalization=Value(1))
    name = _name_query(query_terms)
    direct, related = _trigram_fields(model, name) if name else ([], [])
    if direct or related:
        upper_name = Upper(Value(name))
        conditions += [Q(TrigramSimilar(Upper(f), upper_name)) for f in direct]
        similarities = [TrigramSimilarity(Upper(f), upper_name) for f in direct]
        for remote, fk, field in related:
            matching = remote._default_manager.filter(TrigramSimilar(Upper(field), upper_name))
            conditions.append(Q(pk__in=matching.order_by().values(fk)))
            best = (
                remote._default_manager.filter(**{fk: OuterRef("pk")})
                .annotate(similarity=TrigramSimilarity(Upper(field), upper_name))
                .order_by("-similarity")
                .values("similarity")[:1]
            )
            similarities.append(Coalesce(Subquery(best, output_field=FloatField()), 0.0))
        best_name = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
        rank = rank + best_name
    return conditions, rank


def _portable_match(model, query_terms):
    """(condition, rank expression) on any database: every folded word of every term occurs
    in the folded document; a quoted phrase occurs as written. Words found in the title
    count more than words found only in the text, and a title line that is the query itself
    (a name, an alias: "Iraq", not "Council of Ministers of Iraq") most."""
    conditions, scores = [], []
    for term in query_terms:
        term_words = words(term)
        if " " in term:  # a quoted phrase: its words in a row
            needles = [" ".join(term_words)]
        else:  # a word, or words joined by hyphens: each (one letter only if nothing else)
            needles = [w for w in term_words if len(w) > 1] or term_words
        for needle in needles:
            # Documents put a space around every word: a needle matches at the start of a
            # word ("oil" finds "oilfield", not "turmoil"); one or two letters ("US", "IS")
            # match whole words only.
            needle = f" {needle} " if len(needle) <= 2 else f" {needle}"
            in_title = Q(search_title__contains=needle)
            conditions.append(in_title | Q(search_text__contains=needle))
            scores.append(Case(When(in_title, then=Value(1.0)), default=Value(0.25)))
    if not conditions:
        return [Q(pk__in=[])], Value(0.0)
    line = " " + " ".join(w for t in query_terms for w in words(t)) + " "
    whole_line = (
        Q(search_title=line)
        | Q(search_title__startswith=line + "\n")
        | Q(search_title__endswith="\n" + line)
        | Q(search_title__contains="\n" + line + "\n")
    )
    scores.append(Case(When(whole_line, then=Value(2.0)), default=Value(0.0)))
    rank = reduce(lambda a, b: a + b, scores)
    return [reduce(and_, conditions)], models.ExpressionWrapper(rank, output_field=FloatField())


def _match(queryset, query_terms):
    """``(conditions, rank)``: a record matches when any of the conditions holds."""
    if _is_postgresql(queryset):
        return _postgresql_match(queryset.model, query_terms)
    return _portable_match(queryset.model, query_terms)


def _matching_pks(queryset, conditions):
    """The pks of ``queryset``'s records that meet any of ``conditions`` (a UNION), in no
    particular order: unordered, a LIMIT on it stops as soon as it has enough."""
    parts = [queryset.filter(condition).order_by().values("pk") for condition in conditions]
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def _basic_filter(queryset, query_terms):
    """Models without a search document: a substring match over their ``search_fields``."""
    fields = queryset.model.search_fields
    for term in query_terms:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)))
    return queryset.distinct()


def filter_queryset(queryset, query):
    """Narrow ``queryset`` to the records matching ``query`` (every word, any field).

    Unranked and unbounded, for list pages and API lists that keep their own ordering; an
    empty query leaves the queryset as it is.
    """
    query_terms = terms(query)
    if not query_terms:
        return queryset
    if not issubclass(queryset.model, SearchDocumentModel):
        return _basic_filter(queryset, query_terms)
    conditions, _rank = _match(queryset, query_terms)
    if len(conditions) == 1:
        return queryset.filter(conditions[0])
    return queryset.filter(pk__in=_matching_pks(queryset.model._default_manager, conditions))


#: What /search/ and /api/v1/search/ look through, in the order the groups are shown.
KINDS = ("actor", "event", "agreement", "source")

#: After relevance, each kind's results come in this order (then newest first by id).
_TIE_BREAK = {
    "actor": ("name",),
    "event": (F("start_date").desc(nulls_last=True),),
    "agreement": (F("start_date").desc(nulls_last=True),),
    "source": (F("published_date").desc(nulls_last=True),),
}


def _public_querysets():
    from actors.models import Actor
    from articles.models import Agreement, Event, Source

    return {
        "actor": Actor.objects.public(),
        "event": Event.objects.public(),
        "agreement": Agreement.objects.public(),
        "source": Source.objects.public(),
    }


def search(query, kinds=KINDS):
    """Public records matching ``query``, grouped by kind, best first.

    Returns ``{kind: queryset}`` for each kind asked for, each annotated with ``search_rank``
    (higher is better) and ordered by it. An empty query gives empty querysets. At most
    SEARCH_CANDIDATES records per kind are ranked and returned, so ``count()`` stops there
    too: for the number of all matches, count ``filter_queryset(Model.objects.public(), q)``.
    Callers paginate each queryset themselves; nothing is evaluated here.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown search kinds: {', '.join(sorted(unknown))}")
    query_terms = terms(query)
    querysets = _public_querysets()
    results = {}
    for kind in kinds:
        public = querysets[kind]
        if not query_terms:
            results[kind] = public.annotate(search_rank=Value(0.0)).none()
            continue
        conditions, rank = _match(public, query_terms)
        candidates = _matching_pks(public, conditions)[:SEARCH_CANDIDATES]
        results[kind] = (
            public.filter(pk__in=candidates)
            .annotate(search_rank=rank)
            .order_by("-search_rank", *_TIE_BREAK[kind], "-pk")
        )
    return results


def highlight_terms(query):
    """The words of ``query`` a results page should mark in the text it shows: as typed,
    without the quote marks around them, at most MAX_TERMS.

    Kept close to the query as typed (the site's highlighter escapes whatever it marks),
    rather than to what search matched: a page marks the text it shows, not the folded
    document.
    """
    found = []
    for word in clean_query(query).split():
        word = word.strip(_QUOTE_MARKS)
        if word and word not in found:
            found.append(word)
    return found[:MAX_TERMS]
