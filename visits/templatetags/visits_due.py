"""The visits-due page's by-worker table, whose rows a service manager has one of per worker in
the authority (hundreds): joined in Python, as the template engine's loop costs several times more
per cell than the figures themselves."""

from django import template
from django.utils.html import format_html_join

register = template.Library()

ROW = ('<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
       '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
       '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
       '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>')  # fmt: skip


@register.simple_tag
def by_worker_rows(rows):
    """One table row per worker: their name ("Not allocated" for nobody), then visits overdue, due
    this week and open in all."""
    return format_html_join("", ROW, ((row["assignee__full_name"] or "Not allocated", row["overdue"],
                                       row["this_week"], row["total"]) for row in rows))  # fmt: skip
