"""
Search: the one door every public path (list filters, /search/, the API) goes through.

How it works
------------
Each searchable model (actors, events, agreements, sources) stores a *search document*
(``documents.SearchDocumentModel``): two text columns of folded text (``folding.fold``),
``search_title`` (names, titles: what a reader types) and ``search_text`` (descriptions,
summaries, citation quotes). A record's ``save()`` derives its own document; what the
document reads through relations (an event's quotes, an actor's aliases) each model declares
as lookup paths (``search_dependencies``), and one set of signal receivers, wired at start-up,
refreshes the documents those rows reach whenever they change (described once, in
``documents``).

- On PostgreSQL a migration adds a stored, generated ``search_vector`` column over those two
  columns (``sql``) and matching uses full-text search plus trigram similarity on names.
- On SQLite (and any other database) every folded word of the query must start a word of the
  folded document (``matching``).

The modules: ``folding`` (text folding, words, documents), ``documents`` (the stored
document and what keeps it current), ``matching`` (queries), ``sql`` (PostgreSQL-only SQL
and migration helpers). This package imports neither app; the site-wide search over every
kind of record is ``ruiraq.site.search``.
"""

from ruiraq.search.folding import document, fold, words
from ruiraq.search.matching import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    SEARCH_CANDIDATES,
    clean_query,
    filter_queryset,
    highlight_terms,
    ranked,
    terms,
    title_matches,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SEARCH_CANDIDATES",
    "clean_query",
    "document",
    "filter_queryset",
    "fold",
    "highlight_terms",
    "ranked",
    "terms",
    "title_matches",
    "words",
]
