from django import template

from cases.govuk_forms import FIELDSET_WIDGETS, widget_attrs

register = template.Library()


@register.simple_tag
def govuk_widget(field):
    return field.as_widget(attrs=widget_attrs(field))


@register.filter
def is_fieldset(field) -> bool:
    return field.widget_type in FIELDSET_WIDGETS


@register.filter
def error_anchor(form) -> list[tuple[str, str]]:
    """(anchor id, message) for each error, in field order, for the error summary."""
    anchors = []
    first_field = next(iter(form), None)
    for message in form.non_field_errors():
        anchors.append((first_field.auto_id if first_field else "", message))
    for field in form:
        for message in field.errors:
            anchors.append((field.auto_id, message))
    return anchors
