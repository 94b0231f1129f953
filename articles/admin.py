from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from import_export.formats.base_formats import JSON
from simple_history.admin import SimpleHistoryAdmin

from articles.evidence import left_without_evidence
from articles.forms import CitationForm, RelatedEventsFormSet, SourceForm
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Correction,
    ErrorReport,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from articles.resources import SourceResource
from ruiraq.admin import (
    EDITORIAL_FIELDSETS,
    STAMPS,
    CitationInlineBase,
    ConcurrentInlineMixin,
    CountryListFilter,
    EditorialAdmin,
    EditorialImportExportMixin,
    HostileInputMixin,
    IndexedValuesListFilter,
    PublishedYearListFilter,
    SelectedWithRowsMixin,
    SupportedListFilter,
    YearListFilter,
)
from ruiraq.forms import FormFactory, InlineForm
from ruiraq.models import EditorialModel, EvidenceWouldBeLost
from ruiraq.resources import CSV
from ruiraq.revisions.admin import ReviewedRowAdminMixin


class CitationInline(CitationInlineBase):
    model = Citation


class ParticipantInline(ConcurrentInlineMixin, admin.TabularInline):
    model = EventParticipant
    extra = 1
    autocomplete_fields = ["actor"]
    fields = ["actor", "role", "note", "version"]


class PartyInline(ConcurrentInlineMixin, admin.TabularInline):
    model = AgreementParty
    extra = 1
    autocomplete_fields = ["actor"]
    fields = ["actor", "role", "note", "version"]


class RelatedEventInline(SelectedWithRowsMixin, HostileInputMixin, admin.TabularInline):
    """The events an agreement was signed, discussed or carried out at (Event.agreements)."""

    model = Event.agreements.through
    form = InlineForm  # its rows' events are shown from the rows (SelectedWithRowsMixin)
    formset = RelatedEventsFormSet
    extra = 0
    autocomplete_fields = ["event"]
    verbose_name = _("related event")
    verbose_name_plural = _("related events")


@admin.register(Topic)
class TopicAdmin(HostileInputMixin, admin.ModelAdmin):
    list_display = ["name", "name_ru", "name_ar", "slug"]
    # Autocompletes show a topic in the editor's language: find it by any of its names.
    search_fields = ["name", "name_ru", "name_ar"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(EditorialImportExportMixin, EditorialAdmin):
    form = SourceForm
    resource_classes = [SourceResource]
    import_formats = [CSV, JSON]
    export_formats = [CSV, JSON]
    list_display = [
        "title",
        "outlet",
        "kind",
        "published_display",
        "language",
        "status",
        "citation_count",
    ]
    list_filter = [
        "status",
        "kind",
        ("language", IndexedValuesListFilter),
        PublishedYearListFilter,
    ]
    search_fields = ["title", "outlet", "authors", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["republishes", "translation_of"]
    readonly_fields = [*STAMPS, "cited_by", "cite_selection"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "url",
                    "not_a_duplicate",
                    "archive_url",
                    ("outlet", "authors"),
                    ("kind", "language"),
                    "published_date",
                    ("republishes", "translation_of"),
                    ("summary", "summary_ru", "summary_ar"),
                    "version",
                ]
            },
        ),
        (
            _("Full text (editors only)"),
            {
                "fields": ["text", "cite_selection"],
                "description": _(
                    "Never shown on the site or in the API. Quotes of this source are checked "
                    "against it; select a passage and cite it."
                ),
            },
        ),
        (_("What cites it"), {"fields": ["cited_by"]}),
        (_("Editorial"), {"fields": ["status", "confirm_demotion", "editorial_note"]}),
        *EDITORIAL_FIELDSETS[1:],
    ]

    class Media:
        # Selection in the full text → the citation add form, pre-filled (no inline script:
        # the admin runs under the same strict CSP as the site).
        js = ["ruiraq/admin/cite_selection.js"]

    @admin.display(description=_("cite a passage"))
    def cite_selection(self, obj):
        """The button the script wires: the citation add form, with this source chosen."""
        if obj is None or obj.pk is None:
            return _("Save the source first; then select a passage of its text to cite it.")
        add = f"{reverse('admin:articles_citation_add')}?source={obj.pk}"
        return format_html(
            '<a class="button cite-selection" href="{}" data-add-url="{}" hidden>{}</a>'
            '<span class="help cite-selection-help">{}</span>',
            add,
            add,
            _("Cite the selected passage"),
            _("Select a passage in the text above, then press the button."),
        )

    @admin.display(
        description=pgettext_lazy("column: when a source was published", "published"),
        ordering="published_date",
    )
    def published_display(self, obj):
        return obj.published.display() if obj.published else "–"

    @admin.display(description=_("records citing this source"))
    def cited_by(self, obj):
        """Every citation of this source with its record, and links to add more. One query."""
        if obj is None or obj.pk is None:
            return _("Save the source first; then add what it reports from here.")
        citations = obj.citations.select_related(
            "event", "agreement", "actor", "tie__subject", "tie__object"
        )
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({}, {}): “{}”</li>',
            (
                (
                    _admin_url(c.target),
                    c.target,
                    c.target._meta.verbose_name,
                    c.get_stance_display(),
                    c.quote[:120],
                )
                for c in citations
            ),
        )
        add = format_html_join(
            " · ",
            '<a class="addlink" href="{}?source={}">{}</a>',
            (
                (reverse(f"admin:articles_{name}_add"), obj.pk, label)
                for name, label in (
                    ("event", _("Add an event citing it")),
                    ("agreement", _("Add an agreement citing it")),
                    ("citation", _("Add a citation of it")),
                )
            ),
        )
        listing = format_html("<ul>{}</ul>", rows) if rows else _("Nothing cites it yet.")
        return format_html("{}<p>{}</p>", listing, add)


def _admin_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    list_display = [
        "title",
        "kind",
        "when",
        "event_status",
        "country",
        "status",
        "citation_count",
        "supporting_count",
    ]
    list_filter = [
        "status",
        "kind",
        "event_status",
        "topics",
        YearListFilter,
        ("country", CountryListFilter),  # by name, only the countries events have
        SupportedListFilter,
    ]
    search_fields = ["title", "title_ru", "title_ar", "summary", "place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "agreements"]
    inlines = [ParticipantInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title", "title_ru", "title_ar"),
                    ("kind", "event_status"),
                    ("start_date", "end_date"),
                    ("place", "place_ru", "place_ar"),
                    "country",
                    ("summary", "summary_ru", "summary_ar"),
                    "topics",
                    "agreements",
                    "version",
                ]
            },
        ),
        *EDITORIAL_FIELDSETS,
    ]


@admin.register(Agreement)
class AgreementAdmin(EditorialAdmin):
    list_display = [
        "title",
        "kind",
        "agreement_status",
        "when",
        "value_display",
        "status",
        "citation_count",
        "supporting_count",
    ]
    list_filter = [
        "status",
        "kind",
        "agreement_status",
        "topics",
        YearListFilter,
        SupportedListFilter,
    ]
    search_fields = ["title", "title_ru", "title_ar", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    inlines = [PartyInline, RelatedEventInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title", "title_ru", "title_ar"),
                    ("kind", "agreement_status"),
                    ("start_date", "end_date"),
                    ("value_qualifier", "value_amount", "value_currency"),
                    ("summary", "summary_ru", "summary_ar"),
                    "topics",
                    "version",
                ]
            },
        ),
        *EDITORIAL_FIELDSETS,
    ]

    @admin.display(description=_("value"), ordering="value_amount")
    def value_display(self, obj):
        return obj.value_display or "–"


@admin.register(Citation)
class CitationAdmin(ReviewedRowAdminMixin, HostileInputMixin, SimpleHistoryAdmin):
    form = CitationForm
    # An editor changes a published record's citations on the record's page (reviewed).
    reviewed_fields = Citation.TARGETS
    list_display = ["quote_excerpt", "source", "cited_record", "stance", "locator"]
    # The source kinds are a fixed list: no DISTINCT over every citation and its source.
    list_filter = ["stance", ("source__kind", admin.ChoicesFieldListFilter)]
    # The full count would be a second COUNT of every citation.
    show_full_result_count = False
    # Fetched for the page's rows only, one small query each: one query joining all seven
    # tables cost PostgreSQL 78 ms to plan (under load), more than running the rest.
    list_select_related = False
    search_fields = ["quote", "source__title"]
    autocomplete_fields = ["source", "event", "agreement", "actor", "tie"]
    fields = [
        "source",
        ("stance", "locator"),
        "quote",
        ("quote_ru", "quote_ar"),
        ("event", "agreement", "actor", "tie"),
        "note",
        "confirm_demotion",
        "version",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").endswith("_changelist"):
            return queryset  # the change form reads its one citation's relations itself
        targets = ("source", "event", "agreement", "actor", "tie__subject", "tie__object")
        return queryset.prefetch_related(*targets)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form, told who the editor is (a reviewer may confirm a change that takes a
        published record's last evidence away)."""
        return FormFactory(super().get_form(request, obj, change, **kwargs), editor=request.user)

    @admin.display(description=_("quote"))
    def quote_excerpt(self, obj):
        return obj.quote[:80]

    @admin.display(description=_("cites"))
    def cited_record(self, obj):
        target = obj.target
        if target is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> ({})', _admin_url(target), target, target._meta.verbose_name
        )

    def get_deleted_objects(self, objs, request):
        """Deleting a published record's last supporting citation is refused, naming the
        record; a reviewer is told instead that it goes back to review (delete_model)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        lost = left_without_evidence(removed=objs)
        if lost and EvidenceWouldBeLost.may_confirm(request.user, lost):
            deleted = [*deleted, *(_back_to_review_notice(record) for record in lost)]
        elif lost:
            protected = [*protected, *EvidenceWouldBeLost(lost).messages]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_queryset(request, Citation.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Deletes, sending the published records left without evidence back to review in
        the same transaction (only a reviewer gets this far: see get_deleted_objects)."""
        with transaction.atomic():
            citations = list(queryset)
            lost = left_without_evidence(removed=citations)
            if lost:
                EditorialModel.send_back_to_review(
                    lost, request.user, reason="its last supporting citation was deleted"
                )
            for citation in citations:
                citation.delete()


def _back_to_review_notice(record):
    return _(
        "The %(kind)s “%(record)s” goes back to review: it loses its last supporting "
        "citation from a published source."
    ) % {"kind": record._meta.verbose_name, "record": record}


# --- the editorial record: corrections, and readers' error reports ---------------------------


def _record_links(record):
    """The record, linked to its admin page, with its kind and a link to its public page."""
    if record is None:
        return "–"
    return format_html(
        '<a href="{}">{}</a> ({}) · <a href="{}">{}</a>',
        _admin_url(record),
        record,
        record._meta.verbose_name,
        record.get_absolute_url(),
        _("page"),
    )


@admin.register(Correction)
class CorrectionAdmin(HostileInputMixin, admin.ModelAdmin):
    """Corrections are made on the record's own form ("This edit corrects an error"); here
    their public wording can be fixed, or (reviewers) one made by mistake deleted."""

    list_display = ["corrected_at", "record_link", "note", "editor"]
    list_select_related = [*Correction.RECORDS, "editor"]
    list_per_page = 50
    search_fields = ["note"]
    fields = ["record_link", "corrected_at", "editor", "note"]
    readonly_fields = ["record_link", "corrected_at", "editor"]
    date_hierarchy = "corrected_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("record"))
    def record_link(self, obj):
        return _record_links(obj.record)


class HandledListFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("open")), ("handled", _("handled"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "handled":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(ErrorReport)
class ErrorReportAdmin(HostileInputMixin, admin.ModelAdmin):
    """The queue of errors readers reported: what they wrote is shown here only."""

    list_display = ["created_at", "record_link", "message_excerpt", "email", "handled"]
    list_filter = [HandledListFilter]
    list_select_related = [*ErrorReport.RECORDS, "handled_by"]
    list_per_page = 50
    search_fields = ["message", "email"]
    fields = ["record_link", "created_at", "message", "email", "handled_at", "handled_by"]
    readonly_fields = fields
    actions = ["mark_handled", "reopen"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("record"))
    def record_link(self, obj):
        return _record_links(obj.record)

    @admin.display(description=_("message"))
    def message_excerpt(self, obj):
        return obj.message[:120]

    @admin.display(description=_("handled"), boolean=True, ordering="handled_at")
    def handled(self, obj):
        return obj.is_handled

    @admin.action(description=_("Mark selected reports as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.open().update(handled_at=timezone.now(), handled_by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d report marked as handled.", "%(count)d reports marked as handled.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reopen selected reports"), permissions=["change"])
    def reopen(self, request, queryset):
        count = queryset.filter(handled_at__isnull=False).update(handled_at=None, handled_by=None)
        self.message_user(
            request,
            ngettext("%(count)d report reopened.", "%(count)d reports reopened.", count)
            % {"count": count},
            messages.SUCCESS,
        )
