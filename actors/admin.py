from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import JSON

from actors.forms import ActorForm
from actors.models import Actor, ActorAlias, Tie
from actors.resources import ActorResource
from articles.admin import CitationInline
from ruiraq.admin import (
    EDITORIAL_FIELDSETS,
    STAMPS,
    ConcurrentInlineMixin,
    CountryListFilter,
    EditorialAdmin,
    EditorialImportExportMixin,
    SupportedListFilter,
    YearListFilter,
)
from ruiraq.resources import CSV
from ruiraq.revisions.admin import ReviewedInlineMixin

#: What Actor.merge_into moves, as the merge message names it.
_MOVED = {
    "participations": _("event participations"),
    "parties": _("agreement parties"),
    "ties": _("ties"),
    "citations": _("citations"),
    "aliases": _("aliases"),
}


class AliasInline(ConcurrentInlineMixin, admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ["name", "language", "kind", "version"]


class TieInline(ReviewedInlineMixin, ConcurrentInlineMixin, admin.TabularInline):
    """Ties this actor holds. Their status is changed on the tie's own page (by a reviewer);
    a published tie is changed there too when the actor is not published (by review)."""

    model = Tie
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = [
        "kind",
        "title",
        "title_ru",
        "title_ar",
        "object",
        "start_date",
        "end_date",
        "status",
        "version",
    ]
    readonly_fields = ["status"]
    show_change_link = True
    verbose_name = _("tie held")
    verbose_name_plural = _("ties held (positions, memberships, …)")


class IncomingTieInline(TieInline):
    fk_name = "object"
    autocomplete_fields = ["subject"]
    fields = [
        "subject",
        "kind",
        "title",
        "title_ru",
        "title_ar",
        "start_date",
        "end_date",
        "status",
        "version",
    ]
    verbose_name = _("tie to this actor")
    verbose_name_plural = _("ties to this actor (its office holders, members, …)")


@admin.register(Actor)
class ActorAdmin(EditorialImportExportMixin, EditorialAdmin):
    form = ActorForm
    resource_classes = [ActorResource]
    import_formats = [CSV, JSON]
    export_formats = [CSV, JSON]
    list_display = [
        "name",
        "kind",
        "country",
        "status",
        "citation_count",
        "supporting_count",
        "updated_at",
    ]
    # Countries by name, only those actors have (not all 249).
    list_filter = ["status", "kind", ("country", CountryListFilter), SupportedListFilter]
    search_fields = ["name", "name_ru", "name_ar", "aliases__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, TieInline, IncomingTieInline, CitationInline]
    actions = [*EditorialAdmin.actions, "merge_actors"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "kind"),
                    ("name_ru", "name_ar"),
                    "not_a_duplicate",
                    ("country", "wikidata_id"),
                    ("description", "description_ru", "description_ar"),
                    "version",
                ]
            },
        ),
        *EDITORIAL_FIELDSETS,
    ]

    def has_merge_permission(self, request):
        """Merging changes one actor and deletes the others."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge selected actors into one…"), permissions=["merge"])
    def merge_actors(self, request, queryset):
        """Asks which actor survives, then folds the others into it (Actor.merge_into).

        All or nothing: a merge the publishing rule refuses is undone and reported.
        """
        if not self.has_merge_permission(request):
            # The changelist offers the action only to those who may; a direct call is refused.
            self.message_user(request, _("Only reviewers merge actors."), messages.ERROR)
            return None
        actors = list(queryset.order_by("name"))
        if len(actors) < 2:
            self.message_user(request, _("Select at least two actors to merge."), messages.ERROR)
            return None
        survivor_pk = request.POST.get("survivor", "")
        survivor = next((a for a in actors if str(a.pk) == survivor_pk), None)
        if "apply" in request.POST and survivor is not None:
            try:
                with transaction.atomic():
                    moved = [a.merge_into(survivor, request.user) for a in actors if a != survivor]
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("Nothing was merged: %(reasons)s") % {"reasons": " ".join(exc.messages)},
                    messages.ERROR,
                )
                return None
            totals = {k: sum(m[k] for m in moved) for k in moved[0]}
            self.message_user(
                request,
                _("Merged %(count)d actors into “%(name)s”; moved: %(moved)s.")
                % {
                    "count": len(moved),
                    "name": survivor,
                    "moved": ", ".join(f"{n} {_MOVED[k]}" for k, n in totals.items()),
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge actors"),
            "opts": self.model._meta,
            "actors": actors,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "missing_choice": "apply" in request.POST,
        }
        return TemplateResponse(request, "admin/actors/actor/merge.html", context)


@admin.register(Tie)
class TieAdmin(EditorialAdmin):
    list_display = ["__str__", "kind", "when", "status", "citation_count", "supporting_count"]
    list_filter = ["status", "kind", YearListFilter, SupportedListFilter]
    search_fields = ["title", "subject__name", "object__name"]
    autocomplete_fields = ["subject", "object"]
    inlines = [CitationInline]
    readonly_fields = STAMPS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "subject",
                    "kind",
                    ("title", "title_ru", "title_ar"),
                    "object",
                    ("start_date", "end_date"),
                    "version",
                ]
            },
        ),
        (_("Editorial"), {"fields": ["status", "editorial_note"]}),
        (_("Record"), {"fields": list(STAMPS), "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # A tie is named by its two actors everywhere: its page's title and actor fields
        # (EditorialForm takes them from the tie), the changelist and the autocomplete.
        return super().get_queryset(request).select_related("subject", "object")
