"""GOV.UK Design System widgets and fields Django lacks: the date input (day, month, year), and a
date with a time box for moments such as a visit or a meeting; and a select fast enough for a
list of every member of staff."""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .dates import EARLIEST, LATEST, date_in_range


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
            day = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a day or month too large for C's int overflows
            raise forms.ValidationError(f"The {self.label_lower} must be a real date") from None
        if not date_in_range(day):
            raise forms.ValidationError(f"The {self.label_lower} must be between {EARLIEST.year} and {LATEST.year}")
        return day

    def compress(self, data_list):  # clean() does the work; required by MultiValueField
        return data_list


class _GovukChoices:
    """Radios or checkboxes in GOV.UK markup: `module` is govuk-radios or govuk-checkboxes.
    `hints` maps a choice's value to the hint shown under it (GOV.UK's radio item hint)."""

    template_name = "govuk/widgets/choices.html"
    module = ""
    hints: dict = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["module"] = self.module
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class GovukCheckboxes(_GovukChoices, forms.CheckboxSelectMultiple):
    module = "govuk-checkboxes"


class GovukRadios(_GovukChoices, forms.RadioSelect):
    module = "govuk-radios"


def attributes(attrs: dict) -> str:
    """HTML attributes in their given order, as Django's widget templates write them."""
    written = (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
               for name, value in attrs.items() if value is not False)  # fmt: skip
    return mark_safe("".join(written))  # noqa: S308 - each part escaped by format_html


class LongSelect(forms.Select):
    """A select of many options (everyone in the authority, say) written in Python: Django's own
    template includes one template per option, which for hundreds of people is most of a page's
    time. The markup is the same as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], attributes(widget["attrs"]))]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]),
                                     attributes(option["attrs"]), option["label"])
                         for option in group_choices)  # fmt: skip
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html or a constant


def time_box(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text="24-hour clock, for example 16:05",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                           error_messages={"required": f"Enter the {label[0].lower()}{label[1:]}"})  # fmt: skip


def time_from(text: str, label: str) -> time:
    text = text.strip()
    try:
        return time.fromisoformat(text if ":" in text else f"{text}:00")
    except ValueError:
        raise forms.ValidationError(f"Enter the {label} as hours and minutes, like 16:05") from None


def moment(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def date_and_time(form, date_field: str, time_field: str, label: str) -> datetime | None:
    """A moment from a date and a time box; when the date is given the time must be too."""
    day, text = form.cleaned_data.get(date_field), (form.cleaned_data.get(time_field) or "").strip()
    if day is None:
        return None
    if not text:
        form.add_error(time_field, f"Enter the {label}")
        return None
    try:
        return moment(day, time_from(text, label))
    except forms.ValidationError as error:
        form.add_error(time_field, error)
        return None
