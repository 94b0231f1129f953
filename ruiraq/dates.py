"""
Fuzzy dates: a date known to the day, the month or only the year.

Storage. A fuzzy date is two columns on its model: a ``DateField`` holding the first day of
the period it names ("March 2019" is stored as 2019-03-01, "2014" as 2014-01-01) and a
``<name>_precision`` column holding ``day``, ``month`` or ``year``. Sorting and filtering use
the date column as it is; the precision only says how much of it is known. ``normalise()``
puts the date on the first day of its period, so two records that both say "2014" compare
equal. Models build their fuzzy dates with ``FuzzyDate(...)``/``FuzzySpan(...)`` and render
them through ``FuzzySpan.display()`` (or the ``fuzzy`` template filter, which calls it): that
is the one rendering used by the templates, the admin and the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


_EN_DASH = "\u2013"


def normalise(date: dt.date | None, precision: str) -> dt.date | None:
    """Move ``date`` to the first day of the period its precision names."""
    if date is None:
        return None
    if precision == Precision.YEAR:
        return date.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return date.replace(day=1)
    return date


@dataclass(frozen=True)
class FuzzyDate:
    date: dt.date
    precision: str = Precision.DAY

    def __post_init__(self):
        if self.precision not in Precision.values:
            raise ValueError(f"unknown precision {self.precision!r}")
        object.__setattr__(self, "date", normalise(self.date, self.precision))

    @property
    def _month(self):
        return str(MONTHS[self.date.month])

    def display(self) -> str:
        if self.precision == Precision.YEAR:
            return str(self.date.year)
        if self.precision == Precision.MONTH:
            return f"{self._month} {self.date.year}"
        return f"{self.date.day} {self._month} {self.date.year}"

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "precision": str(self.precision),
            "display": self.display(),
        }

    def __str__(self):
        return self.display()


@dataclass(frozen=True)
class FuzzySpan:
    """A fuzzy start with an optional fuzzy end; either may be unknown (``None``)."""

    start: FuzzyDate | None
    end: FuzzyDate | None = None

    @classmethod
    def from_fields(cls, start, start_precision, end=None, end_precision=None):
        return cls(
            FuzzyDate(start, start_precision) if start else None,
            FuzzyDate(end, end_precision or Precision.DAY) if end else None,
        )

    def __bool__(self):
        return self.start is not None or self.end is not None

    def display(self) -> str:
        start, end = self.start, self.end
        if start is None and end is None:
            return ""
        if end is None or end == start:
            return start.display()
        if start is None:
            return f"{_EN_DASH} {end.display()}"
        same_precision = start.precision == end.precision
        a, b = start.date, end.date
        if same_precision and start.precision == Precision.YEAR:
            return f"{a.year}{_EN_DASH}{b.year}"
        if same_precision and start.precision == Precision.DAY and a.year == b.year:
            if a.month == b.month:
                return f"{a.day}{_EN_DASH}{b.day} {end._month} {b.year}"
            return f"{a.day} {start._month} {_EN_DASH} {end.display()}"
        if same_precision and start.precision == Precision.MONTH and a.year == b.year:
            return f"{start._month} {_EN_DASH} {end.display()}"
        return f"{start.display()} {_EN_DASH} {end.display()}"

    def __str__(self):
        return self.display()
