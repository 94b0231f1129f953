from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Source,
    Topic,
)


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "locator", "stance", "note"]


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 1
    autocomplete_fields = ["actor"]


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 1
    autocomplete_fields = ["actor"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "kind", "published_date", "status"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["title", "outlet", "authors", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["republishes", "translation_of"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start_date", "event_status", "status"]
    list_filter = ["status", "kind", "event_status", "topics"]
    search_fields = ["title", "summary", "place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "agreements"]
    inlines = [ParticipantInline, CitationInline]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "agreement_status", "start_date", "status"]
    list_filter = ["status", "kind", "agreement_status", "topics"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    inlines = [PartyInline, CitationInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "stance", "locator"]
    list_filter = ["stance"]
    list_select_related = ["source"]
    search_fields = ["quote", "source__title"]
    autocomplete_fields = ["source", "event", "agreement", "actor", "tie"]
