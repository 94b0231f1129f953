"""The admin site, whose index is the editors' desk (ruiraq.site.desk) above the tables.

The site layer's, because the desk reads both apps; installed by ``RuiraqAdminConfig``
(settings.INSTALLED_APPS) in place of Django's own admin config, so ``admin.site`` is this.
"""

from django.contrib import admin

from ruiraq.site import desk


class EditorsDeskSite(admin.AdminSite):
    index_template = "admin/ruiraq/desk.html"

    def index(self, request, extra_context=None):
        return super().index(request, {**desk.desk(request.user), **(extra_context or {})})
