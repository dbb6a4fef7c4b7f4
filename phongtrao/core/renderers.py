"""The project's form renderer: Django's own, except that a select is drawn in Python.

Django draws each option of a select by including two templates; a page with a select of a
hundred indicators spent more time there than on its queries. The HTML is the same as
Django's templates give (tests/core test_renderers compares them); a select whose options use
another template is left to Django.
"""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest

from phongtrao.core.html import escaped as e

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: True gives the bare name, False leaves it out."""
    return "".join(
        f" {e(name)}" if value is True else f' {e(name)}="{e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str:
    """A select widget's context drawn as django/forms/widgets/select.html draws it."""
    parts = [f'<select name="{e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{e(group_name)}">')
        # The option's template ends in a newline, which Django's output keeps.
        parts.extend(
            f'\n  <option value="{e(option["value"])}"{_attrs(option["attrs"])}>'
            f"{e(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain(widget: dict[str, Any]) -> bool:
    return all(
        option["template_name"] == OPTION
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


class FormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == SELECT and _plain(context["widget"]):
            return select_html(context["widget"])
        return super().render(template_name, context, request)
