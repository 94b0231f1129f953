"""
The published dataset in bulk: the records a dump and a filtered export hold, and the
prepared dump itself (``manage.py build_dump``, served by /api/v1/export/dump/).

One JSON object per line, each with a ``type``, in this order: topic, source, actor, tie,
event, agreement, citation. Records link each other by id (and slug) instead of embedding
each other: an event names its participants' actors (a short summary: id, slug, name, kind)
and its agreements' ids; a citation names its source and the record it supports. So every
record is written once, and the whole dataset is a few hundred bytes per record (an actor
line of the old export embedded every record the actor appears in: 37 KB on average at
100,000 events, 640 MB in all).

Every record comes through its model's ``public()`` (through ``for_api_list()``), and a link
only to a public record: the dump and the export say no more than the API.

The dump is written to ``settings.DUMP_DIR``: a folder per build (``<stamp>/``, with the gzip'd
file) and ``manifest.json`` (counts, size, SHA-256, generated_at, licence), which is replaced
last, atomically: a reader sees the previous dump or the new one, never half of one. The
build before the current one is kept for downloads still running; older ones are removed.
"""

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from actors.models import Actor, Tie
from actors.serializers import ActorListSerializer
from articles import serializers as article_serializers
from articles.models import Agreement, Citation, Event, Source, Topic
from ruiraq.site import dataset

#: The record types, in the order a dump holds them (what a citation links to comes first).
TYPES = ("topic", "source", "actor", "tie", "event", "agreement", "citation")
#: Rows read per query: bounded memory and a fixed number of queries per chunk.
CHUNK = 2000
MANIFEST = "manifest.json"
FILE_NAME = "ruiraq.jsonl.gz"
#: A build's folder: when it started, in UTC (sorts as it was built).
BUILD_NAME = re.compile(r"[0-9]{8}T[0-9]{12}Z")

_encoder = JSONEncoder(ensure_ascii=False, separators=(",", ":"))


# --- the records ------------------------------------------------------------------------------


def site_request():
    """A request for the site's configured address (settings.SITE_URL): the serializers build
    their absolute links from a request, and a dump built by a command has none."""
    parts = urlsplit(settings.SITE_URL)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    request.get_host = lambda: parts.netloc
    request._get_scheme = lambda: parts.scheme
    return request


def _chunks(queryset):
    """The queryset's rows by primary key, CHUNK at a time (keyset: each query as cheap as
    the first, whatever the table's size), each chunk a list with its prefetches done."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _serialized(type_, queryset, serializer_class, request, links=None):
    """Each row through its API list serializer, plus ``links(rows)``: {pk: {key: value}}."""
    context = {"request": request}
    for rows in _chunks(queryset):
        extra = links(rows) if links else {}
        for data in serializer_class(rows, many=True, context=context).data:
            yield {"type": type_, **data, **extra.get(data["id"], {})}


def _linked_ids(through, own, other, other_queryset, rows, key):
    """{row pk: {key: [public ids at the other end]}} for a many-to-many table (one query)."""
    found = {row.pk: {key: []} for row in rows}
    pairs = (
        through.objects.filter(**{f"{own}__in": list(found), f"{other}__in": other_queryset})
        .order_by(own, other)
        .values_list(own, other)
    )
    for pk, other_pk in pairs:
        found[pk][key].append(other_pk)
    return found


def _span(record):
    span = record.span
    return {
        "start": span.start.as_dict() if span.start else None,
        "end": span.end.as_dict() if span.end else None,
        "display": span.display(),
    }


def _ties(queryset):
    for rows in _chunks(queryset):
        for tie in rows:
            yield {
                "type": "tie",
                "id": tie.pk,
                "kind": tie.kind,
                "title": tie.title,
                "when": _span(tie),
                "subject": {"id": tie.subject_id, "slug": tie.subject.slug},
                "object": {"id": tie.object_id, "slug": tie.object.slug},
                "updated_at": tie.updated_at,
            }


def _citations(queryset):
    last = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last)
            .order_by("pk")
            .values(
                "id",
                "quote",
                "stance",
                "locator",
                "source_id",
                *(f"{t}_id" for t in Citation.TARGETS),
            )[:CHUNK]
        )
        if not rows:
            return
        for row in rows:
            target = next(t for t in Citation.TARGETS if row[f"{t}_id"] is not None)
            yield {
                "type": "citation",
                "id": row["id"],
                "quote": row["quote"],
                "stance": row["stance"],
                "locator": row["locator"],
                "source": row["source_id"],
                "record": {"type": target, "id": row[f"{target}_id"]},
            }
        last = rows[-1]["id"]


def records(request, types=TYPES, updated_since=None):
    """Every published record of ``types`` (all by default), as dicts with a ``type``, in
    TYPES order. ``updated_since`` keeps the records changed at or after that moment (and
    the citations of those records; topics have no date and come whole)."""

    def since(queryset, field="updated_at"):
        return (
            queryset
            if updated_since is None
            else queryset.filter(**{f"{field}__gte": updated_since})
        )

    events = Event.objects.public()
    agreements = Agreement.objects.public()
    sections = {
        "topic": lambda: _serialized(
            "topic",
            Topic.objects.public().for_api_list(),
            article_serializers.TopicSerializer,
            request,
        ),
        "source": lambda: _serialized(
            "source",
            since(Source.objects.public().for_api_list()),
            article_serializers.SourceListSerializer,
            request,
        ),
        "actor": lambda: _serialized(
            "actor", since(Actor.objects.public().for_api_list()), ActorListSerializer, request
        ),
        "tie": lambda: _ties(
            since(
                Tie.objects.public()
                .select_related("subject", "object")
                .only(
                    "kind",
                    "title",
                    "updated_at",
                    "subject__slug",
                    "object__slug",
                    *Tie.SPAN_FIELDS,
                )
            )
        ),
        "event": lambda: _serialized(
            "event",
            since(events.for_api_list()),
            article_serializers.EventListSerializer,
            request,
            lambda rows: _linked_ids(
                Event.agreements.through, "event", "agreement", agreements, rows, "agreements"
            ),
        ),
        "agreement": lambda: _serialized(
            "agreement",
            since(agreements.for_api_list()),
            article_serializers.AgreementListSerializer,
            request,
            lambda rows: _linked_ids(
                Event.agreements.through, "agreement", "event", events, rows, "events"
            ),
        ),
        "citation": lambda: _citations(_public_citations(updated_since)),
    }
    for type_ in TYPES:
        if type_ in types:
            yield from sections[type_]()


_MODELS = {
    "topic": None,
    "source": Source,
    "actor": Actor,
    "tie": Tie,
    "event": Event,
    "agreement": Agreement,
}


def count(types, updated_since=None):
    """How many records ``records(types, updated_since)`` yields (one COUNT per type)."""
    total = 0
    for type_ in types:
        if type_ == "topic":
            total += Topic.objects.public().count()
        elif type_ == "citation":
            total += _public_citations(updated_since).count()
        else:
            queryset = _MODELS[type_].objects.public()
            if updated_since is not None:
                queryset = queryset.filter(updated_at__gte=updated_since)
            total += queryset.count()
    return total


def _public_citations(updated_since):
    citations = Citation.objects.public()
    if updated_since is None:
        return citations
    return citations.filter(
        Q(event__updated_at__gte=updated_since)
        | Q(agreement__updated_at__gte=updated_since)
        | Q(actor__updated_at__gte=updated_since)
        | Q(tie__updated_at__gte=updated_since)
    )


def lines(records_):
    """Each record as one line of JSON (UTF-8 text, ending in a newline)."""
    for record in records_:
        yield _encoder.encode(record) + "\n"


# --- the prepared dump ------------------------------------------------------------------------


def directory():
    return Path(settings.DUMP_DIR)


def current():
    """The manifest of the dump being served (a dict), or None when none has been built.

    The manifest's ``file`` names the file inside ``path`` (its build's folder)."""
    try:
        manifest = json.loads((directory() / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    path = directory() / manifest["build"] / manifest["file"]["name"]
    if not path.is_file():
        return None
    manifest["path"] = path
    return manifest


def build(compresslevel=6):
    """Writes a new dump and makes it the current one; returns its manifest."""
    root = directory()
    root.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    build_name = started.strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        counts = Counter()
        raw = 0
        digest = hashlib.sha256()
        # mtime=0: the same records give the same bytes (and the same SHA-256).
        with (
            open(staging / FILE_NAME, "wb") as out,
            gzip.GzipFile(
                filename="ruiraq.jsonl",
                mode="wb",
                fileobj=out,
                compresslevel=compresslevel,
                mtime=0,
            ) as stream,
        ):
            for line in _snapshot_lines(counts):
                raw += len(line)
                stream.write(line)
        size = (staging / FILE_NAME).stat().st_size
        with open(staging / FILE_NAME, "rb") as written:
            for block in iter(lambda: written.read(1 << 20), b""):
                digest.update(block)
        os.chmod(staging, 0o755)
        staging.rename(root / build_name)
        meta = dataset.metadata(
            format="jsonl+gzip",
            build=build_name,
            file={
                "name": FILE_NAME,
                "bytes": size,
                "uncompressed_bytes": raw,
                "sha256": digest.hexdigest(),
            },
            counts={type_: counts[type_] for type_ in TYPES},
            records=sum(counts.values()),
            build_seconds=round((timezone.now() - started).total_seconds(), 1),
        )
        meta["generated_at"] = started.isoformat(timespec="seconds")
        _write_atomically(root / MANIFEST, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(root, keep={build_name, _previous_build(root, build_name)})
    return meta


def _snapshot_lines(counts):
    """The dump's lines (bytes), all read in one snapshot of the database: on PostgreSQL a
    read-only REPEATABLE READ transaction, so an edit saved meanwhile is either wholly in
    the dump or not at all (no citation of an event the dump does not hold)."""
    # Inside a transaction already (a test's), the snapshot is that transaction's.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for record in records(site_request()):
            counts[record["type"]] += 1
            yield (_encoder.encode(record) + "\n").encode()


def _write_atomically(path, text):
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _builds(root):
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _previous_build(root, name):
    earlier = [b for b in _builds(root) if b < name]
    return earlier[-1] if earlier else None


def _prune(root, keep):
    for name in _builds(root):
        if name not in keep:
            shutil.rmtree(root / name, ignore_errors=True)
