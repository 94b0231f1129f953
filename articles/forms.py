"""Admin forms of sources (the duplicate warning on URLs) and citations."""

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Citation, Source
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
