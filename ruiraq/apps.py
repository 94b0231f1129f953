from django.apps import AppConfig


class RuiraqConfig(AppConfig):
    """Site-wide pieces shared by both apps: editorial base model, dates, seed loading."""

    name = "ruiraq"
    verbose_name = "ruiraq"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from ruiraq import changelog
        from ruiraq.cache import invalidate
        from ruiraq.models import EditorialModel, SluggedModel, install_published_counts
        from ruiraq.search import documents

        # Any change to what the public may see empties the public cache (ruiraq.cache).
        for app_label in ("actors", "articles"):
            for model in apps.get_app_config(app_label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                uid = f"ruiraq-cache-{model._meta.label}"
                post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-delete")
                for field in model._meta.local_many_to_many:
                    m2m_changed.connect(
                        invalidate,
                        sender=field.remote_field.through,
                        dispatch_uid=f"{uid}-{field.name}",
                    )

        # Search documents that read other rows (an event's quotes, an actor's aliases) are
        # refreshed when those rows change: each model declares what it reads
        # (search_dependencies), wired here once (ruiraq.search.documents).
        documents.connect(apps.get_models())

        # Public records that leave the public are noted for /api/v1/changes/.
        changelog.connect(
            model
            for app_label in ("actors", "articles")
            for model in apps.get_app_config(app_label).get_models()
            if issubclass(model, EditorialModel) and issubclass(model, SluggedModel)
        )

        # The published records' counts and the triggers that keep them (ruiraq.counts),
        # after every migrate: once, whichever apps it migrated.
        post_migrate.connect(
            install_published_counts, sender=self, dispatch_uid="ruiraq-published-counts"
        )
