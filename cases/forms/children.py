"""Forms for the child's record, referrals, decisions and allocation. Model validation (dates,
consent) runs in the services; these forms turn the boxes into values with GOV.UK messages."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from cases.codes import CategoryOfNeed, Ethnicity, ReferralSource, Sex
from cases.codes.ssda903 import SOCIAL_WORKER_CHANGE_REASONS
from cases.govuk_widgets import GovukDateField, GovukRadios
from cases.models import Referral, Team, User
from cases.selectors.work import workers_with_load
from cases.submissions import CreateOnce

NUMERIC_10 = {"class": "govuk-input--width-10", "inputmode": "numeric"}


class BirthAndNhsNumber:
    """Shared by every form that edits who the child is: a birth date or an expected one, and an
    NHS number typed with or without spaces."""

    def clean_nhs_number(self):
        return self.cleaned_data["nhs_number"].replace(" ", "")

    def clean(self):
        data = super().clean()
        if not data.get("date_of_birth") and not data.get("expected_date_of_birth") and not self.errors:
            self.add_error("date_of_birth", "Enter the date of birth, or the expected date for an unborn child")
        return data


class ChildForm(CreateOnce, BirthAndNhsNumber, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the first name"})  # fmt: skip
    last_name = forms.CharField(label="Last name", max_length=100,
                                error_messages={"required": "Enter the last name"})  # fmt: skip
    other_names = forms.CharField(label="Other names (optional)", required=False, max_length=300,
                                  help_text="Previous or alternative names, separated by commas")  # fmt: skip
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 2019")
    expected_date_of_birth = GovukDateField(label="Expected date of birth", required=False,
                                            help_text="Only for an unborn child")  # fmt: skip
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=GovukRadios, initial=Sex.UNKNOWN)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT)
    nhs_number = forms.CharField(label="NHS number (optional)", required=False, max_length=12,
                                 widget=forms.TextInput(attrs=NUMERIC_10))  # fmt: skip
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ChildSearchForm(forms.Form):
    q = forms.CharField(label="Name or case ID", required=False)
    born_on = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False)


class ReferralForm(CreateOnce):
    team = forms.ModelChoiceField(label="Team to decide", queryset=Team.objects.none(),
                                  error_messages={"required": "Select the team that will decide"})  # fmt: skip
    received_date = GovukDateField(label="Date received")
    received_time = forms.CharField(label="Time received", help_text="24-hour clock, for example 16:05",
                                    widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                                    error_messages={"required": "Enter the time received"})  # fmt: skip
    referrer_name = forms.CharField(label="Referrer's name", error_messages={"required": "Enter the referrer's name"})
    referrer_agency = forms.CharField(label="Referrer's agency (optional)", required=False)
    referrer_contact = forms.CharField(label="Referrer's phone or email (optional)", required=False)
    source = forms.ChoiceField(label="Source", choices=[("", "Choose the source")] + ReferralSource.choices,
                               error_messages={"required": "Select the source of the referral"})  # fmt: skip
    reasons = forms.CharField(label="What the referrer is worried about", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Enter what the referrer is worried about"})  # fmt: skip
    category_of_need = forms.ChoiceField(label="Category of need", choices=CategoryOfNeed.choices, initial="N0")
    child_protection = forms.BooleanField(label="This is a child-protection referral", required=False)
    consent = forms.ChoiceField(label="Consent", choices=Referral.Consent.choices, widget=GovukRadios,
                                error_messages={"required": "Select whether consent was given"})  # fmt: skip
    consent_by = forms.CharField(label="Who gave or refused consent", required=False)
    consent_on = GovukDateField(label="Date of consent", required=False)
    consent_reason = forms.CharField(label="Why consent was not needed, refused or not sought", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(authority=authority, is_active=True)

    def clean_received_time(self):
        text = self.cleaned_data["received_time"].strip()
        try:
            return time.fromisoformat(text if ":" in text else f"{text}:00")
        except ValueError:
            raise forms.ValidationError("Enter the time received as hours and minutes, like 16:05") from None

    def referral_fields(self) -> dict:
        data = dict(self.cleaned_data)
        received = datetime.combine(data.pop("received_date"), data.pop("received_time"))
        data.pop("team")
        return {"received_at": timezone.make_aware(received), **data}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=Referral.Decision.choices, widget=GovukRadios,
                                 error_messages={"required": "Select the decision"})  # fmt: skip
    rationale = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": "Enter the reasons for the decision"})  # fmt: skip


class AllocationForm(forms.Form):
    worker = forms.ModelChoiceField(label="Social worker", queryset=User.objects.none(), widget=GovukRadios,
                                    help_text="Each worker's open cases and overdue deadlines today",
                                    error_messages={"required": "Select the social worker"})  # fmt: skip

    def __init__(self, *args, team, previous_worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        workers = workers_with_load(team)
        self.fields["worker"].queryset = workers
        # Each worker's load under their name, so the choice is made knowing who has room.
        self.fields["worker"].widget.hints = {
            str(worker.pk): f"{worker.caseload} open case{'s' if worker.caseload != 1 else ''}, "
                            f"{worker.overdue} overdue" for worker in workers
        }  # fmt: skip
        if previous_worker is not None:
            # The DfE asks why a child's social worker changed; its list changes by collection year.
            self.fields["change_reason"] = forms.ChoiceField(
                label=f"Why is the social worker changing from {previous_worker}?", widget=GovukRadios,
                choices=SOCIAL_WORKER_CHANGE_REASONS.offered(timezone.localdate()),
                error_messages={"required": "Select why the social worker is changing",
                                "invalid_choice": "Select one of the reasons listed"},
            )  # fmt: skip
