from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actors.models import Actor, ActorAlias, Tie
from articles.admin import CitationInline


class AliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class TieInline(admin.TabularInline):
    model = Tie
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = [
        "kind",
        "title",
        "object",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "status",
    ]
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "status", "updated_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "name_ru", "name_ar", "aliases__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, TieInline, CitationInline]


@admin.register(Tie)
class TieAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["subject", "object"]
    search_fields = ["title", "subject__name", "object__name"]
    autocomplete_fields = ["subject", "object"]
    inlines = [CitationInline]
