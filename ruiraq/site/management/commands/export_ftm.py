"""``manage.py export_ftm``: the published dataset as FollowTheMoney entities, one per line.

The same entities as /api/v1/export/ftm/ (ruiraq.site.ftm). Written to ``--output`` (with
a ``<output>.meta.json`` beside it: generation time, licence, counts) or to stdout.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ruiraq.site import dataset, ftm


class Command(BaseCommand):
    help = "Write every published record as FollowTheMoney entities (JSON Lines)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/",
            help="The public site's root, for the records' page addresses (sourceUrl).",
        )

    def handle(self, *args, output=None, base_url, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        counts = Counter()
        if output:
            path = Path(output)
            if not path.parent.is_dir():
                raise CommandError(f"No such folder: {path.parent}")
            stream = path.open("w", encoding="utf-8")
        else:
            stream = sys.stdout
        try:
            for entity in ftm.entities(base_url):
                counts[entity["schema"]] += 1
                stream.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")))
                stream.write("\n")
        finally:
            if output:
                stream.close()
        if output:
            meta = dataset.metadata(format="followthemoney", entities=dict(sorted(counts.items())))
            meta_path = path.with_name(path.name + ".meta.json")
            meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
            total = sum(counts.values())
            self.stderr.write(f"Wrote {total} entities to {path} (metadata: {meta_path}).")
