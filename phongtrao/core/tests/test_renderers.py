"""The project's form renderer draws a select exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from phongtrao.core.renderers import SELECT, FormRenderer

CHOICES = [
    ("", "---------"),
    ("Xã", [("1", "Xã Bờ Y"), ("2", 'Xã "Đăk" <Răng> & Co')]),
    ("3", "Thôn Một"),
]


class Pick(forms.Form):
    one = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    flag = forms.NullBooleanField(required=False)
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize("name", ["one", "many", "flag", "kind"])
def test_a_field_is_drawn_as_django_draws_it(name):
    # given a bound form with a selected option in a group, escaping and boolean attributes
    form = Pick(data={"one": "2", "many": ["1", "3"], "flag": "true"})
    # when each field is drawn by the project's renderer and by Django's own
    ours = form[name].as_widget()
    theirs = Pick(data=form.data, renderer=DjangoTemplates())[name].as_widget()
    # then the HTML is the same, character for character
    assert ours == theirs


def test_the_select_is_drawn_without_the_option_templates():
    # given the project's renderer
    renderer = FormRenderer()
    widget = forms.Select(choices=[("a", "<b>")]).get_context("x", "a", {"required": True})
    # when it draws a select
    html = renderer.render(SELECT, widget)
    # then it is the select with its option, escaped and selected
    assert html == (
        '<select name="x" required>\n  <option value="a" selected>&lt;b&gt;</option>\n\n</select>'
    )


def test_the_project_uses_the_renderer(settings):
    # given the settings / when a form is made / then its renderer is the project's
    assert settings.FORM_RENDERER == "phongtrao.core.renderers.FormRenderer"
    assert type(Pick().renderer).__name__ == "FormRenderer"
