"""The reconciliation service's addresses, under /api/reconcile/ (namespace ``reconcile``)."""

from django.urls import path

from ruiraq.site import reconcile_views as views

app_name = "reconcile"

urlpatterns = [
    path("", views.ServiceView.as_view(), name="service"),
    path("suggest/entity", views.SuggestEntityView.as_view(), name="suggest-entity"),
    path("properties", views.ProposePropertiesView.as_view(), name="properties"),
    path("preview", views.preview, name="preview"),
]
