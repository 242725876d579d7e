from django import template

from cases.record_sections import record_sections

register = template.Library()


@register.simple_tag
def child_record_sections():
    return record_sections()
