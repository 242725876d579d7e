"""Forms for case notes, the chronology and case summaries. The services check the rules (not in
the future, not before the case opened, who may write); these turn boxes into values with GOV.UK
messages."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios
from cases.models import CaseNote, ChronologyEntry
from cases.submissions import CreateOnce

TIME_BOX = {"class": "govuk-input--width-5"}


def _time_from(text: str, label: str) -> time:
    text = text.strip()
    try:
        return time.fromisoformat(text if ":" in text else f"{text}:00")
    except ValueError:
        raise forms.ValidationError(f"Enter the {label} as hours and minutes, like 16:05") from None


def _moment(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class CaseNoteForm(CreateOnce):
    kind = forms.ChoiceField(label="Kind of note", choices=CaseNote.Kind.choices, widget=GovukRadios,
                             initial=CaseNote.Kind.CASE_NOTE,
                             error_messages={"required": "Select the kind of note"})  # fmt: skip
    event_date = GovukDateField(label="Date of the event", help_text="When it happened, for example 27 3 2026")
    event_time = forms.CharField(label="Time of the event", help_text="24-hour clock, for example 16:05",
                                 widget=forms.TextInput(attrs=TIME_BOX),
                                 error_messages={"required": "Enter the time of the event"})  # fmt: skip
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the note"})
    text = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "Enter what happened"})  # fmt: skip

    def clean_event_time(self):
        return _time_from(self.cleaned_data["event_time"], "time of the event")

    def note_fields(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "event_at": _moment(data["event_date"], data["event_time"]),
                "title": data["title"], "text": data["text"]}  # fmt: skip


class CaseNoteEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the note"})
    text = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "Enter what happened"})  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)


class StrikeForm(forms.Form):
    reason = forms.CharField(label="Why is this being struck through?", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The entry stays readable, struck through, with your name and this reason",
                             error_messages={"required": "Enter why this is being struck through"})  # fmt: skip


class ChronologyEntryForm(CreateOnce):
    kind = forms.ChoiceField(label="Kind of event", choices=[("", "Choose the kind of event")]
                             + ChronologyEntry.Kind.choices,
                             error_messages={"required": "Select the kind of event"})  # fmt: skip
    occurred_date = GovukDateField(label="Date of the event", help_text="For example 27 3 2026")
    occurred_time = forms.CharField(label="Time of the event (optional)", required=False,
                                    help_text="24-hour clock, for example 16:05; leave blank if not known",
                                    widget=forms.TextInput(attrs=TIME_BOX))  # fmt: skip
    title = forms.CharField(label="What happened, in a few words", max_length=200,
                            error_messages={"required": "Enter what happened, in a few words"})  # fmt: skip
    detail = forms.CharField(label="Detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def clean_occurred_time(self):
        text = self.cleaned_data["occurred_time"]
        return _time_from(text, "time of the event") if text.strip() else None

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        # An older event often has only a date: it is kept at midnight, which the pages show as the date alone.
        at = data["occurred_time"] or time.min
        return {"kind": data["kind"], "occurred_at": _moment(data["occurred_date"], at), "title": data["title"],
                "detail": data["detail"]}  # fmt: skip


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label="Kind of event", choices=ChronologyEntry.Kind.choices, required=False,
                                     widget=GovukCheckboxes)  # fmt: skip
    from_date = GovukDateField(label="From date", required=False, help_text="For example 1 4 2026")
    to_date = GovukDateField(label="To date", required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("from_date"), data.get("to_date")
        if since and until and since > until:
            self.add_error("to_date", "The to date must be the same as or after the from date")
        return data

    def filters(self) -> dict:
        """The filters to apply: none at all if the form has errors, so the page still shows the chronology."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kinds": data["kind"], "since": data["from_date"], "until": data["to_date"]}

    def describe(self) -> str:
        """The filters in words, for the printed copy (a reader must know it is not the whole chronology)."""
        filters = self.filters()
        labels = dict(ChronologyEntry.Kind.choices)
        parts = []
        if filters.get("kinds"):
            parts.append(", ".join(str(labels[kind]) for kind in filters["kinds"]))
        if filters.get("since"):
            parts.append(f"from {filters['since'].day} {filters['since']:%B %Y}")
        if filters.get("until"):
            parts.append(f"to {filters['until'].day} {filters['until']:%B %Y}")
        return f"Only: {' '.join(parts)}" if parts else ""


class CaseSummaryForm(forms.Form):
    text = forms.CharField(label="Case summary", widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="What has happened since the last summary, the current risks, and the plan",
                           error_messages={"required": "Enter the case summary"})  # fmt: skip
