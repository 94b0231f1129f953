"""Django's admin, whose site opens on the editors' desk (ruiraq.site.admin_site).

A module of its own, apart from ruiraq/site/apps.py: two configs in one apps module would
leave Django to guess which one "ruiraq.site" means, and this one is loaded before any
model exists, so it imports nothing but the admin's config.
"""

from django.contrib.admin.apps import AdminConfig


class RuiraqAdminConfig(AdminConfig):
    default_site = "ruiraq.site.admin_site.EditorsDeskSite"
