from django.apps import AppConfig


class SeedConfig(AppConfig):
    """The seed dataset (seed.json, curated from the corpus) and ``manage.py load_seed``."""

    name = "ruiraq.seed"
    label = "ruiraq_seed"
    verbose_name = "ruiraq seed dataset"
