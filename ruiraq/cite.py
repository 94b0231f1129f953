"""
How to cite a record of ruiraq: the citation data of one public record, built once, and every
form it is given in — the meta tags reference managers read from the page (Highwire Press
``citation_*`` and Dublin Core ``DC.*``, as Zotero's and Mendeley's page importers do), the
BibTeX, RIS and CSL-JSON downloads, APA and Chicago lines for the "cite this record" box, and
the API's ``cite`` object. No other module formats a citation of a record.

What is cited is ruiraq's page about the record, not the sources behind it (those are cited
on the page, with their quotes): its title in the reader's language, ruiraq as author and
publisher (an editorial database, whose editors publish as the database), the day the record
was first published, the day it was last changed (a database record changes: APA and
Chicago then ask for the day it was read, which is given too) and its permalink.

The downloads live beside each record's page, at ``<page>cite.bib``, ``<page>cite.ris`` and
``<page>cite.json`` (``DOWNLOADS``; the apps route them to ``ruiraq.views.CiteView``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from ruiraq.dates import ENGLISH_MONTHS
from ruiraq.languages import current_language

PUBLISHER = "ruiraq"

#: Download format → (file extension, content type).
DOWNLOADS = {
    "bib": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "json": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def _day(value):
    """A date or datetime as a date in the site's time zone (None stays None)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass(frozen=True)
class CiteData:
    """What a citation of one record says. Build it with ``for_record``."""

    key: str  # "ruiraq-event-hakim-visits-moscow": a citation key, stable like the slug
    title: str
    kind: str  # "Event", in the reader's language: the kind of record
    url: str  # the permalink, absolute
    published: dt.date  # first published in ruiraq
    updated: dt.date
    accessed: dt.date
    language: str

    # --- page metadata ---------------------------------------------------------------------

    def highwire(self):
        """[(name, content)]: the Highwire Press ``citation_*`` tags (Google Scholar's and
        Zotero's page importers read them)."""
        return [
            ("citation_title", self.title),
            ("citation_publisher", PUBLISHER),
            ("citation_publication_date", self.published.strftime("%Y/%m/%d")),
            ("citation_online_date", self.published.strftime("%Y/%m/%d")),
            ("citation_public_url", self.url),
            ("citation_abstract_html_url", self.url),
            ("citation_language", self.language),
        ]

    def dublin_core(self):
        """[(name, content)]: the Dublin Core ``DC.*`` and ``DCTERMS.*`` tags."""
        return [
            ("DC.title", self.title),
            ("DC.publisher", PUBLISHER),
            ("DC.creator", PUBLISHER),
            ("DC.date", self.published.isoformat()),
            ("DCTERMS.issued", self.published.isoformat()),
            ("DCTERMS.modified", self.updated.isoformat()),
            ("DC.identifier", self.url),
            ("DC.type", "Text"),
            ("DC.format", "text/html"),
            ("DC.language", self.language),
        ]

    # --- downloads -------------------------------------------------------------------------

    def csl(self):
        """The record as a CSL-JSON item (citeproc's input: Zotero, Pandoc, citation.js)."""
        return {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "genre": self.kind,
            "author": [{"literal": PUBLISHER}],
            "publisher": PUBLISHER,
            "container-title": PUBLISHER,
            "issued": {"date-parts": [_parts(self.published)]},
            "accessed": {"date-parts": [_parts(self.accessed)]},
            "URL": self.url,
            "language": self.language,
        }

    def csl_json(self):
        """CSL-JSON: a list of one item, as reference managers export and import it."""
        return json.dumps([self.csl()], ensure_ascii=False, indent=2) + "\n"

    def bibtex(self):
        """A BibTeX ``@misc`` entry (biblatex reads it too), in UTF-8 with TeX's special
        characters escaped; the author in double braces so it stays one name."""
        fields = [
            ("title", f"{{{_tex(self.title)}}}"),
            ("author", f"{{{PUBLISHER}}}"),
            ("organization", PUBLISHER),
            ("publisher", PUBLISHER),
            ("howpublished", f"\\url{{{self.url}}}"),
            ("url", self.url),
            ("year", str(self.published.year)),
            ("month", ENGLISH_MONTHS[self.published.month - 1][:3].lower()),
            ("date", self.published.isoformat()),
            ("urldate", self.accessed.isoformat()),
            ("note", _tex(f"{self.kind}. Accessed {self.accessed.isoformat()}")),
            ("language", self.language),
        ]
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
            for name, value in fields
        )
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self):
        """A RIS record (EndNote, Zotero, Mendeley, RefWorks): CRLF line ends, as the format
        asks."""
        lines = [
            ("TY", "ELEC"),
            ("TI", self.title),
            ("AU", PUBLISHER),
            ("PB", PUBLISHER),
            ("T2", PUBLISHER),
            ("PY", str(self.published.year)),
            ("DA", self.published.strftime("%Y/%m/%d/")),
            ("Y2", self.accessed.strftime("%Y/%m/%d/")),
            ("UR", self.url),
            ("M3", self.kind),
            ("LA", self.language),
            ("ID", self.key),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)

    def download(self, fmt):
        """(text, content type, file name) of the download ``fmt`` ("bib", "ris", "json")."""
        extension, content_type = DOWNLOADS[fmt]
        text = {"bib": self.bibtex, "ris": self.ris, "json": self.csl_json}[fmt]()
        return text, content_type, f"{self.key}.{extension}"

    # --- formatted styles --------------------------------------------------------------------

    def apa(self):
        """APA (7th edition), a page on a website whose author is the site; the access date
        because a database record changes. Plain text (the title in italics in ``apa_html``)."""
        return (
            f"{PUBLISHER}. ({_apa_date(self.published)}). {self.title}. "
            f"Retrieved {_long_date(self.accessed)}, from {self.url}"
        )

    def apa_html(self):
        return format_html(
            '{}. ({}). <i><bdi>{}</bdi></i>. Retrieved {}, from <span class="cite__url">{}</span>',
            PUBLISHER,
            _apa_date(self.published),
            self.title,
            _long_date(self.accessed),
            self.url,
        )

    def chicago(self):
        """Chicago (17th edition, notes and bibliography), a web page: title, site, dates,
        address (no author: the site's owner is its author)."""
        return (
            f"“{self.title}.” {PUBLISHER}. "
            f"Published {_long_date(self.published)}. "
            f"Accessed {_long_date(self.accessed)}. {self.url}."
        )

    def chicago_html(self):
        return format_html(
            "“<bdi>{}</bdi>.” <i>{}</i>. Published {}. Accessed {}. "
            '<span class="cite__url">{}</span>.',
            self.title,
            PUBLISHER,
            _long_date(self.published),
            _long_date(self.accessed),
            self.url,
        )

    def as_dict(self):
        """The API's ``cite`` object: the data, then each form of it."""
        return {
            "title": self.title,
            "publisher": PUBLISHER,
            "published": self.published.isoformat(),
            "updated": self.updated.isoformat(),
            "accessed": self.accessed.isoformat(),
            "url": self.url,
            "language": self.language,
            "apa": self.apa(),
            "chicago": self.chicago(),
            "bibtex": self.bibtex(),
            "ris": self.ris(),
            "csl": self.csl(),
        }


def for_record(record, permalink, accessed=None):
    """The citation data of ``record`` (an event, agreement, actor or source) at the absolute
    address ``permalink``, read today (``accessed``). Reads only the record's own row:
    its title (or name, as the reader sees it), slug, kind and editorial stamps."""
    published = _day(record.published_at or record.created_at)
    updated = _day(record.updated_at) or published
    model = record._meta.model_name
    return CiteData(
        key=f"{PUBLISHER}-{model}-{record.slug}",
        title=str(getattr(record, "display_name", None) or record),
        kind=capfirst(str(record._meta.verbose_name)),
        url=permalink,
        published=published,
        updated=max(updated, published),
        accessed=accessed or timezone.localdate(),
        language=current_language(),
    )


def _parts(date):
    return [date.year, date.month, date.day]


def _long_date(date):
    """ "May 3, 2024": the date as the English styles write it."""
    return f"{ENGLISH_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _apa_date(date):
    """ "2024, May 3"."""
    return f"{date.year}, {ENGLISH_MONTHS[date.month - 1]} {date.day}"


_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _tex(text):
    """``text`` safe inside a BibTeX field: TeX's special characters escaped, the rest kept
    (UTF-8, which BibTeX 0.99d+, biber and every reference manager read)."""
    return "".join(_TEX_SPECIALS.get(char, char) for char in text)
