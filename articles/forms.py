"""Admin forms of sources (the duplicate warning on URLs) and citations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.evidence import left_without_evidence
from articles.models import Citation, Event, Source
from ruiraq.forms import (
    DuplicateWarningForm,
    EvidenceConfirmationMixin,
    InlineFormSet,
    VersionedFormMixin,
    conflict_error,
)
from ruiraq.models import EvidenceWouldBeLost
from ruiraq.quotes import find_quote


class SourceForm(DuplicateWarningForm):
    compared_fields = ("url",)

    def similar_records(self, cleaned):
        return Source.objects.same_url(cleaned.get("url") or "")

    def clean_text(self):
        """A new or changed full text must still hold every quote already citing the source
        (ruiraq.quotes): one query, for a saved source whose text changed."""
        text = self.cleaned_data.get("text", "")
        if not text or self.instance.pk is None or "text" not in self.changed_data:
            return text
        missing = [
            citation.quote
            for citation in self.instance.citations.only("quote").order_by("pk")
            if find_quote(citation.quote, text) is None
        ]
        if missing:
            raise ValidationError(
                _(
                    "These quotes of this source do not stand in this text: %(quotes)s. Paste "
                    "the complete text, or correct those citations first."
                ),
                code="quotes_not_in_text",
                params={"quotes": "; ".join(f"“{quote[:80]}”" for quote in missing[:5])},
            )
        return text


class CitationForm(EvidenceConfirmationMixin, VersionedFormMixin, forms.ModelForm):
    """A citation on its own page: no lost updates, and a published record keeps its support
    (a new stance, source or record must not take its last evidence away: refused, or sent
    back to review when a reviewer confirms). ``editor`` is the user it serves."""

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stored = Citation.objects.filter(pk=self.instance.pk).first()
        if stored is None or stored.version != cleaned.get("version", stored.version):
            raise conflict_error(self.instance)
        edited = Citation(
            pk=stored.pk,
            stance=cleaned.get("stance", stored.stance),
            source=cleaned.get("source") or stored.source,
            **{
                name: cleaned.get(name) if name in cleaned else getattr(stored, name)
                for name in Citation.TARGETS
            },
        )
        lost = left_without_evidence(replaced=[edited])
        if lost:
            self.settle_lost_evidence(EvidenceWouldBeLost(lost))
        return cleaned


class RelatedEventsFormSet(InlineFormSet):
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
