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
        # Link to the first input of a group (the day box, the first radio or checkbox).
        anchor = f"{field.auto_id}_0" if field.widget_type in FIELDSET_WIDGETS else field.auto_id
        for message in field.errors:
            anchors.append((anchor, message))
    return anchors


@register.filter
def words(value) -> str:
    """'last_statutory_visit' -> 'last statutory visit'."""
    return str(value or "").replace("_", " ")


@register.simple_tag(takes_context=True)
def page_href(context, number) -> str:
    """This page's query string with another page number, keeping every value of a repeated
    filter (the chronology's kind checkboxes). A page with several lists names each list's
    parameter in `page_param`."""
    query = context["request"].GET.copy()
    query[context.get("page_param") or "page"] = number
    return f"?{query.urlencode()}"
