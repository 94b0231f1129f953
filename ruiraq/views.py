"""The public views both apps' list and detail pages are built on: a model's public records
through its FilterSet, and one public record by slug (with staff previews)."""

from django import forms
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from ruiraq import cite
from ruiraq.addresses import site_url
from ruiraq.form_renderer import PageSelect
from ruiraq.models import RecordChange, stable_order
from ruiraq.pagination import IdsFirstPaginator


class PublicListView(FilterView):
    """A public list: the model's public records through its FilterSet, paginated.

    A bad filter value renders the form with its error and a 400; a bad or out-of-range
    ``page`` is a 404 (Django's paginator). Subclasses name the related rows their template
    shows in ``get_queryset``, so a page costs the same number of queries at any size.
    """

    paginate_by = 20
    paginator_class = IdsFirstPaginator
    template_name_suffix = "_list"
    #: Filter fields that take an actor's name or slug: the page's script suggests actors.
    actor_slug_fields = ("actor", "party")

    def get_queryset(self):
        return self.model.objects.public()

    def paginate_queryset(self, queryset, page_size):
        # After the FilterSet's ordering (a reader's "order by title"), so ties are broken
        # the same way in every language and a record never moves between pages.
        return super().paginate_queryset(stable_order(queryset), page_size)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    #: The API's list of the same records (the same FilterSet), for the download links.
    api_route = None
    #: The largest page the API gives: the download links ask for it.
    api_page_size = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.api_route and not (self.filterset.is_bound and self.filterset.form.errors):
            context["downloads"] = self.downloads()
        if self.filterset.is_bound:
            offer_choices(self.filterset.form, self.request)
        return context

    def downloads(self):
        """[(format, url)]: the API's list filtered as this page is, as CSV and as JSON.

        The filters keep their names (one FilterSet serves both); the page's ``page`` is
        dropped for the API's largest page, whose Link header leads to the next ones.
        """
        query = self.request.GET.copy()
        query.pop("page", None)
        query["page_size"] = str(self.api_page_size)
        base = reverse(self.api_route)
        links = []
        for fmt in ("csv", "json"):
            query["format"] = fmt
            links.append((fmt.upper(), f"{base}?{query.urlencode()}"))
        return links

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        dress_filter_form(filterset.form)
        for name in self.actor_slug_fields:
            if name in filterset.form.fields:
                filterset.form.fields[name].widget.attrs.update(
                    {"data-suggest": reverse("actors:suggest"), "autocomplete": "off"}
                )
        return filterset


def offer_choices(form, request):
    """A filter value that fits several records (an "ambiguous" error with ``choices``,
    ``[(value, label)]``: a name several actors share) becomes links to the same page with
    each of them, shown under the field (``field.offered``), and a message for readers in
    place of the API's, which names slugs. Works without JavaScript."""
    for name, errors in form.errors.as_data().items():
        for error in errors:
            params = error.params or {}
            if error.code != "ambiguous" or not params.get("choices"):
                continue
            links = []
            for value, label in params["choices"]:
                query = request.GET.copy()
                query.pop("page", None)
                query[name] = value
                links.append((label, f"{request.path}?{query.urlencode()}"))
            form.fields[name].offered = links
            form.errors[name] = form.error_class(
                [_("“%(name)s” could mean several actors. Choose one:") % params]
            )


def dress_filter_form(form):
    """Reader-facing wording for a FilterSet's form; its fields and validation are unchanged.

    The FilterSets are shared with the API, so the page words its own empty choices ("Any"
    instead of "---------"), drops the label colons and sorts the choices of records by their
    names in the reader's language here rather than in filters.py.
    """
    form.label_suffix = ""
    for name, field in form.fields.items():
        empty = _("Default order") if name == "ordering" else _("Any")
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = empty
            if hasattr(field.queryset, "by_local_name"):
                # Topics listed by the names the reader sees, in their language's order.
                field.queryset = field.queryset.by_local_name()
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.widget.choices)
            if choices and choices[0][0] == "":
                field.widget.choices = [("", empty)] + [
                    (value, capfirst(label)) for value, label in choices[1:]
                ]
        if type(field.widget) is forms.Select:
            field.widget = _page_select(field)


def _page_select(field):
    """The field's select, written without the template engine (ruiraq.form_renderer.PageSelect).

    A model's choices are read here in one query: Django's ModelChoiceIterator reads them
    through ``iterator()``, a server-side cursor on PostgreSQL (three round trips).
    """
    widget = PageSelect(attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    if isinstance(field, forms.ModelChoiceField):
        choices = field.widget.choices  # the field's ModelChoiceIterator
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        widget.choices = [*empty, *(choices.choice(record) for record in field.queryset)]
    else:
        widget.choices = field.widget.choices
    return widget


class PublicDetailView(DetailView):
    """A public record by slug; anything not public is a 404.

    Staff who may change the model can preview an unpublished record: the page says so,
    asks search engines not to index it, and is never cached.
    """

    def get_queryset(self):
        if self._may_preview():
            return self.model._default_manager.all()
        return self.model.objects.public()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            survivor = self._survivor()
            if survivor is None:
                raise
            return HttpResponsePermanentRedirect(survivor.get_absolute_url())

    def _survivor(self):
        """The public record this slug's record was merged into, if any (a 301 leads there,
        so links and citations of the old page keep working). Two queries, on a 404 only."""
        found = RecordChange.objects.successor_of(
            self.model._meta.label_lower, slug=self.kwargs.get(self.slug_url_kwarg)
        )
        if found is None:
            return None
        return self.model.objects.public().filter(pk=found[0]).only("pk", "slug").first()

    def _may_preview(self):
        user = self.request.user
        opts = self.model._meta
        return user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    #: ``function(record, request)`` → the page's schema.org JSON-LD (a dict), or None.
    linked_data = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_public
        # What the page's "report an error" and corrections address it as (/report/<kind>/…).
        context["record_kind"] = self.model._meta.model_name
        # A preview is not for crawlers: no structured data about an unpublished record.
        if self.linked_data is not None and not context["preview"]:
            context["json_ld"] = self.linked_data(self.object, self.request)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["preview"]:
            add_never_cache_headers(response)
        return response


class CiteView(PublicDetailView):
    """A record's citation as a file for a reference manager, beside its page:
    ``<page>cite.bib`` (BibTeX), ``cite.ris`` (RIS) and ``cite.json`` (CSL-JSON), built by
    ruiraq.cite. Routed by each app with its model; one query (the record)."""

    def get(self, request, *args, **kwargs):
        if kwargs["format"] not in cite.DOWNLOADS:
            raise Http404("No such citation format.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {"preview": not self.object.is_public}

    def render_to_response(self, context, **response_kwargs):
        record = self.object
        data = cite.for_record(record, site_url(record.get_absolute_url()))
        text, content_type, filename = data.download(self.kwargs["format"])
        response = HttpResponse(text, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if context["preview"]:
            add_never_cache_headers(response)
        return response
