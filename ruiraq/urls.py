from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("actors.urls")),
    path("api/v1/", include("ruiraq.api_urls")),
]
