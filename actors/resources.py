"""Bulk import/export of actors (CSV, JSON): one row per actor, aliases in one cell."""

from import_export import fields

from actors.models import Actor, ActorAlias
from ruiraq.resources import EditorialResource

ALIAS_SEPARATOR = ";"


class ActorResource(EditorialResource):
    aliases = fields.Field(
        column_name="aliases", attribute=None, dehydrate_method="dehydrate_aliases"
    )

    class Meta:
        model = Actor
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "kind",
            "name",
            "name_ru",
            "name_ar",
            "country",
            "description",
            "description_ru",
            "description_ar",
            "wikidata_id",
            "status",
            "aliases",
            "version",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("aliases")

    def dehydrate_aliases(self, actor):
        return f"{ALIAS_SEPARATOR} ".join(alias.name for alias in actor.aliases.all())

    def _new_aliases(self, actor, row):
        """The row's aliases the actor does not have yet (one query for a saved actor)."""
        names = [n.strip()[:200] for n in str(row.get("aliases") or "").split(ALIAS_SEPARATOR)]
        known = set()
        if actor.pk is not None:
            known = {a.casefold() for a in actor.aliases.values_list("name", flat=True)}
        new = {}
        for name in filter(None, names):
            if name.casefold() not in known:
                new.setdefault(name.casefold(), name)
        return list(new.values())

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row that only adds aliases is a change, though no column of the actor changed.
        if self._new_aliases(instance, row):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        """Adds the aliases the row names that the actor does not have yet."""
        for name in self._new_aliases(instance, row):
            ActorAlias.objects.create(actor=instance, name=name)
