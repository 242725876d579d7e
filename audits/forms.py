"""Audit forms. The answers page has three boxes per item (the answer, the evidence and, for a
system check, the reason for differing from it), so it works without JavaScript."""

from django import forms

from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios
from cases.submissions import CreateOnce

from .models import Audit, TemplateVersion
from .services import SAMPLE_STATUSES


def _text(label: str, rows: int = 3, required: bool = False, help_text: str = "", message: str = ""):
    field = forms.CharField(label=label, required=required, help_text=help_text,
                            widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip
    if message:
        field.error_messages["required"] = message
    return field


class ProgrammeForm(CreateOnce):
    month = GovukDateField(label="First day of the month the audits are for", help_text="For example, 1 12 2026")
    name = forms.CharField(label="Name (optional)", required=False, max_length=200,
                           help_text="Left blank, it is called after the month")  # fmt: skip


class SampleForm(CreateOnce):
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="Every team")
    status = forms.ChoiceField(label="The child's status", required=False,
                               choices=[("", "Any status"), *SAMPLE_STATUSES.items()])  # fmt: skip
    size = forms.IntegerField(label="How many cases", min_value=1, max_value=50,
                              widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                              error_messages={"required": "Enter how many cases to sample, 1 or more"})  # fmt: skip
    auditors = forms.ModelMultipleChoiceField(label="Auditors to share them among", queryset=None,
                                              widget=GovukCheckboxes,
                                              error_messages={"required": "Choose at least one auditor"})  # fmt: skip

    def __init__(self, *args, teams, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["auditors"].queryset = auditors


class PickForm(CreateOnce):
    reference = forms.CharField(label="The child's ID", max_length=20, help_text="For example, C000123",
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                                error_messages={"required": "Enter the child's ID"})  # fmt: skip
    auditor = forms.ModelChoiceField(label="Auditor", queryset=None, empty_label=None)

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors


class ReassignForm(forms.Form):
    auditor = forms.ModelChoiceField(label="Assigned to", queryset=None, empty_label=None)

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors


class SectionsForm(forms.Form):
    sections = forms.MultipleChoiceField(label="Sections to audit", widget=GovukCheckboxes,
                                         error_messages={"required": "Choose at least one section to audit"})

    def __init__(self, *args, version: TemplateVersion, matched: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for section in version.sections.all():
            tags = ", ".join(section.applies_to)
            label = f"{section.title} ({section.applies_to_text or tags})"
            choices.append((section.code, f"{label}: matches this case" if section.code in matched else label))
        self.fields["sections"].choices = choices


class AnswersForm(forms.Form):
    """One section's items: the answer from the item's own option set, evidence, and a reason
    box where the system check answered it. Each answer's label is the item's question, so the
    radios are named by it; the evidence and reason boxes carry it for screen readers."""

    def __init__(self, *args, version: TemplateVersion, responses, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for response in responses:
            item = response.item
            options = [(o["value"], o["label"]) for o in version.options(item.response_set)]
            pk = item.pk
            self.fields[f"option_{pk}"] = forms.ChoiceField(label=item.text, choices=options, widget=GovukRadios,
                                                            required=False, initial=response.option)  # fmt: skip
            self.fields[f"evidence_{pk}"] = _text("Evidence", rows=2)
            self.fields[f"evidence_{pk}"].initial = response.evidence
            row = {"response": response, "item": item, "option": self[f"option_{pk}"],
                   "evidence": self[f"evidence_{pk}"]}
            if response.system_answer:
                self.fields[f"override_{pk}"] = _text("Why you differ from the system check", rows=2,
                                                      help_text="Needed only if your answer differs")
                self.fields[f"override_{pk}"].initial = response.override_reason
                row["override"] = self[f"override_{pk}"]
            self.rows.append(row)

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            row["item"].pk: {"option": data.get(f"option_{row['item'].pk}", ""),
                             "evidence": data.get(f"evidence_{row['item'].pk}", ""),
                             "override_reason": data.get(f"override_{row['item'].pk}", "")}
            for row in self.rows
        }  # fmt: skip


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label="Overall grade", widget=GovukRadios,
                              error_messages={"required": "Choose the overall grade"})  # fmt: skip
    strengths = _text("Strengths", rows=4, required=True, message="Enter the strengths you found")
    areas_for_development = _text("Areas for development", rows=4, required=True,
                                  message="Enter the areas for development")  # fmt: skip
    child_voice = _text("The child's voice", rows=4, help_text="How the child's wishes, feelings and lived "
                        "experience show in the record")  # fmt: skip

    def __init__(self, *args, version: TemplateVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = version.grades()


class ActionForm(CreateOnce):
    what = _text("What is to be done", required=True, message="Enter what is to be done")
    owner = forms.ModelChoiceField(label="Who owns it", queryset=None, empty_label=None,
                                   error_messages={"required": "Choose the worker or a manager of the team"})
    due_on = GovukDateField(label="Due by", help_text="For example, 14 12 2026")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class RespondForm(forms.Form):
    response = _text("Your response to the findings", rows=4, required=True, message="Enter your response")


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label="The grade", widget=GovukRadios,
                                 choices=[("agree", "Agree the auditor's grade"), ("change", "Change the grade")],
                                 error_messages={"required": "Choose whether you agree the grade"})  # fmt: skip
    grade = forms.ChoiceField(label="The grade it should be (if you change it)", required=False, widget=GovukRadios)
    reason = _text("Your reason", rows=3, help_text="Needed when you change the grade")

    def __init__(self, *args, version: TemplateVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = version.grades()


class DoneForm(forms.Form):
    done_note = _text("What was done", required=True, message="Say what was done")


class ItemEditForm(forms.Form):
    text = _text("What the auditor checks", rows=4, required=True, message="Enter what the auditor checks")
    timescale = _text("Timescale checked", rows=2)
    change_note = _text("What changed and why", rows=2, required=True, message="Say what changed and why")


class ReportFilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="Every team")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


AUDIT_STATUS_CHOICES = [("", "Any status"), *Audit.Status.choices]
