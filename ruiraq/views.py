"""Views shared by both apps."""

from django.views.generic import DetailView
from django_filters.views import FilterView


class PublicListView(FilterView):
    """A public list: the model's public records through its FilterSet, paginated."""

    paginate_by = 20

    def get_queryset(self):
        return self.model.objects.public()


class PublicDetailView(DetailView):
    """A public record by slug; anything not public is a 404."""

    def get_queryset(self):
        return self.model.objects.public()
