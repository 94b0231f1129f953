from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer above both apps, registered for its management commands
    (``manage.py export_ftm``); it has no models."""

    name = "ruiraq.site"
    label = "ruiraq_site"
    verbose_name = "ruiraq site"
