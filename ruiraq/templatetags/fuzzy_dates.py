"""``{{ record|fuzzy }}``: the one template rendering of fuzzy dates (see ruiraq.dates).

A record without a date renders as ruiraq.typography's words for it ("Date not known"), so
no template supplies its own."""

import datetime as dt

from django import template
from django.utils import timezone

from ruiraq.dates import FuzzyDate, FuzzySpan
from ruiraq.typography import not_known

register = template.Library()


@register.filter
def fuzzy(value):
    """Render a FuzzyDate, a FuzzySpan, or a record with a ``span``/``published`` date."""
    if isinstance(value, FuzzyDate | FuzzySpan):
        return value.display()
    span = getattr(value, "span", None)
    if span is not None:
        return span.display()
    published = getattr(value, "published", None)
    if isinstance(published, FuzzyDate):
        return published.display()
    return not_known("date")


@register.filter
def day(moment):
    """A date or time as its day, in the reader's language ("3 May 2026"): the editorial
    record's dates (first published, last changed, corrected on). Empty for None."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = timezone.localdate(moment)
    return FuzzyDate(moment).display()


@register.simple_tag
def today():
    """Today, known to the day: ``{% today as date %}{{ date|fuzzy }}``."""
    return FuzzyDate(timezone.localdate())
