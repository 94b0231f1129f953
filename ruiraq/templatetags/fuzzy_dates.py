"""``{{ record|fuzzy }}``: the one template rendering of fuzzy dates (see ruiraq.dates)."""

from django import template
from django.utils import timezone

from ruiraq.dates import FuzzyDate, FuzzySpan

register = template.Library()


@register.filter
def fuzzy(value):
    """Render a FuzzyDate, a FuzzySpan, or a record with a ``span``/``published`` date."""
    if value is None or value == "":
        return ""
    if isinstance(value, FuzzyDate | FuzzySpan):
        return value.display()
    span = getattr(value, "span", None)
    if span is not None:
        return span.display()
    published = getattr(value, "published", None)
    if isinstance(published, FuzzyDate):
        return published.display()
    return ""


@register.simple_tag
def today():
    """Today, known to the day: ``{% today as date %}{{ date|fuzzy }}``."""
    return FuzzyDate(timezone.localdate())
