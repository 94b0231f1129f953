from django.apps import AppConfig


class RuiraqConfig(AppConfig):
    """Site-wide pieces shared by both apps: editorial base model, dates, seed loading."""

    name = "ruiraq"
    verbose_name = "ruiraq"
