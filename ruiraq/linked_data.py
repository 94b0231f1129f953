"""
schema.org JSON-LD for the record pages: the pieces every kind shares. Each app builds its
records' documents (actors/linked_data.py, articles/linked_data.py) from what its detail view
has already loaded; the ``json_ld`` template tag writes them into the page's head.

Names are the canonical English ones, with the Russian and Arabic names and aliases as
``alternateName``; titles, summaries, places and descriptions are in the page's language,
else in English (ruiraq.languages), as the page shows them; dates keep their precision
("2014", "2019-03"), as ISO 8601 and schema.org allow; ``subjectOf`` lists the public
sources that support the record, so a crawler sees the evidence as the reader does.
"""

from django.conf import settings

from ruiraq.addresses import site_url

CONTEXT = "https://schema.org"


def document(schema_type, request, record, **properties):
    """A JSON-LD document for ``record``'s page; empty values are left out."""
    # The configured site address, never the request's host (ruiraq.addresses).
    url = site_url(record.get_absolute_url())
    doc = {"@context": CONTEXT, "@type": schema_type, "@id": f"{url}#record", "url": url}
    doc.update({key: value for key, value in properties.items() if value not in (None, "", [])})
    return doc


def reference(schema_type, request, record, name):
    """A short mention of another record (a participant, a party): type, name, page."""
    return {
        "@type": schema_type,
        "name": name,
        "url": site_url(record.get_absolute_url()),
    }


def cited_sources(citations):
    """The distinct sources of ``citations`` (already loaded, with their source) that
    support the record, as CreativeWork mentions."""
    seen, works = set(), []
    for citation in citations:
        source = citation.source
        if citation.stance != "supports" or source.pk in seen:
            continue
        seen.add(source.pk)
        works.append({"@type": "CreativeWork", "name": source.title, "url": source.url})
    return works


def licence():
    return settings.DATASET_LICENCE_URL


def iso(fuzzy):
    return fuzzy.iso() if fuzzy else None
