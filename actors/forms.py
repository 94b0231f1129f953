"""Admin forms of actors: the duplicate warning on names."""

from actors.models import Actor
from ruiraq.forms import DuplicateWarningForm


class ActorForm(DuplicateWarningForm):
    compared_fields = ("name", "name_ru", "name_ar")

    def similar_records(self, cleaned):
        names = [cleaned.get(field) for field in self.compared_fields]
        return Actor.objects.similar_to(*filter(None, names))
