from django.apps import apps
from django.core.management.base import BaseCommand

from ruiraq.search.documents import PendingDocument, SearchDocumentModel

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Rebuild every stored search document. Saves and deletes keep them current "
        "(ruiraq.search.documents); this is for rows changed behind the signals' back "
        "(queryset.update(), bulk_create, raw SQL, a restored dump). With --pending, only "
        "the documents edits left waiting because they reached too many records at once: "
        "run it every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only the documents edits left waiting (SEARCH_REFRESH_AT_ONCE).",
        )

    def handle(self, *args, pending, **options):
        if pending:
            self.stdout.write(f"  waiting documents: {PendingDocument.objects.refresh()} refreshed")
            return
        for model in apps.get_models():
            if not issubclass(model, SearchDocumentModel):
                continue
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            changed = sum(
                model.refresh_search_documents(pks[start : start + BATCH])
                for start in range(0, len(pks), BATCH)
            )
            self.stdout.write(
                f"  {model._meta.verbose_name_plural}: {changed} of {len(pks)} rebuilt"
            )
