"""Admin forms of sources (the duplicate warning on URLs) and citations."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from articles.models import Citation, Event, Source
from ruiraq.forms import DuplicateWarningForm, VersionedFormMixin, conflict_error


class SourceForm(DuplicateWarningForm):
    compared_fields = ("url",)

    def similar_records(self, cleaned):
        return Source.objects.same_url(cleaned.get("url") or "")


class CitationForm(VersionedFormMixin, forms.ModelForm):
    """A citation on its own page: no lost updates, and a published record keeps its support."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stored = Citation.objects.filter(pk=self.instance.pk).first()
        if stored is None or stored.version != cleaned.get("version", stored.version):
            raise conflict_error(self.instance)
        moved = any(
            getattr(stored, f"{name}_id") != getattr(cleaned.get(name), "pk", None)
            for name in Citation.TARGETS
            if name in cleaned
        )
        if moved or cleaned.get("stance") != stored.stance:
            problems = Citation.unsupporting_removals([stored])
            if problems:
                raise ValidationError(problems)
        return cleaned


class RelatedEventsFormSet(BaseInlineFormSet):
    """An agreement's "related events" (the link rows of Event.agreements): every event
    whose link is added, changed or removed here gets a new version (Event.bump_versions),
    so an event page opened before refuses to save its stale list of agreements."""

    def save(self, commit=True):
        touched = set()
        for form in self.initial_forms:
            if form.has_changed() or self._should_delete_form(form):
                new = form.cleaned_data.get("event")
                touched |= {form.initial.get("event"), new.pk if new else None}
        saved = super().save(commit)
        touched |= {link.event_id for link in saved}
        Event.bump_versions(touched - {None})
        return saved
