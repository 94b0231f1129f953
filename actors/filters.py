"""The FilterSet behind the public actor list and the API's actor list, and the filter by
actor that the event and agreement FilterSets share."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorKind
from ruiraq.filters import CountryFilter, LocalOrderingFilter, SearchFilter, UpdatedSinceFilter


class ActorNameField(forms.CharField):
    """An actor given by its slug or by a name in any script (English, Russian, Arabic, an
    alias), folded as search folds: "sergey-lavrov", "Lavrov", "лавров", "لافروف".

    Cleans to the public actor meant. A name that fits none is an error (code "unknown");
    one that fits several is an error (code "ambiguous") whose ``choices`` param lists them
    as ``(slug, name in the reader's language)``, so a page can offer them as links and the
    API names their slugs.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = Actor.objects.public().named(value)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("No actor is called “%(name)s”. Check the spelling, or try another name."),
                code="unknown",
                params={"name": value},
            )
        raise ValidationError(
            _("“%(name)s” could mean several actors: %(candidates)s. Give one of their slugs."),
            code="ambiguous",
            params={
                "name": value,
                "candidates": ", ".join(actor.slug for actor in found),
                "choices": [(actor.slug, actor.display_name) for actor in found],
            },
        )


class ActorNameFilter(django_filters.Filter):
    """Records an actor takes part in (``field_name``: the lookup to the actor), the actor
    given by slug or name (ActorNameField). The actor is looked up first (one or two
    queries), so a name that fits no actor or several is an error, never an empty list."""

    field_class = ActorNameField

    def filter(self, qs, value):
        if value is None:
            return qs
        # distinct(): an actor may hold two roles in one record.
        return qs.filter(**{self.field_name: value}).distinct()


class ActorFilter(django_filters.FilterSet):
    search = SearchFilter()
    updated_since = UpdatedSinceFilter()
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices, label=_("Kind"))
    country = CountryFilter(field_name="country", help_text=_("The country it belongs to."))
    #: "name" sorts by the name the reader sees (ruiraq.filters.LocalOrderingFilter).
    ordering = LocalOrderingFilter(
        local=("name",),
        fields=(("name", "name"), ("kind", "kind")),
        field_labels={"name": _("Name"), "kind": _("Kind")},
        label=_("Order by"),
    )

    class Meta:
        model = Actor
        fields = []
