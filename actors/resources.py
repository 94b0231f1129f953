"""Bulk import/export of actors (CSV, JSON): one row per actor, aliases in one cell."""

from import_export import fields

from actors.models import Actor, ActorAlias
from ruiraq import bulk
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

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("aliases")

    def before_import(self, dataset, **kwargs):
        """Reads the stored aliases of every actor the file names: one query."""
        super().before_import(dataset, **kwargs)
        stored = ActorAlias.objects.filter(actor__slug__in=self._file_slugs).order_by("pk")
        self._stored_aliases = {}
        for actor_id, name in stored.values_list("actor_id", "name"):
            self._stored_aliases.setdefault(actor_id, []).append(name)

    def dehydrate_aliases(self, actor):
        if hasattr(self, "_stored_aliases"):  # importing: no query per row
            names = self._stored_aliases.get(actor.pk, []) if actor.pk else []
            names = names + getattr(actor, "_import_aliases", [])
        else:
            names = [alias.name for alias in actor.aliases.all()]
        return f"{ALIAS_SEPARATOR} ".join(names)

    def _new_aliases(self, actor, row):
        """The row's aliases the actor does not have yet (from the aliases read at the start)."""
        names = [n.strip()[:200] for n in str(row.get("aliases") or "").split(ALIAS_SEPARATOR)]
        known = set()
        if actor.pk is not None:
            known = {name.casefold() for name in self._stored_aliases.get(actor.pk, ())}
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

    def before_save_instance(self, instance, row, **kwargs):
        instance._import_aliases = self._new_aliases(instance, row)

    def related_texts(self, instances):
        # A new actor's document reads its aliases (Actor._search_related): those of its row.
        return {id(actor): actor._import_aliases for actor in instances}

    def _create_aliases(self, actors):
        aliases = [
            ActorAlias(actor=actor, name=name)
            for actor in actors
            for name in getattr(actor, "_import_aliases", ())
        ]
        bulk.insert(ActorAlias, aliases, user=self._user)
        for actor in actors:
            if actor.pk is not None:
                stored = self._stored_aliases.setdefault(actor.pk, [])
                stored += actor.__dict__.pop("_import_aliases", [])

    def after_bulk_create(self, instances):
        self._create_aliases(instances)

    def before_bulk_update(self, instances):
        self._create_aliases(instances)
