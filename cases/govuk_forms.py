"""GOV.UK Design System rendering for every Django form: `{{ form }}` gives GOV.UK markup."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


# The GOV.UK class of each widget, by Django's widget_type.
WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
    "govukdate": "govuk-date-input",
    "govukcheckboxes": "govuk-checkboxes__input",
    "govukradios": "govuk-radios__input",
}
FIELDSET_WIDGETS = frozenset({"radioselect", "checkboxselectmultiple", "govukdate", "govukcheckboxes", "govukradios"})


def widget_attrs(field) -> dict:
    base = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors and field.widget_type not in ("radioselect", "checkboxselectmultiple", "checkbox"):
        classes.append(f"{base}--error")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by and field.widget_type not in FIELDSET_WIDGETS:
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs
