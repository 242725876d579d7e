"""Forms for closing, transferring and restricting. The services enforce the rules (the gate, who
may decide); these forms turn the boxes into values with GOV.UK messages."""

from django import forms

from cases.codes import ClosureReason
from cases.govuk_widgets import GovukCheckboxes, GovukRadios
from cases.models import Team, User
from cases.services.closure import gate_blocks_transfer
from cases.submissions import CreateOnce

TEXTAREA = {"rows": 5}


class ClosureRequestForm(CreateOnce):
    reason = forms.ChoiceField(label="Reason for closure", choices=ClosureReason.choices, widget=GovukRadios,
                               error_messages={"required": "Select the reason the case is closing"})  # fmt: skip
    summary = forms.CharField(
        label="Closure summary",
        help_text="The main issues, the action taken, why the case is closing, and the views of the child, "
        "the parents and the professionals",
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the closure summary"},
    )
    gate_override = forms.CharField(
        label="Why the case may close although something above is not met",
        help_text="Only needed if an item above is not met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferRequestForm(CreateOnce):
    to_team = forms.ModelChoiceField(label="Team to transfer to", queryset=Team.objects.none(),
                                     error_messages={"required": "Select the team to transfer to"})  # fmt: skip
    summary = forms.CharField(
        label="Transfer summary",
        help_text="The main issues, the action taken, the plan, and what the receiving team needs to know",
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the transfer summary"},
    )

    gate_override = forms.CharField(
        label="Why the case may move although something above is not met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if not gate_blocks_transfer(case):
            del self.fields["gate_override"]  # the gate informs the manager but does not block here
        self.fields["to_team"].queryset = Team.objects.filter(authority_id=case.authority_id, is_active=True).exclude(
            pk=case.team_id
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=GovukRadios,
        error_messages={"required": "Select approve or decline"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Needed if you decline: say what must happen first",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", "Enter why the request is declined")
        return data


class RestrictionForm(forms.Form):
    restricted = forms.ChoiceField(
        label="Restrict this record?",
        choices=[("yes", "Yes, only the people named below may see it"), ("no", "No, not restricted")],
        widget=GovukRadios,
        error_messages={"required": "Select whether the record is restricted"},
    )
    named_users = forms.ModelMultipleChoiceField(
        label="People who may see the record",
        help_text="You stay on the list, so you cannot lock yourself out",
        queryset=User.objects.none(),
        required=False,
        widget=GovukCheckboxes,
    )

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = User.objects.filter(authority_id=authority_id, is_active=True).order_by(
            "full_name", "pk"
        )
