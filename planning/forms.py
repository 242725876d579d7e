from django import forms

from cases.govuk_widgets import GovukDateField

from .codes import PlacementType


class PlacementForm(forms.Form):
    placement_type = forms.ChoiceField(
        label="Type of placement", choices=[("", "Choose the type"), *PlacementType.choices],
        error_messages={"required": "Select the type of placement"},
    )
    carer = forms.CharField(label="Carer or provider", max_length=200,
                            error_messages={"required": "Enter the carer or provider"})  # fmt: skip
    started_on = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    change_reason = forms.CharField(label="Why the placement changed", required=False,
                                    help_text="Needed when the child moves from another placement",
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class PermanenceForm(forms.Form):
    agreed_on = GovukDateField(label="Date agreed as permanent", help_text="For example, 27 3 2026")
