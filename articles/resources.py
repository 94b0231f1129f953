"""Bulk import/export of sources (CSV, JSON); the publication date as one fuzzy cell; the
full text (editors only) travels with them."""

from articles.models import Source
from ruiraq.resources import EditorialResource, FuzzyDateColumn


class SourceResource(EditorialResource):
    published = FuzzyDateColumn(
        "published", "published_date", "published_precision", column_name="published"
    )

    class Meta:
        model = Source
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "url",
            "archive_url",
            "outlet",
            "authors",
            "language",
            "kind",
            "published",
            "summary",
            "summary_ru",
            "summary_ar",
            "text",
            "status",
            "version",
        ]
        export_order = fields
