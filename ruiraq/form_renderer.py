"""
The form renderer (settings.FORM_RENDERER): Django's, with its smallest templates written
in Python.

Django renders every input, option, label and error list through a template, and most of
them through two or three (``text.html`` includes ``input.html``, which includes
``attrs.html``; a ``<select>`` includes a template per option, which includes another for its
attributes). An admin change form renders about a thousand of them: the country select
alone (249 options) cost about 15 ms, and every inline row pays for its inputs, labels and
empty error lists again. This renderer writes what those templates write, byte for byte
(tests/test_admin_change_forms.py compares each with Django's), with the same escaping and
localization, and renders everything else (the admin's widget wrappers, the form and formset
layouts, the radio lists) with the templates as Django does. The public pages' filter forms
go through it too (a field's group, label, help and errors: a fifth of an /events/ page
without the cache was their forty small templates), and their selects are ``PageSelect``.

A template that an app overrides (its own ``django/forms/widgets/input.html``) is rendered
from the override: a name is written here only while it resolves to Django's own file.
"""

import functools
from pathlib import Path

import django.forms
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_DJANGO_FORMS = Path(django.forms.__file__).parent / "templates"

_INPUT = "django/forms/widgets/input.html"
_ATTRS = "django/forms/widgets/attrs.html"
_OPTION = "django/forms/widgets/select_option.html"


def _text(value):
    """A value as ``{{ value|stringformat:'s' }}`` writes it: as text, escaped unless it was
    marked safe (the filter keeps a safe value safe)."""
    return conditional_escape(str(value))


def _shown(value):
    """A value as ``{{ value }}`` writes it (localized, then escaped)."""
    return conditional_escape(localize(value))


def _attrs(attrs):
    """``attrs.html`` (widgets' and labels'): True as a bare name, False left out; a label
    without an id has none (None)."""
    return "".join(
        f" {_shown(name)}" + ("" if value is True else f'="{_text(value)}"')
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(context):
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(context):
    widget = context["widget"]
    value = _shown(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _select(context):
    widget = context["widget"]
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if any(option["template_name"] != _OPTION for option in options):
            return None  # options of another kind: the templates write them
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        parts.extend(
            f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_shown(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context):
    if not context["use_tag"]:
        return _shown(context["label"])
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_shown(context['label'])}</{tag}>"


def _errors(context):
    """django/forms/errors/list/default.html, which includes ul.html."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = f' id="{conditional_escape(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{field_id}>{items}</ul>'


def _field_group(context):
    """django/forms/field.html (``as_field_group``, the public filter forms' fields), for a
    field without a fieldset; one with a fieldset is left to the template."""
    field = context["field"]
    if field.use_fieldset:
        return None
    label = field.label_tag() if field.label else ""
    help_text = ""
    if field.help_text:
        helptext_id = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{helptext_id}>{field.help_text}</div>'
    errors, widget = conditional_escape(field.errors), conditional_escape(field)
    return f"\n  {label}\n\n{help_text}\n{errors}\n{widget}\n".strip()


#: The templates written here, each by the function writing its (stripped) output; a function
#: may answer None to leave a case to the template.
_WRITERS = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in (
            "input",
            "text",
            "hidden",
            "number",
            "email",
            "url",
            "password",
            "search",
            "tel",
            "color",
            "date",
            "datetime",
            "time",
            "checkbox",
        )
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field_group,
}

#: What every written template includes: an override of one of these leaves them all to the
#: templates.
_INCLUDED = {
    "django/forms/widgets/textarea.html": [_ATTRS],
    "django/forms/widgets/select.html": [_OPTION, _ATTRS],
    "django/forms/label.html": ["django/forms/attrs.html"],
    "django/forms/errors/list/default.html": ["django/forms/errors/list/ul.html"],
    "django/forms/errors/list/ul.html": [],
    "django/forms/field.html": [],
}


class PlainRenderer(DjangoTemplates):
    """Django's template renderer, writing its smallest templates in Python (see the module)."""

    def __init__(self):
        self._djangos = {}

    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        if write is not None and self._is_djangos(template_name):
            html = write(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)

    def _is_djangos(self, template_name):
        """Whether ``template_name`` (and what it includes) is Django's own file, not an
        app's override. Looked up once per name."""
        found = self._djangos.get(template_name)
        if found is None:
            names = [template_name, *_INCLUDED.get(template_name, [_INPUT, _ATTRS])]
            found = all(
                Path(self.get_template(name).origin.name).is_relative_to(_DJANGO_FORMS)
                for name in names
            )
            self._djangos[template_name] = found
        return found


# --- a select whose options are written once per list of choices -----------------------------


@functools.lru_cache(maxsize=64)
def _option_lines(choices):
    """``(value as selected against, markup, markup when selected)`` of each of ``choices``,
    flat ``(value, label)`` pairs, as Django's select_option.html writes them."""
    lines = []
    for value, label in choices:
        value = "" if value is None else value
        head = f'\n  <option value="{_text(value)}"'
        tail = f">{_shown(label)}</option>\n"
        lines.append((str(value), head + tail, f"{head} selected{tail}"))
    return tuple(lines)


class PageSelect(forms.Select):
    """A ``Select`` that writes Django's select.html and select_option.html markup itself,
    character for character, without building the option dictionaries Django's ``optgroups``
    makes for the templates.

    The country filter's 250 options cost half of an /events/ page without the cache
    (ruiraq/views.py ``dress_filter_form`` puts this widget on the filter forms of the public
    pages). Their markup is kept for each list of choices (``_option_lines``, keyed by the
    choices themselves: the countries' names in each language), so a page writes again only
    the chosen option.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple(self.choices)
        if self.allow_multiple_selected or any(isinstance(c[1], list | tuple) for c in choices):
            # Option groups or several choices: the options as Django's ``optgroups`` has them.
            return mark_safe(_select(self.get_context(name, value, attrs)))
        chosen = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{_shown(name)}"{_attrs(attrs)}>']
        found = False
        # Lazy labels as the reader's language has them: a key of lazy strings would compare
        # equal to the same key in another language, being translated when compared.
        choices = tuple((value, str(label)) for value, label in choices)
        for key, markup, selected in _option_lines(choices):
            # As Django's optgroups: only the first option with the value is selected.
            if not found and key in chosen:
                parts.append(selected)
                found = True
            else:
                parts.append(markup)
        parts.append("\n</select>")
        return mark_safe("".join(parts))
