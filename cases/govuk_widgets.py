"""GOV.UK Design System widgets and fields Django lacks: the date input (day, month, year)."""

from datetime import date

from django import forms


class GovukDateInput(forms.MultiWidget):
    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label, width in zip(
            context["widget"]["subwidgets"], ("Day", "Month", "Year"), (2, 2, 4), strict=True
        ):
            subwidget["label"] = label
            subwidget["attrs"]["class"] = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
        return context


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with the GOV.UK pattern's error messages naming the field."""

    widget = GovukDateInput

    def __init__(self, *, label, **kwargs):
        self.label_lower = label[0].lower() + label[1:]
        fields = [forms.IntegerField(required=False) for _ in range(3)]
        super().__init__(fields, label=label, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {self.label_lower}"

    def clean(self, value):
        day, month, year = (str(part).strip() if part not in (None, "") else "" for part in (value or ["", "", ""]))
        if not any((day, month, year)):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"The {self.label_lower} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"The {self.label_lower} must be a real date, like 14 12 2026")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"The {self.label_lower} must be a real date") from None

    def compress(self, data_list):  # clean() does the work; required by MultiValueField
        return data_list


class _GovukChoices:
    """Radios or checkboxes in GOV.UK markup: `module` is govuk-radios or govuk-checkboxes."""

    template_name = "govuk/widgets/choices.html"
    module = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["module"] = self.module
        return context


class GovukCheckboxes(_GovukChoices, forms.CheckboxSelectMultiple):
    module = "govuk-checkboxes"


class GovukRadios(_GovukChoices, forms.RadioSelect):
    module = "govuk-radios"
