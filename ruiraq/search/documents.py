"""
The stored search document of a searchable model: two columns of folded text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ruiraq.search.folding import document


class SearchDocumentModel(models.Model):
    """Abstract base of a searchable model: its stored, folded search document.

    A subclass says what goes in through ``_search_parts(related)`` (its own fields, plus the
    texts of related rows) and, if it uses related rows, ``_search_related(pks)``. The
    related models keep it current by calling ``refresh_search_documents`` when they change.
    """

    search_title = models.TextField(
        _("search title"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded names or title, matched by search."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Derived: the folded descriptive text and quotes, matched by search."),
    )

    #: What the document is made of, for history's ``excluded_fields``: derived, not edited.
    SEARCH_FIELDS = ["search_title", "search_text"]

    class Meta:
        abstract = True

    def _search_parts(self, related):
        """``(title parts, text parts)`` of this record; ``related`` from _search_related."""
        raise NotImplementedError

    @classmethod
    def _search_related(cls, pks):
        """``{pk: [text, …]}``: texts of related rows that belong in the documents of ``pks``."""
        return {}

    def set_search_document(self, related=()):
        """Derive the document from this row's fields and ``related`` texts (no query)."""
        title, text = self._search_parts(list(related))
        self.search_title = document(title)
        self.search_text = document(text)

    def save(self, *args, **kwargs):
        """Derives the search document first; for a saved record that queries its related rows."""
        related = self._search_related([self.pk]).get(self.pk, ()) if self.pk else ()
        self.set_search_document(related)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SEARCH_FIELDS}
        return super().save(*args, **kwargs)

    @classmethod
    def refresh_search_documents(cls, pks):
        """Rebuild the documents of records ``pks`` after their related rows changed.

        Two queries, plus one UPDATE for the documents that differ; history is not touched.
        Returns how many documents changed.
        """
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return 0
        related = cls._search_related(pks)
        changed = []
        for obj in cls._default_manager.filter(pk__in=pks):
            before = (obj.search_title, obj.search_text)
            obj.set_search_document(related.get(obj.pk, ()))
            if (obj.search_title, obj.search_text) != before:
                changed.append(obj)
        if changed:
            cls._default_manager.bulk_update(changed, cls.SEARCH_FIELDS, batch_size=500)
        return len(changed)


def group_pairs(pairs):
    """``[(key, value), …]`` → ``{key: [value, …]}`` (the shape _search_related returns)."""
    grouped = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped
