"""The team page's caseloads: one list item per open case of the team (hundreds for a large
team), joined in Python, as the template engine's loop and `{% url %}` cost several times more per
item than the item itself. The markup is the same as the template's."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

OVERDUE = ' <strong class="govuk-tag govuk-tag--red">{} overdue</strong>'


@register.simple_tag
def caseload_items(items):
    """Each case as `<li>`: the child's name linking to their record, their current statuses, and
    how many of the case's deadlines are overdue where any are."""
    return mark_safe("".join(  # noqa: S308 - every part is escaped by format_html
        format_html('<li><a class="govuk-link" href="{}">{}</a>{}{}</li>',
                    reverse("child", args=[item["case"].child_id]), item["case"].child.full_name,
                    format_html_join("", " · {}", ((status,) for status in item["case"].current_statuses)),
                    format_html(OVERDUE, item["overdue"]) if item["overdue"] else "")
        for item in items
    ))  # fmt: skip
