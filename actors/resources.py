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
            "wikidata_id",
            "status",
            "aliases",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("aliases")

    def dehydrate_aliases(self, actor):
        return f"{ALIAS_SEPARATOR} ".join(alias.name for alias in actor.aliases.all())

    def after_save_instance(self, instance, row, **kwargs):
        """Adds the aliases the row names that the actor does not have yet."""
        names = [n.strip() for n in str(row.get("aliases") or "").split(ALIAS_SEPARATOR)]
        known = {a.casefold() for a in instance.aliases.values_list("name", flat=True)}
        for name in filter(None, names):
            if name.casefold() not in known:
                ActorAlias.objects.create(actor=instance, name=name[:200])
                known.add(name.casefold())
