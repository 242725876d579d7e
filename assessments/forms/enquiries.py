"""Forms for strategy discussions and section 47 enquiries. The services check the rules (when,
who, multi-agency); these turn boxes into values with GOV.UK messages."""


from django import forms

from assessments.models.enquiries import Agency, Section47Enquiry, StrategyDiscussion
from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios, date_and_time, time_box
from cases.models import User
from cases.roles import Role
from cases.submissions import CreateOnce

PARTICIPANT_ROWS = 6
CHAIRS = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.SOCIAL_WORKER)


class StrategyDiscussionForm(CreateOnce):
    held_on = GovukDateField(label="Date of the discussion", help_text="For example 27 3 2026")
    held_time = time_box("Time the discussion started")
    chair = forms.ModelChoiceField(label="Who chaired it", queryset=User.objects.none(), empty_label="Choose the chair",
                                   error_messages={"required": "Select who chaired the discussion"})  # fmt: skip
    information_shared = forms.CharField(label="Information shared", required=False,
                                         help_text="What each agency knew about the child and family",
                                         widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    decision = forms.ChoiceField(label="Decision", choices=StrategyDiscussion.Decision.choices, widget=GovukRadios,
                                 error_messages={"required": "Select the decision"})  # fmt: skip
    rationale = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 5}),
                                error_messages={"required": "Enter the reasons for the decision"})  # fmt: skip

    def __init__(self, *args, case, conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = (
            User.objects.filter(authority_id=case.authority_id, is_active=True, role_assignments__role__in=CHAIRS)
            .distinct()
            .order_by("full_name")
        )
        for row in range(1, PARTICIPANT_ROWS + 1):
            self.fields[f"participant_{row}_name"] = forms.CharField(label="Name", required=False, max_length=200)
            self.fields[f"participant_{row}_agency"] = forms.ChoiceField(
                label="Agency", required=False, choices=[("", "Choose the agency"), *Agency.choices]
            )
            self.fields[f"participant_{row}_role"] = forms.CharField(label="Role", required=False, max_length=200)
        if conditions:
            # Only where the authority's timescales vary with them: otherwise the question is noise.
            self.fields["conditions"] = forms.MultipleChoiceField(
                label="Conditions that apply", required=False, choices=conditions, widget=GovukCheckboxes,
                help_text="These can shorten the clocks the discussion starts",
            )  # fmt: skip

    def participant_rows(self) -> list[tuple[int, list]]:
        """(row number, [name, agency, role] bound fields) for the template's repeated fieldsets."""
        return [(row, [self[f"participant_{row}_{part}"] for part in ("name", "agency", "role")])
                for row in range(1, PARTICIPANT_ROWS + 1)]  # fmt: skip

    def main_fields(self, names: tuple[str, ...]) -> list:
        return [self[name] for name in names if name in self.fields]

    def clean(self):
        data = super().clean()
        for row in range(1, PARTICIPANT_ROWS + 1):
            name, agency, role = (data.get(f"participant_{row}_{part}") for part in ("name", "agency", "role"))
            if (agency or role) and not name:
                self.add_error(f"participant_{row}_name", f"Enter participant {row}'s name")
            if (name or role) and not agency:
                self.add_error(f"participant_{row}_agency", f"Select participant {row}'s agency")
        self.cleaned_data["held_at"] = date_and_time(self, "held_on", "held_time", "time the discussion started")
        return self.cleaned_data

    def discussion_fields(self) -> dict:
        data = self.cleaned_data
        participants = [{part: data.get(f"participant_{row}_{part}", "") for part in ("name", "agency", "role")}
                        for row in range(1, PARTICIPANT_ROWS + 1)]  # fmt: skip
        return {"held_at": data["held_at"], "chair": data["chair"], "participants": participants,
                "information_shared": data["information_shared"], "decision": data["decision"],
                "rationale": data["rationale"], "conditions": tuple(data.get("conditions") or ())}  # fmt: skip


# A service's error on a field the form shows under another name.
DISCUSSION_FIELD_FOR = {"held_at": "held_on", "participants": "participant_1_name"}


class ChildSeenForm(forms.Form):
    """Seen, and seen alone or why not. Once seen is recorded only the seen-alone part is asked."""

    seen_on = GovukDateField(label="Date the child was seen", required=False)
    seen_time = time_box("Time the child was seen", required=False)
    seen_alone_on = GovukDateField(label="Date the child was seen alone", required=False)
    seen_alone_time = time_box("Time the child was seen alone", required=False)
    not_seen_alone_reason = forms.CharField(
        label="Or, why seeing the child alone was not appropriate", required=False,
        help_text="For example, a baby, or the child declined", widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, enquiry: Section47Enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        if enquiry.child_seen_at:
            del self.fields["seen_on"], self.fields["seen_time"]

    def clean(self):
        data = super().clean()
        data["seen_at"] = date_and_time(self, "seen_on", "seen_time", "time the child was seen")
        data["seen_alone_at"] = date_and_time(self, "seen_alone_on", "seen_alone_time",
                                               "time the child was seen alone")  # fmt: skip
        return data

    def seen_fields(self) -> dict:
        data = self.cleaned_data
        return {"seen_at": data["seen_at"], "seen_alone_at": data["seen_alone_at"],
                "not_seen_alone_reason": data["not_seen_alone_reason"]}  # fmt: skip


SEEN_FIELD_FOR = {"seen_at": "seen_on", "seen_alone_at": "seen_alone_on"}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=Section47Enquiry.Outcome.choices, widget=GovukRadios,
                                error_messages={"required": "Select the outcome of the enquiry"})  # fmt: skip
    findings = forms.CharField(label="Findings", widget=forms.Textarea(attrs={"rows": 6}),
                               help_text="What the enquiry found, and why the outcome follows",
                               error_messages={"required": "Enter the findings of the enquiry"})  # fmt: skip
