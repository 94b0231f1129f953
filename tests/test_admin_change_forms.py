"""The change forms editors work in: a fixed number of queries however many inline rows a
record has, and the same markup from the cheaper widgets (issue 18, item 3)."""

import pytest
from django import forms
from django.contrib import admin
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from actors.models import Tie
from articles.models import Event, EventParticipant
from ruiraq.form_renderer import PlainRenderer
from tests import factories

pytestmark = pytest.mark.django_db

# Every change form, seen by an editor, starts with the same queries:
#   1 session, 2 user, 3 the record, 4 its pending revision (or the editor's last one),
#   5 the user's own permissions, 6 the permissions of the user's groups,
# and then runs the page's own ones: the many-to-many records the form starts with (its
# autocompletes show them without a second query), the stored status and version (the
# status choices an editor has), and one query per inline, its rows with their parent and the
# records their autocompletes show (never one per row).
COMMON = 6
PAGES = {
    # model: (page queries, what they are)
    "articles_event": (5, "topics, agreements, status, participants + actors, citations + sources"),
    "articles_agreement": (
        5,
        "topics, status, parties + actors, related events + events, citations + sources",
    ),
    "actors_actor": (5, "status, aliases, ties held + objects, ties to it + subjects, citations"),
    "actors_tie": (2, "status, citations + sources (the tie comes with its two actors)"),
}


def _record_with_rows(n):
    """An event, an agreement, an actor and a tie with ``n`` rows in each of their inlines."""
    topic = factories.topic()
    actor = factories.actor()
    event = factories.event()
    agreement = factories.agreement()
    tie = factories.tie(subject=actor)
    event.topics.add(topic)
    agreement.topics.add(topic)
    for i in range(n):
        other = factories.actor()
        factories.participant(event, other)
        factories.party(agreement, other)
        factories.alias(actor, f"Alias {i}")
        factories.tie(subject=actor, object=other)
        factories.tie(subject=other, object=actor)
        event.agreements.add(factories.agreement())
        for record in (event, agreement, actor, tie):
            factories.citation(record)
    return {
        "articles_event": event,
        "articles_agreement": agreement,
        "actors_actor": actor,
        "actors_tie": tie,
    }


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("page", PAGES)
def test_change_form_query_count_does_not_grow_with_inline_rows(
    editor_client, django_assert_num_queries, page, rows
):
    record = _record_with_rows(rows)[page]
    url = reverse(f"admin:{page}_change", args=[record.pk])
    editor_client.get(url)  # fills the process's content type cache, as any earlier request
    with django_assert_num_queries(COMMON + PAGES[page][0]):
        response = editor_client.get(url)
    assert response.status_code == 200


def _participant_form(participant, editor):
    """The participants inline's form for ``participant``'s row, as the admin builds it."""
    inline = admin.site._registry[Event].inlines[0](Event, admin.site)
    assert inline.model is EventParticipant
    request = RequestFactory().get("/")
    request.user = editor
    formset_class = inline.get_formset(request, participant.event)
    formset = formset_class(instance=participant.event, queryset=inline.get_queryset(request))
    return formset, formset.forms[0]


def test_an_inline_row_shows_its_autocompleted_record_without_a_query(editor):
    participant = factories.participant(factories.event(), factories.actor(name="Sergey Lavrov"))
    _, form = _participant_form(participant, editor)
    with CaptureQueriesContext(connection) as queries:
        from_the_row = str(form["actor"])
    assert len(queries) == 0
    widget = form.fields["actor"].widget.widget
    widget.selected_records = None  # as Django's widget does it: a query for the record
    with CaptureQueriesContext(connection) as queries:
        queried = str(form["actor"])
    assert len(queries) == 1
    assert from_the_row == queried
    assert "Sergey Lavrov" in from_the_row


def test_a_posted_record_other_than_the_rows_is_looked_up(editor):
    participant = factories.participant(factories.event(), factories.actor(name="Sergey Lavrov"))
    other = factories.actor(name="Vladimir Putin")
    _, form = _participant_form(participant, editor)
    widget = form.fields["actor"].widget.widget
    html = widget.render("actor", other.pk)
    assert "Vladimir Putin" in html and "Sergey Lavrov" not in html
    assert widget.render("actor", "abc").count("<option") == 0  # no key: nothing to show


def test_a_many_to_many_autocomplete_shows_the_forms_records_as_django_does(editor_client):
    event = factories.event()
    event.topics.add(factories.topic(name="Oil"), factories.topic(name="Arms"))
    url = reverse("admin:articles_event_change", args=[event.pk])
    form = editor_client.get(url).context["adminform"].form
    widget = form.fields["topics"].widget.widget
    assert list(widget.selected_records) == [str(t.pk) for t in event.topics.all()]
    from_the_form = str(form["topics"])
    widget.selected_records = None
    assert str(form["topics"]) == from_the_form
    assert from_the_form.index("Arms") < from_the_form.index("Oil")


def test_a_tie_page_names_its_actors_from_the_tie(editor_client):
    tie = factories.tie(
        subject=factories.actor(name="Sergey Lavrov"), object=factories.actor(name="Russia")
    )
    response = editor_client.get(reverse("admin:actors_tie_change", args=[tie.pk]))
    page = response.content.decode()
    assert page.count("Sergey Lavrov") >= 2 and page.count("Russia") >= 2
    assert Tie.objects.count() == 1


def test_an_inline_builds_its_empty_form_once(editor):
    participant = factories.participant(factories.event(), factories.actor())
    formset, _ = _participant_form(participant, editor)
    assert formset.empty_form is formset.empty_form
    assert "__prefix__" in formset.empty_form.prefix


# --- the smallest form templates, written in Python (ruiraq.form_renderer) -----------------


def _both(render):
    """What ``render()`` writes with Django's template renderer and with ruiraq's."""
    django = render(DjangoTemplates())
    plain = render(PlainRenderer())
    return django, plain


SELECTS = [
    ([("", "---------"), ("a", "A"), ("b", "B")], "b", {}),
    ([("", "---------"), ("a", "A")], None, {"required": True, "class": "x"}),
    ([("<&>", 'Tom & "Jerry" <b>')], "<&>", {"disabled": False, "data-x": '"q"'}),
    ([(1, 2), (3, mark_safe("<i>safe</i>"))], 3, {"id": "id_n"}),
    ([("Group & co", [("x", "X"), ("y", "Y")]), ("z", "Z")], "y", {}),
    ([("a", gettext_lazy("draft")), ("b", gettext_lazy("published"))], "a", {}),
]


@pytest.mark.parametrize(("choices", "value", "attrs"), SELECTS)
@pytest.mark.parametrize("multiple", [False, True])
def test_a_select_is_written_as_djangos_templates_write_it(choices, value, attrs, multiple):
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=choices, attrs=attrs)
    django, plain = _both(lambda renderer: widget.render("n<>", value, renderer=renderer))
    assert plain == django


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"size": 10, "placeholder": 'a "b" & <c>'}),
        forms.HiddenInput(),
        forms.NumberInput(attrs={"step": "any"}),
        forms.EmailInput(attrs={"required": True, "disabled": False}),
        forms.URLInput(),
        forms.PasswordInput(render_value=True),
        forms.DateInput(),
        forms.CheckboxInput(),
        forms.Textarea(attrs={"rows": 2}),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize("value", [None, "", 'x < y & "z"', mark_safe("<b>"), 1234.5, True])
def test_an_input_is_written_as_djangos_templates_write_it(widget, value):
    with translation.override("ru"):  # a number is localized as {{ value }} does
        django, plain = _both(lambda renderer: widget.render("n<>", value, renderer=renderer))
    assert plain == django


def test_the_country_select_is_written_as_django_countries_writes_it():
    field = Event._meta.get_field("country")
    with translation.override("ru"):
        for value in ("IQ", "", None):
            widget = field.formfield().widget
            django, plain = _both(lambda r, w=widget, v=value: w.render("country", v, renderer=r))
            assert plain == django
        assert "Ирак" in plain


def test_labels_and_error_lists_are_written_as_djangos_templates_write_them():
    class Form(forms.Form):
        name = forms.CharField(label="Name & <title>")
        hidden = forms.CharField(widget=forms.HiddenInput)
        agreed = forms.BooleanField(label="Agreed?")

    for data, auto_id in ((None, "id_%s"), ({"name": "", "agreed": ""}, "id_%s"), (None, False)):
        django, plain = _both(
            lambda renderer, d=data, a=auto_id: _form_parts(Form(d, auto_id=a, renderer=renderer))
        )
        assert plain == django
    assert django[0].startswith("Name &amp; &lt;title&gt;")  # no id: no tag, escaped text


def _form_parts(form):
    """A form's labels (with and without a tag) and its fields' error lists."""
    return [
        *(form[name].label_tag() for name in form.fields),
        form["name"].label_tag(attrs={"class": "required", "hidden": True}, label_suffix=""),
        form["name"].legend_tag(),
        *(str(form[name].errors) + form[name].errors.as_ul() for name in form.fields),
    ]


def test_a_template_an_app_overrides_is_rendered_from_the_override(settings, tmp_path):
    """The renderer writes a template only while it is Django's own file."""
    renderer = PlainRenderer()
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "input.html").write_text("<input overridden>")
    renderer.engine.engine.template_loaders[0].reset()
    renderer.engine.engine.dirs = [tmp_path, *renderer.engine.engine.dirs]
    assert forms.TextInput().render("n", "x", renderer=renderer) == "<input overridden>"
    assert forms.Textarea().render("n", "x", renderer=renderer).startswith("<textarea")


def test_the_site_renders_forms_with_the_plain_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PlainRenderer)
