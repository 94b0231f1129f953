"""
Fuzzy dates: a date known to the day, the month or only the year.

Storage. A fuzzy date is two columns on its model: a ``DateField`` holding the first day of
the period it names ("March 2019" is stored as 2019-03-01, "2014" as 2014-01-01) and a
``<name>_precision`` column holding ``day``, ``month`` or ``year``. Sorting and filtering use
the date column as it is; the precision only says how much of it is known. ``normalise()``
puts the date on the first day of its period, so two records that both say "2014" compare
equal.

Rendering. ``FuzzyDate.display()`` and ``FuzzySpan.display()`` are the one rendering, used by
the templates (the ``fuzzy`` filter), the admin and the API, in the active language:

- English: "2014", "March 2019", "29 January 2019", "29–30 January 2019",
  "May 2018 – March 2019".
- Russian: "2014 г.", "март 2019 г." (nominative for a month alone), "29 января 2019 г."
  (genitive after a day), "29–30 января 2019 г.", "2014–2015 гг.", "май 2018 г. — март
  2019 г.". As Russian typesetting has it, a no-break space keeps "г." with its year and a
  day with its month, and a spaced em dash (not the en dash) joins two dates.
- Arabic: the month names used in Iraq and the Levant (كانون الثاني for January, not يناير),
  with Western digits, as Iraqi news sites and the sources ruiraq cites write dates, so that
  numbers read the same in every language and stay searchable: "29–30 كانون الثاني 2019".
- A span with neither end known: the words of ``ruiraq.typography.not_known`` ("Date not
  known"), the same everywhere a date is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruiraq.typography import not_known


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


#: The precisions' values, asked for every FuzzyDate made (``Precision.values`` builds a new
#: list on each call, and a 10,000-row import makes 10,000 dates).
_PRECISIONS = frozenset(Precision.values)

_DASH = "\u2013"  # en dash: between numbers ("29–30"), spaced between phrases
_NBSP = "\u00a0"


def normalise(date: dt.date | None, precision: str) -> dt.date | None:
    """Move ``date`` to the first day of the period its precision names."""
    if date is None:
        return None
    if precision == Precision.YEAR:
        return date.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return date.replace(day=1)
    return date


#: The English month names, also for the citation styles' own dates (ruiraq.cite).
ENGLISH_MONTHS = tuple(
    "January February March April May June July August September October November December".split()
)


class _English:
    months = ENGLISH_MONTHS

    def month(self, date):
        """A month standing alone: "March"."""
        return self.months[date.month - 1]

    def day_month(self, date):
        """A month after a day number: "29 January" (Russian needs the genitive here)."""
        return f"{date.day} {self.months[date.month - 1]}"

    def with_year(self, text, year):
        return f"{text} {year}" if text else str(year)

    def years(self, a, b):
        return f"{a}{_DASH}{b}"

    #: Between two dates that are phrases ("May 2018 – March 2019").
    between = f" {_DASH} "


class _Russian(_English):
    months = (
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
    ).split()
    months_genitive = (
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ).split()

    def day_month(self, date):
        return f"{date.day}{_NBSP}{self.months_genitive[date.month - 1]}"

    def with_year(self, text, year):
        return f"{text} {year}{_NBSP}г." if text else f"{year}{_NBSP}г."

    def years(self, a, b):
        return f"{a}{_DASH}{b}{_NBSP}гг."

    between = f"{_NBSP}\u2014 "  # em dash, held to the first date


class _Arabic(_English):
    months = [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ]


_FORMATS = {"en": _English(), "ru": _Russian(), "ar": _Arabic()}


def _format(language=None):
    code = (language or get_language() or "en").split("-")[0]
    return _FORMATS.get(code, _FORMATS["en"])


def month_names(language=None) -> list[str]:
    """The months standing alone, January first, in ``language`` (default: the active one)."""
    return list(_format(language).months)


@dataclass(frozen=True)
class FuzzyDate:
    date: dt.date
    precision: str = Precision.DAY

    def __post_init__(self):
        if self.precision not in _PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        object.__setattr__(self, "date", normalise(self.date, self.precision))

    def _without_year(self, fmt):
        if self.precision == Precision.YEAR:
            return ""
        if self.precision == Precision.MONTH:
            return fmt.month(self.date)
        return fmt.day_month(self.date)

    def display(self, language=None) -> str:
        fmt = _format(language)
        return fmt.with_year(self._without_year(fmt), self.date.year)

    def iso(self) -> str:
        """ISO 8601 at the known precision: "2014", "2019-03" or "2019-01-29" (the form
        schema.org and FollowTheMoney take for a partial date)."""
        if self.precision == Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def last_day(self) -> dt.date:
        """The last day of the period it names ("March 2019": 31 March 2019): a picture
        draws a fuzzy date from ``date`` to here, so it never invents a day."""
        if self.precision == Precision.YEAR:
            return self.date.replace(month=12, day=31)
        if self.precision == Precision.MONTH:
            following = (self.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return self.date

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "precision": str(self.precision),
            "display": self.display("en"),
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

    def bounds(self) -> tuple[dt.date, dt.date] | None:
        """(first day, last day) the span can cover, each end at its own precision; None
        without a start (an undated record has no place on a time axis)."""
        if self.start is None:
            return None
        last = (self.end or self.start).last_day
        return self.start.date, max(last, self.start.last_day)

    def display(self, language=None) -> str:
        fmt = _format(language)
        start, end = self.start, self.end
        if start is None and end is None:
            return not_known("date", language)
        if end is None or end == start:
            return start.display(language)
        if start is None:
            return f"{fmt.between.lstrip()}{end.display(language)}"
        a, b = start.date, end.date
        if start.precision == end.precision and a.year == b.year:
            if start.precision == Precision.DAY and a.month == b.month:
                # "29–30 January 2019": one month name, after the second day.
                days = f"{a.day}{_DASH}{fmt.day_month(b)}"
                return fmt.with_year(days, b.year)
            if start.precision != Precision.YEAR:
                head = start._without_year(fmt)
                return fmt.with_year(f"{head}{fmt.between}{end._without_year(fmt)}", b.year)
        if start.precision == end.precision == Precision.YEAR:
            return fmt.years(a.year, b.year)
        return f"{start.display(language)}{fmt.between}{end.display(language)}"

    def as_dict(self) -> dict:
        return {
            "start": self.start.as_dict() if self.start else None,
            "end": self.end.as_dict() if self.end else None,
            "display": self.display("en"),
        }

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


# Month names in the other languages of the site, read as the English ones. Russian in the
# nominative ("март 2019") and the genitive after a day ("29 января 2019"), with the usual
# abbreviations; Arabic with the Iraqi names ruiraq writes (كانون الثاني) and the Egyptian ones
# (يناير) many Arabic sites use. Hamza forms of alif are folded before matching (أيار = ايار).
_RUSSIAN_ABBREVIATIONS = "янв фев мар апр май июн июл авг сен окт ноя дек".split()
_EGYPTIAN_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يوليو",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
]
_FOLD_ALIF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_FOREIGN_MONTHS = {
    name.translate(_FOLD_ALIF): n
    for names in (
        _Russian.months,
        _Russian.months_genitive,
        _RUSSIAN_ABBREVIATIONS,
        _Arabic.months,
        _EGYPTIAN_MONTHS,
    )
    for n, name in enumerate(names, 1)
}
# Spellings beside those: longer Russian abbreviations, Egyptian variants.
_FOREIGN_MONTHS.update({"февр": 2, "сент": 9, "нояб": 11, "يونيه": 6, "يوليه": 7})
_FOREIGN_MONTH_PATTERN = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(name) for name in sorted(_FOREIGN_MONTHS, key=len, reverse=True))
    + r")\.?(?!\w)"
)
# The Russian year marks ("2014 г.", "2014 года") and the Arabic comma.
_YEAR_MARKS = re.compile(r"(?<=\d)\s*(г\.|г(?!\w)|года(?!\w)|год(?!\w))|،")


def _in_english(raw):
    """``raw`` with Russian and Arabic month names as English ones and year marks dropped."""
    text = _YEAR_MARKS.sub(" ", raw.lower().translate(_FOLD_ALIF))
    return _FOREIGN_MONTH_PATTERN.sub(
        lambda m: f" {_ENGLISH_MONTHS[_FOREIGN_MONTHS[m.group(1)] - 1]} ", text
    )


def parse_fuzzy(text: str) -> FuzzyDate | None:
    """Read a fuzzy date as an editor types it; the precision follows from what is given.

    "2014" → the year; "2019-03", "03/2019", "March 2019", "Mar 2019" → the month;
    "2019-01-29", "29.01.2019", "29 January 2019", "January 29, 2019" → the day. The same in
    Russian and Arabic as display() writes them ("март 2019 г.", "29 января 2019 г.",
    "29 كانون الثاني 2019"), so a date shown in the Russian or Arabic admin reads back. Empty
    text is ``None``; anything else raises ``ValueError`` with a message for the editor.
    """
    raw = " ".join(_in_english(text or "").replace(",", " ").split())
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
