from django.contrib import admin
from django.urls import include, path

from ruiraq.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
    path("", include("actors.urls")),
]
