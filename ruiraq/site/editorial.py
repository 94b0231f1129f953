"""The pages about the editorial process: the corrections of public records (and their
feed: ruiraq.site.feeds), the About, methodology and licence pages, and the human sitemap."""

from django.conf import settings
from django.views.generic import ListView, TemplateView

from articles.models import Correction, Topic


class CorrectionListView(ListView):
    """Every correction of a public record, newest first, paginated (a bad or out-of-range
    ``page`` is a 404, as on every list).

    Queries: the count, the page of corrections with their records (one join each)."""

    template_name = "ruiraq/corrections.html"
    context_object_name = "corrections"
    paginate_by = 20

    def get_queryset(self):
        return Correction.objects.public().for_list()


class AboutPageView(TemplateView):
    """A page about ruiraq: it knows the editors' address and the data licence (settings)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            editors_email=settings.EDITORS_EMAIL,
            licence_name=settings.DATASET_LICENCE_NAME,
            licence_url=settings.DATASET_LICENCE_URL,
            **kwargs,
        )


class SitemapPageView(AboutPageView):
    """The sitemap for people: every section of the site and the topics (one query)."""

    template_name = "ruiraq/sitemap.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(topics=Topic.objects.tags(), **kwargs)
