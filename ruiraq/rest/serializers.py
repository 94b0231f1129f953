"""
The base of the API's read-only serializers: DRF's representation, planned once per
serializer instead of worked out again for every field of every row.

DRF's ``Serializer.to_representation`` asks, for each field of each row, which fields are
readable, walks the field's source through ``fields.get_attribute`` (an ``isinstance`` of
``Mapping`` per step) and calls the field's ``to_representation`` even where that is
``str()`` of a ``str``. On a 50-row event list that is some 6,000 field visits, a third of the
request. Here the fields are read once into a plan (a getter and a converter per field), and
each row runs the plan. What comes out is DRF's representation, key for key:

- a field whose source is the row itself (``*``) is given the row, and one whose source is
  one plain attribute of the row reads it with ``attrgetter``; any other (dotted sources,
  defaults, fields with their own ``get_attribute``, a value that is callable, a missing
  attribute) goes through the field's own ``get_attribute``, as in DRF, ``SkipField`` and
  ``PKOnlyObject`` included; a row that is a mapping goes through DRF's own method;
- ``None`` stays ``None`` without the field's ``to_representation``, as in DRF;
- a ``CharField``'s ``str`` and an ``IntegerField``'s ``int`` are given as they are (the
  conversion would return an equal value); everything else goes through the field.
"""

import copy
from collections.abc import Mapping
from operator import attrgetter

from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, RelatedField

#: DRF's conversions that give a value of this type back unchanged (CharField's ``str()``,
#: which SlugField and URLField inherit; IntegerField's ``int()``).
_AS_IS = {
    drf_fields.CharField.to_representation: str,
    drf_fields.IntegerField.to_representation: int,
}


def _row(instance):
    return instance


def _reader(field):
    """How to read ``field``'s value from a row, when it reads the row itself (``source="*"``)
    or one plain attribute of it through DRF's own ``get_attribute`` with no default to fall
    back on; else None (the field's ``get_attribute`` is called)."""
    own = type(field).get_attribute
    if own is not drf_fields.Field.get_attribute and own is not RelatedField.get_attribute:
        return None
    if field.default is not drf_fields.empty:
        return None
    if not field.source_attrs:  # "*": DRF gives the row (a related field too, with no attrs)
        return _row
    if len(field.source_attrs) == 1 and own is drf_fields.Field.get_attribute:
        return attrgetter(field.source_attrs[0])
    return None


def _plan(serializer):
    """[(key, read, convert, as_is)]: how each readable field of ``serializer`` is given."""
    plan = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        read = _reader(field)
        as_is = _AS_IS.get(type(field).to_representation)
        plan.append((field.field_name, read, field, as_is))
    return plan


_MISS = object()


class PlannedRepresentationMixin:
    """DRF's ``to_representation``, run from a plan made on first use (see the module)."""

    def to_representation(self, instance):
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = _plan(self)
        ret = {}
        for key, read, field, as_is in plan:
            try:
                value = read(instance) if read is not None else _MISS
            except (AttributeError, KeyError):
                value = _MISS
            if value is _MISS or callable(value):
                # DRF's own reading: defaults, SkipField, callables, related fields.
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            if value is None:
                ret[key] = None
            elif type(value) is as_is:
                ret[key] = value
            else:
                ret[key] = field.to_representation(value)
        return ret


class ModelSerializer(PlannedRepresentationMixin, serializers.ModelSerializer):
    """A read-only ModelSerializer with the planned representation, whose fields are worked
    out from the model once per class.

    DRF's ``get_fields()`` inspects the model and builds each field again for every
    serializer it makes: 7 ms of each 50-row event list for its four serializers. Here the
    fields built the first time are kept, unbound, and each serializer gets a deep copy
    (which DRF makes of declared fields anyway): a third of the time. Only for serializers
    whose fields depend on nothing but their class, as every one of ruiraq's does.
    """

    def get_fields(self):
        cls = type(self)
        fields = cls.__dict__.get("_model_fields")
        if fields is None:
            fields = super().get_fields()
            cls._model_fields = fields
        return copy.deepcopy(fields)
