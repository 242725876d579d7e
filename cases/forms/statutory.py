"""The child's details the DfE's returns ask for. The rules on the values are the model's (run by
the service), so this form only turns the boxes into values."""

from django import forms
from django.utils import timezone

from cases.codes import DISABILITIES, UPN_UNKNOWN, Sex
from cases.govuk_widgets import GovukCheckboxes, GovukDateField
from cases.models import Child
from cases.models.children import upn_problem
from cases.services.statutory import STATUTORY_FIELDS

UPN_BOX = {"class": "govuk-input--width-20", "autocomplete": "off", "spellcheck": "false"}


class UpnField(forms.CharField):
    """Typed with spaces or in lower case, as it is often read out; the service checks the rest."""

    def __init__(self, *, what: str, **kwargs):
        self.too_long = f"The {what} {upn_problem('')}"
        super().__init__(required=False, max_length=20, widget=forms.TextInput(attrs=UPN_BOX),
                         error_messages={"max_length": self.too_long}, **kwargs)  # fmt: skip

    def clean(self, value):
        upn = "".join(super().clean(value).split()).upper()
        if len(upn) > Child._meta.get_field("upn").max_length:
            raise forms.ValidationError(self.too_long)
        return upn


class StatutoryDetailsForm(forms.Form):
    upn = UpnField(what="unique pupil number", label="Unique pupil number (optional)",
                   help_text="13 characters, for example A383200111111")  # fmt: skip
    former_upn = UpnField(what="former unique pupil number", label="Former unique pupil number (optional)",
                          help_text="Only if the child's school has given them a new one")  # fmt: skip
    upn_unknown = forms.ChoiceField(
        label="Why there is no unique pupil number (optional)", required=False,
        help_text="Only if there is no unique pupil number",
        error_messages={"invalid_choice": "Select why there is no unique pupil number from the list"},
    )  # fmt: skip
    disabilities = forms.MultipleChoiceField(
        label="Disabilities", required=False, widget=GovukCheckboxes,
        help_text="Select all that apply, or “No disability”. Leave every box empty if this is not known yet.",
        error_messages={"invalid_choice": "Select the child's disabilities from the list"},
    )  # fmt: skip
    uasc = forms.BooleanField(label="The child is an unaccompanied asylum-seeking child", required=False)
    uasc_ceased_on = GovukDateField(label="Date their unaccompanied asylum-seeking status ended", required=False,
                                    help_text="Only if it has ended, for example 27 3 2026")  # fmt: skip
    is_mother = forms.BooleanField(label="The child is a mother", required=False)
    mothers_child_born_on = GovukDateField(label="Date of birth of her child", required=False,
                                           help_text="For example, 27 3 2026")  # fmt: skip
    date_of_death = GovukDateField(label="Date of death", required=False, help_text="Only if the child has died")
    # The record's version when this form was loaded: a save after someone else's is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # A code the DfE has since withdrawn stays on offer for the record that holds it.
        self.fields["upn_unknown"].choices = [("", "Choose a reason"),
                                              *UPN_UNKNOWN.offered(today, keep=[child.upn_unknown])]  # fmt: skip
        self.fields["disabilities"].choices = DISABILITIES.offered(today, keep=child.disabilities)
        if child.sex != Sex.FEMALE and not child.is_mother:
            # The returns record motherhood only for a girl.
            del self.fields["is_mother"], self.fields["mothers_child_born_on"]

    @classmethod
    def for_child(cls, child: Child, data=None) -> "StatutoryDetailsForm":
        initial = {name: getattr(child, name) for name in STATUTORY_FIELDS} | {"version": child.version}
        return cls(data, initial=initial, child=child)

    def statutory_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
