from django.apps import apps
from django.core.management.base import BaseCommand

from ruiraq.search.documents import SearchDocumentModel

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Rebuild every stored search document. Saves and deletes keep them current "
        "(ruiraq.search.documents); this is for rows changed behind the signals' back "
        "(queryset.update(), bulk_create, raw SQL, a restored dump)."
    )

    def handle(self, *args, **options):
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
