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


# --- parsing what an editor types -----------------------------------------------------------

_ENGLISH_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NAMES = {
    **{name: n for n, name in enumerate(_ENGLISH_MONTHS, 1)},
    **{name[:3]: n for n, name in enumerate(_ENGLISH_MONTHS, 1)},
    "sept": 9,
}


def _read(raw):
    """(year, month, day, precision) as written in ``raw``, or None if it is no date form."""
    words = raw.lower().split()
    if raw.isdigit() and len(raw) == 4:
        return int(raw), 1, 1, Precision.YEAR
    if len(words) == 1:
        parts = raw.replace("/", "-").replace(".", "-").split("-")
        if not all(p.isdigit() for p in parts):
            return None
        numbers = [int(p) for p in parts]
        if len(numbers) == 2:  # 2019-03 or 03/2019: the four-digit number is the year
            year, month = numbers if len(parts[0]) == 4 else reversed(numbers)
            return year, month, 1, Precision.MONTH
        if len(numbers) == 3 and len(parts[0]) == 4:  # ISO: 2019-01-29
            return *numbers, Precision.DAY
        if len(numbers) == 3 and "/" in raw:
            raise ValueError(
                _(
                    "Write the month as a word or as 2019-01-29: 01/02/2019 is 1 February in "
                    "Europe and 2 January in the United States."
                )
            )
        if len(numbers) == 3:  # 29.01.2019, as Russian and Iraqi sources write it
            day, month, year = numbers
            return year, month, day, Precision.DAY
        return None
    months = [_MONTH_NAMES[w.rstrip(".")] for w in words if w.rstrip(".") in _MONTH_NAMES]
    numbers = [w for w in words if w.isdigit()]
    if len(months) != 1 or len(words) != len(numbers) + 1:
        return None
    years = [int(n) for n in numbers if len(n) == 4]
    days = [int(n) for n in numbers if len(n) <= 2]
    if len(years) == 1 and not days and len(numbers) == 1:
        return years[0], months[0], 1, Precision.MONTH
    if len(years) == 1 and len(days) == 1 and len(numbers) == 2:
        return years[0], months[0], days[0], Precision.DAY
    return None


def parse_fuzzy(text: str) -> FuzzyDate | None:
    """Read a fuzzy date as an editor types it; the precision follows from what is given.

    "2014" → the year; "2019-03", "03/2019", "March 2019", "Mar 2019" → the month;
    "2019-01-29", "29.01.2019", "29 January 2019", "January 29, 2019" → the day. Empty text
    is ``None``; anything else raises ``ValueError`` with a message for the editor.
    """
    raw = " ".join((text or "").replace(",", " ").split())
    if not raw:
        return None
    parsed = _read(raw)
    if parsed is None:
        raise ValueError(
            _(
                "Could not read “%(text)s” as a date: type a year (2014), a month "
                "(March 2019) or a day (29 January 2019)."
            )
            % {"text": raw}
        )
    year, month, day, precision = parsed
    try:
        return FuzzyDate(dt.date(year, month, day), precision)
    except ValueError:
        raise ValueError(_("“%(text)s” is not a date that exists.") % {"text": raw}) from None
