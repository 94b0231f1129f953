"""
The API's formats beyond JSON: CSV on every list, JSON Lines for the export.
"""

import csv
import io

from rest_framework import renderers

from ruiraq.spreadsheets import neutralise

# --- renderers --------------------------------------------------------------------------------


def _collect(value, keys):
    """The values at a dotted path, mapping over lists on the way."""
    if isinstance(value, list):
        return [found for item in value for found in _collect(item, keys)]
    if not keys:
        return [] if value is None else [value]
    if isinstance(value, dict):
        return _collect(value.get(keys[0]), keys[1:])
    return []


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CSVRenderer(renderers.BaseRenderer):
    """One flat row per record, with the columns the view names in ``csv_columns``.

    A column is a dotted path into the record's JSON ("when.start.date",
    "participants.actor.slug"); a path through a list gives its values joined by "; ", in
    the JSON's order, so parallel columns ("participants.actor.slug", "participants.role")
    line up. The header is the same on every page, empty ones included. A cell a
    spreadsheet would run as a formula starts with a single quote (ruiraq.spreadsheets).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    separator = "; "

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = list(getattr(view, "csv_columns", ()))
        rows = data.get("results", []) if isinstance(data, dict) else data or []
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    neutralise(
                        self.separator.join(_cell(v) for v in _collect(row, column.split(".")))
                    )
                    for column in columns
                ]
            )
        return buffer.getvalue().encode(self.charset)


class JSONLinesRenderer(renderers.BaseRenderer):
    """Names the export's media type for content negotiation; the export view streams it."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data) + b"\n"
