from datetime import datetime, time

from django import forms

from cases.govuk_widgets import GovukCheckboxes, GovukDateField
from cases.rules.durations import Duration, DurationError
from cases.rules.policy import Policy
from cases.rules.timescales import STAGES


class DeadlineCalculatorForm(forms.Form):
    key = forms.ChoiceField(
        label="Timescale",
        error_messages={"required": "Select a timescale", "invalid_choice": "Select a timescale"},
    )
    start_date = GovukDateField(label="Start date", help_text="The day the clock starts, for example 14 12 2026")
    start_time = forms.CharField(
        label="Start time (optional)",
        required=False,
        help_text="Only hours-based timescales use it: 24-hour clock, for example 16:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    conditions = forms.MultipleChoiceField(label="What applies (optional)", required=False, widget=GovukCheckboxes)

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        by_stage: dict[str, list[tuple[str, str]]] = {stage: [] for stage in STAGES}
        for key in policy.all_keys():
            timescale = policy.timescale(key)
            if timescale.is_deadline:
                by_stage[timescale.stage or "other"].append((key, timescale.name or timescale.what))
        self.fields["key"].choices = [("", "Choose a timescale")] + [
            (STAGES[stage], choices) for stage, choices in by_stage.items() if choices
        ]
        self.fields["conditions"].choices = sorted(policy.conditions.items(), key=lambda item: item[1])

    def clean_start_time(self):
        text = self.cleaned_data["start_time"].strip()
        if not text:
            return None
        try:
            return time.fromisoformat(text if len(text) > 2 else f"{text}:00")
        except ValueError:
            raise forms.ValidationError("Enter the start time as hours and minutes, like 16:00") from None

    def start(self):
        day, moment = self.cleaned_data["start_date"], self.cleaned_data["start_time"]
        return datetime.combine(day, moment) if moment else day


class TimescaleChangeForm(forms.Form):
    duration = forms.CharField(
        label="New value",
        help_text="A number and a unit, like 15 working_days, 6 weeks, 24 hours; a minus sign for "
        "'before' timescales, like -3 working_days",
        error_messages={"required": "Enter the new value"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    effective_from = GovukDateField(
        label="In force from", help_text="Deadlines whose clock started before this date keep their due dates"
    )
    reason = forms.CharField(
        label="Why it is changing",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the timescale is changing"},
    )

    def clean_duration(self):
        try:
            return str(Duration.parse(self.cleaned_data["duration"]))
        except DurationError as error:
            raise forms.ValidationError(f"Enter the value as a number and a unit: {error}") from None
