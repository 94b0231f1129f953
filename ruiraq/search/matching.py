"""
Matching: the queries behind every search, on PostgreSQL and on any other database.

- On PostgreSQL the stored ``search_vector`` (weights A and B, text search configuration
  ``ruiraq``: English stems for Latin words, Russian stems for other scripts), and
  ``search_title_vector`` (the title part alone) for title matches, are matched by
  a tsquery assembled from the folded words of the query only (letters and digits: nothing a
  reader types reaches ``to_tsquery`` raw), ranked with ``ts_rank`` over a bounded candidate
  set. Actor names and aliases also match by trigram similarity (``pg_trgm``, GIN indexes on
  ``UPPER(name)``), so misspellings and transliterations find the actor.
- On SQLite (and any other database) every folded word of the query must start a word of the
  folded document: folding in Python makes matching case- and accent-insensitive in every
  script, which SQLite's ``LIKE`` is not (it folds ASCII only).

Both return querysets of the records asked for, annotated with ``search_rank``.
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_
from typing import NamedTuple

from django.core.exceptions import FullResultSet
from django.db import connections, models
from django.db.models import BooleanField, Case, FloatField, Q, Value, When
from django.db.models.functions import Left
from django.db.models.lookups import StartsWith

from ruiraq.search.documents import SearchDocumentModel
from ruiraq.search.folding import document, fold, words
from ruiraq.search.sql import TEXT_SEARCH_CONFIG, TITLE_START_LENGTH, TableSQL, is_postgresql

#: Longer queries are cut here: nobody types more, and it bounds the work of one search.
MAX_QUERY_LENGTH = 200
#: At most this many words or quoted phrases of a query are used.
MAX_TERMS = 10
#: Trigram matching on names is tried for short, name-like queries only.
MAX_NAME_QUERY_LENGTH = 80
MAX_NAME_QUERY_WORDS = 4
#: search() ranks at most this many matches per kind from each of three tiers (``ranked``):
#: the records whose name or title begins with the query, those whose title or name matches,
#: and any match. Below it the ranking is exact; a very broad query ("Iraq") ranks the
#: records named by it first, then a bounded set of its other matches, so its cost stays
#: flat as the database grows (ranking 60,000 matches costs ~90 ms, see ../shared/FACTS.md).
SEARCH_CANDIDATES = 250


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


class _Match(NamedTuple):
    """How records match a query: lists of conditions, any of which is a match.

    ``titles`` match the title or a name's words, ``names`` a name by similarity (trigrams),
    ``text`` anywhere in the document (titles included, so ``text`` + ``names`` is every
    match); ``rank`` scores a match. ``ranked`` takes its first candidates from titles and
    names, its second from text: a name's trigram match is not repeated in the second tier,
    where it made the actor query seven UNION-ed parts that took PostgreSQL ~12 ms to plan at
    5,000 actors, longer than they took to run.
    """

    titles: list
    names: list
    text: list
    rank: models.Expression
    #: ``titles`` narrowed to the records whose title's first line begins with the query
    #: (``_first_line_start``), or none: ``ranked``'s first tier.
    starting: list


def _postgresql_match(model, query_terms, ops):
    """The ``_Match`` of ``query_terms`` for ``model`` on PostgreSQL: the ``search_title_vector``
    column (the title part alone) for titles, trigrams for names, the whole document
    (``search_vector``, titles included) for text.

    Each condition is served by one GIN index, and they are UNION-ed, not OR-ed: the
    planner underestimates trigram similarity (~7 µs a row), and for an OR of several, or
    with a subquery on aliases, it picks a sequential scan computing it for every actor
    (110 ms at 5,000 actors, against under 1 ms through the indexes).

    Written as SQL (``TableSQL``), each condition and the rank once: the same as Django
    expressions cost more to build and compile than to run (``sql.TableSQL``).
    """
    tsquery = f"to_tsquery('{TEXT_SEARCH_CONFIG}'::regconfig, %s)"
    text_query = [_tsquery_text(query_terms)]
    text = [TableSQL(f'{{t}}."search_vector" @@ {tsquery}', text_query, BooleanField())]
    titles = [TableSQL(f'{{t}}."search_title_vector" @@ {tsquery}', text_query, BooleanField())]
    # Normalisation 1 divides by the log of the document's length: a short record that
    # matches (a name, a title) outranks a long one that mentions the words in passing.
    rank, rank_params = [f'ts_rank({{t}}."search_vector", {tsquery}, 1)'], list(text_query)
    name = _name_query(query_terms)
    direct, related = _trigram_fields(model, name) if name else ([], [])
    by_name, similarities = [], []
    for field in direct:
        column = f'UPPER({{t}}."{model._meta.get_field(field).column}")'
        by_name.append(TableSQL(f"{column} %% UPPER(%s)", [name], BooleanField()))
        similarities.append((f"similarity({column}, UPPER(%s))", [name]))
    for remote, fk, field in related:
        table = remote._meta.db_table
        column = f'UPPER("{remote._meta.get_field(field).column}")'
        key = remote._meta.get_field(fk).column
        pk = model._meta.pk.column
        by_name.append(
            TableSQL(
                f'{{t}}."{pk}" IN (SELECT "{key}" FROM "{table}" WHERE {column} %% UPPER(%s))',
                [name],
                BooleanField(),
            )
        )
        best = (
            f'COALESCE((SELECT MAX(similarity({column}, UPPER(%s))) FROM "{table}" '
            f'WHERE "{key}" = {{t}}."{pk}"), 0)'
        )
        similarities.append((best, [name]))
    if similarities:
        rank.append(f"GREATEST({', '.join(sql for sql, _ in similarities)})")
        rank_params += [param for _, params in similarities for param in params]
    bonus, bonus_params = _name_bonus_sql(query_terms, ops)
    rank.append(bonus)
    rank_params += bonus_params
    start = _first_line_start(query_terms)
    starting = []
    if start is not None:  # served by the index of the title's start (sql.title_start_index_sql)
        begins = f'LEFT({{t}}."search_title", {TITLE_START_LENGTH}) LIKE %s'
        starting = [
            TableSQL(
                f"{begins} AND {title.template}",
                [ops.prep_for_like_query(start) + "%", *title.params],
                BooleanField(),
            )
            for title in titles
        ]
    total = " + ".join(f"({part})::float8" for part in rank)
    return _Match(titles, by_name, text, TableSQL(total, rank_params, FloatField()), starting)


def _portable_match(model, query_terms):
    """The ``_Match`` of ``query_terms`` on any database: every folded word of every term
    occurs in the folded title (titles) or document (text); a quoted phrase occurs as
    written. No trigrams: names are matched as titles. Words found in the title
    count more than words found only in the text, and a name that is or begins with the
    query most (``_name_bonus``)."""
    conditions, in_titles, scores = [], [], []
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
            in_titles.append(in_title)
            conditions.append(in_title | Q(search_text__contains=needle))
            scores.append(Case(When(in_title, then=Value(1.0)), default=Value(0.25)))
    if not conditions:
        nothing = [Q(pk__in=[])]
        return _Match(nothing, [], nothing, Value(0.0), [])
    scores.append(_name_bonus(query_terms))
    rank = models.ExpressionWrapper(reduce(lambda a, b: a + b, scores), output_field=FloatField())
    titles = reduce(and_, in_titles)
    start = _first_line_start(query_terms)
    starting = []
    if start is not None:
        starting = [Q(StartsWith(Left("search_title", TITLE_START_LENGTH), Value(start))) & titles]
    return _Match([titles], [], [reduce(and_, conditions)], rank, starting)


def _line(query_terms):
    """The query as a line of a document's title would hold it, were it a name:
    " nouri al maliki almaliki " (``folding.document``, joined words and all)."""
    return document([" ".join(query_terms)])


def _line_start(query_terms):
    """The query's folded words as the beginning of a title line: " nouri al maliki"."""
    return " " + " ".join(w for t in query_terms for w in words(t))


def _is_line(line):
    """Tests of ``search_title``, ``[(lookup, value)]``, any of which says that a line of it
    (a name, an alias, a title) is ``line``."""
    return [
        ("exact", line),
        ("startswith", line + "\n"),
        ("endswith", "\n" + line),
        ("contains", "\n" + line + "\n"),
    ]


def _begins_line(start):
    """Tests of ``search_title``: a line of it begins with ``start`` ("iraq" → "Iraqi Oil
    Ministry")."""
    return [("startswith", start), ("contains", "\n" + start)]


def _title_q(tests):
    """``tests`` (``[(lookup, value)]`` on ``search_title``) as a Q, any of them."""
    return reduce(or_, (Q(**{f"search_title__{lookup}": value}) for lookup, value in tests))


#: ``tests``' lookups as LIKE patterns, for PostgreSQL's SQL (``_name_bonus_sql``).
_PATTERNS = {"startswith": "{}%", "endswith": "%{}", "contains": "%{}%"}


def _name_bonus_rules(query_terms):
    """What a name match adds to the rank, on every database, as ``[(score, tests)]``, the
    first whose tests hold scoring: 3 when a name (or a title, an alias) is the query itself
    ("Iraq", not "Council of Ministers of Iraq"); 1.5 when one begins with it ("iraq" →
    "Iraqi Oil Ministry"); 1 when a word of one begins with a one-word query ("lav" →
    "Sergey Lavrov"); else 0. Readers type a name, or its beginning, into the suggestion box
    and the lists' search: that record comes first.

    LIKEs on the short title column of records that already match, no index needed.
    """
    line, start = _line(query_terms), _line_start(query_terms)
    if not start.strip():
        return []
    rules = [(3.0, _is_line(line)), (1.5, _begins_line(start))]
    if len(start.split()) == 1:
        rules.append((1.0, [("contains", start)]))
    return rules


def _name_bonus(query_terms):
    """``_name_bonus_rules`` as an expression (any database)."""
    whens = [
        When(_title_q(tests), then=Value(score)) for score, tests in _name_bonus_rules(query_terms)
    ]
    if not whens:
        return Value(0.0)
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def _name_bonus_sql(query_terms, ops):
    """``_name_bonus_rules`` as PostgreSQL's SQL over ``{t}`` (``TableSQL``): (sql, params).
    ``ops``: the connection's operations, which escape a LIKE pattern's literal text."""
    whens, params = [], []
    for score, tests in _name_bonus_rules(query_terms):
        tested = []
        for lookup, value in tests:
            if lookup == "exact":
                tested.append('{t}."search_title" = %s')
                params.append(value)
            else:
                tested.append('{t}."search_title" LIKE %s')
                params.append(_PATTERNS[lookup].format(ops.prep_for_like_query(value)))
        whens.append(f"WHEN {' OR '.join(tested)} THEN {score}")
    if not whens:
        return "0", []
    return f"CASE {' '.join(whens)} ELSE 0 END", params


def title_matches(queryset, query):
    """The records of ``queryset`` named ``query``, by names, aliases and titles only (not
    descriptions, summaries or quotes), folded as search folds: ``(exact, partial)``.

    ``exact``: a name is the query itself ("Ammar al-Hakim", "عمار الحكيم"); ``partial``:
    every word of the query begins a word of the names ("Lavrov", "hakim"). Nothing is
    evaluated here; an empty query matches nothing.
    """
    query_terms = terms(query)
    start = _line_start(query_terms)
    if not start.strip():
        return queryset.none(), queryset.none()
    exact = queryset.filter(_title_q(_is_line(_line(query_terms))))
    partial = queryset
    for word in start.split():
        partial = partial.filter(search_title__contains=" " + word)
    return exact, partial


def _first_line_start(query_terms):
    """What the title's first line (the name, the English title) of the records that begin
    with the query's words begins with: " iraq" → "Iraq", "Iraqi Oil Ministry", "Iraq signs
    a memorandum".

    The records the rank's name bonus puts first, found through an index of the title's
    start (PostgreSQL) rather than among the other candidates, of which a broad query has
    thousands. None when the query has no words, or is longer than the index holds.
    """
    start = _line_start(query_terms)
    if not start.strip() or len(start) >= TITLE_START_LENGTH:
        return None
    return start


def _match(queryset, query_terms):
    """The ``_Match`` of ``query_terms`` for ``queryset``'s model on its database."""
    if is_postgresql(queryset):
        return _postgresql_match(queryset.model, query_terms, connections[queryset.db].ops)
    return _portable_match(queryset.model, query_terms)


def _matching_pks(queryset, conditions):
    """The pks of ``queryset``'s records that meet any of ``conditions`` (a UNION), in no
    particular order: unordered, a LIMIT on it stops as soon as it has enough."""
    parts = [queryset.filter(condition).order_by().values("pk") for condition in conditions]
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


class _CandidateIds(TableSQL):
    """PostgreSQL: ``{t}."id" IN (…)``, the ids of at most ``limit`` records of each tier
    (``ranked``) among ``queryset``'s records, one UNION of bounded UNIONs.

    Each part repeats ``queryset``'s own filters (``public()``, a caller's narrowing), so a
    tier's bound counts only records the query may return. They are compiled once from the
    queryset and moved onto the part's own table alias; a queryset that joins other tables
    is given as a subquery of its ids instead.
    """

    def __init__(self, queryset, tiers, limit):
        super().__init__("", (), BooleanField())
        self.queryset, self.tiers, self.limit = queryset, tiers, limit

    @property
    def identity(self):
        return (type(self), id(self.queryset), self.limit, self.table)

    def as_sql(self, compiler, connection):
        meta = self.queryset.model._meta
        table, pk = (
            connection.ops.quote_name(meta.db_table),
            connection.ops.quote_name(meta.pk.column),
        )
        own, own_params = self._own_filters(compiler, connection, pk)
        arms, params = [], []
        for tier in self.tiers:
            parts = []
            for condition in tier:
                where = condition.template.format(t='"c"')
                parts.append(f'SELECT "c".{pk} FROM {table} "c" WHERE {own}({where})')
                params += [*own_params, *condition.params]
            arms.append(f"({' UNION '.join(parts)} LIMIT {int(self.limit)})")
        outer = compiler.quote_name_unless_alias(self.table.alias)
        return f"{outer}.{pk} IN ({' UNION '.join(arms)})", params

    def _own_filters(self, compiler, connection, pk):
        """The queryset's filters on the part's alias "c", as "(…) AND " and params."""
        query = self.queryset.query
        if len(query.alias_map) > 1:  # a join: the filtered ids as a subquery
            ids = self.queryset.order_by().values("pk").query
            sql, params = ids.get_compiler(connection=connection).as_sql()
            return f'"c".{pk} IN ({sql}) AND ', list(params)
        if not query.where or query.base_table is None:
            return "", []
        where = query.where.relabeled_clone({query.base_table: "c"})
        try:
            sql, params = compiler.compile(where)
        except FullResultSet:
            return "", []
        return (f"({sql}) AND ", list(params)) if sql else ("", [])


def _basic_filter(queryset, query_terms):
    """Models without a search document: a substring match over their ``search_fields``."""
    fields = queryset.model.search_fields
    for term in query_terms:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)))
    return queryset.distinct()


def filter_queryset(queryset, query, rank=False):
    """Narrow ``queryset`` to the records matching ``query`` (every word, any field).

    Unbounded, for list pages and API lists; an empty query leaves the queryset as it is.
    Unranked, the queryset keeps its own ordering. With ``rank``, the matches are annotated
    with ``search_rank`` (as ``ranked`` ranks them, so a name that is or begins with the
    query comes first) and ordered by it, then by the queryset's own order: a list searched
    for "iraq" starts with Iraq. A reader's explicit ``ordering`` (applied after) replaces it.
    """
    query_terms = terms(query)
    if not query_terms:
        return queryset
    if not issubclass(queryset.model, SearchDocumentModel):
        return _basic_filter(queryset, query_terms)
    match = _match(queryset, query_terms)
    conditions = match.text + match.names
    if len(conditions) == 1:
        found = queryset.filter(conditions[0])
    else:
        found = queryset.filter(pk__in=_matching_pks(queryset.model._default_manager, conditions))
    if not rank:
        return found
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return found.annotate(search_rank=match.rank).order_by("-search_rank", *order)


def ranked(queryset, query, tie_break=()):
    """The records of ``queryset`` matching ``query``, best first.

    Annotated with ``search_rank`` (higher is better) and ordered by it, then by
    ``tie_break`` and newest id. An empty query gives an empty queryset.

    Ranking every match of a broad query costs too much (at 100,000 events, 180 ms for the
    events matching "Iraq" and 556 ms for "oil", against 14 and 19 ms), so the candidates
    ranked are at most SEARCH_CANDIDATES of each of three tiers, best tier first: records
    whose name or title begins with the query (the rank's name bonus puts these first; an
    index finds them however many records mention the words), records matching by title or
    name, records matching anywhere. Within the last two tiers a broad query's candidates are
    any of its matches, which rank alike (the words in the title; the words in passing).
    ``count()`` stops at the candidates too: for the number of all matches, count
    ``filter_queryset(queryset, query)``. Nothing is evaluated here.
    """
    query_terms = terms(query)
    if not query_terms:
        return queryset.annotate(search_rank=Value(0.0)).none()
    match = _match(queryset, query_terms)
    # The first tier: those of the title matches that begin with the query ("is" begins
    # "Israel", but is a word).
    tiers = [tier for tier in (match.starting, match.titles + match.names, match.text) if tier]
    if is_postgresql(queryset):
        # One subquery, the UNION of the bounded tiers: PostgreSQL plans an OR of IN
        # subqueries as a scan of the whole table testing each (110 ms at 100,000 events,
        # against under 1 ms through the primary key).
        candidates = _CandidateIds(queryset, tiers, SEARCH_CANDIDATES)
    else:  # SQLite cannot bound the parts of a UNION: an OR of bounded subqueries
        bounded = [_matching_pks(queryset, tier)[:SEARCH_CANDIDATES] for tier in tiers]
        candidates = reduce(or_, (Q(pk__in=tier) for tier in bounded))
    return (
        queryset.filter(candidates)
        .annotate(search_rank=match.rank)
        .order_by("-search_rank", *tie_break, "-pk")
    )


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
