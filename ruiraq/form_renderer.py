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
layouts, the radio lists) with the templates as Django does.

A template that an app overrides (its own ``django/forms/widgets/input.html``) is rendered
from the override: a name is written here only while it resolves to Django's own file.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

_DJANGO_FORMS = Path(django.forms.__file__).parent / "templates"

_INPUT = "django/forms/widgets/input.html"
_ATTRS = "django/forms/widgets/attrs.html"
_OPTION = "django/forms/widgets/select_option.html"


def _text(value):
    """A value as ``{{ value|stringformat:'s' }}`` writes it."""
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


def _no_errors(context):
    """An empty error list writes nothing (a list with errors: the template)."""
    return "" if not context["errors"] else None


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
    "django/forms/errors/list/default.html": _no_errors,
    "django/forms/errors/list/ul.html": _no_errors,
}

#: What every written template includes: an override of one of these leaves them all to the
#: templates.
_INCLUDED = {
    "django/forms/widgets/textarea.html": [_ATTRS],
    "django/forms/widgets/select.html": [_OPTION, _ATTRS],
    "django/forms/label.html": ["django/forms/attrs.html"],
    "django/forms/errors/list/default.html": ["django/forms/errors/list/ul.html"],
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
