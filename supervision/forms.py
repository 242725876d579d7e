"""Supervision forms. The session form has a block of boxes for each case the worker holds:
only the cases discussed are filled in, so it works without JavaScript."""

from django import forms

from cases.govuk_widgets import GovukDateField, GovukRadios, date_and_time, time_box
from cases.submissions import CreateOnce

from .models import SupervisionSession


def _text(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


class SessionForm(CreateOnce):
    kind = forms.ChoiceField(label="Kind of supervision", choices=SupervisionSession.Kind.choices, widget=GovukRadios,
                             error_messages={"required": "Select the kind of supervision"})  # fmt: skip
    held_on = GovukDateField(label="Date of the session", help_text="For example, 27 3 2026")
    held_time = time_box("Time the session started")
    agenda = _text("Agenda", rows=3)
    wellbeing = _text(
        "Wellbeing", help_text="Seen only by the worker, you and your managers; never on a child's record"
    )
    learning = _text("Learning and development", rows=3)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = list(cases)
        for case in self.cases:
            name = case.child.full_name
            self.fields[f"discussion_{case.pk}"] = _text(f"{name}: discussion", rows=3)
            self.fields[f"decisions_{case.pk}"] = _text(f"{name}: your decisions", rows=2)
            self.fields[f"action_{case.pk}"] = forms.CharField(label=f"{name}: an action for the worker (optional)",
                                                               required=False, max_length=300)  # fmt: skip
            self.fields[f"action_by_{case.pk}"] = GovukDateField(label=f"{name}: action due by", required=False)

    def clean(self):
        data = super().clean()
        data["held_at"] = date_and_time(self, "held_on", "held_time", "time the session started")
        return data

    def values(self, worker) -> dict:
        data = self.cleaned_data
        discussions = []
        for case in self.cases:
            what, by_when = data.get(f"action_{case.pk}", ""), data.get(f"action_by_{case.pk}")
            discussions.append({
                "case": case if (data[f"discussion_{case.pk}"] or data[f"decisions_{case.pk}"] or what) else None,
                "discussion": data[f"discussion_{case.pk}"], "decisions": data[f"decisions_{case.pk}"],
                "actions": [{"what": what, "owner": worker, "by_when": by_when}] if (what or by_when) else [],
            })  # fmt: skip
        return {name: data[name] for name in ("kind", "held_at", "agenda", "wellbeing", "learning")} | {
            "discussions": discussions
        }


class SignForm(forms.Form):
    comment = _text("Your comment (optional)", rows=3)


class OversightForm(CreateOnce):
    decision = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the decision"})  # fmt: skip
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": "Enter the rationale for the decision"})  # fmt: skip
