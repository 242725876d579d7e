from django import forms
from django.utils import timezone

from cases.codes import PLACEMENT_TYPES
from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios, date_and_time, time_box
from cases.models import User
from cases.submissions import CreateOnce
from planning.services.conferences import CATEGORIES
from planning.services.plans import STARTED_BY_HAND

from .models import AdoptionStep, CareCheck, Meeting, Plan


class PlacementForm(CreateOnce):
    placement_type = forms.ChoiceField(label="Type of placement",
                                       error_messages={"required": "Select the type of placement"})
    carer = forms.CharField(label="Carer or provider", max_length=200,
                            error_messages={"required": "Enter the carer or provider"})  # fmt: skip
    started_on = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    # Some authorities count the placement's first clocks in hours (Leeds: the planning meeting within
    # 72 hours), so the hour the child arrived matters.
    started_time = time_box("Time the child arrived")
    change_reason = forms.CharField(label="Why the placement changed", required=False,
                                    help_text="Needed when the child moves from another placement",
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    emergency = forms.BooleanField(label="This was an emergency or unplanned placement", required=False,
                                   help_text="Some authorities allow longer after an unplanned move")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The DfE's list changes by collection year: offer this year's codes.
        offered = PLACEMENT_TYPES.offered(timezone.localdate())
        self.fields["placement_type"].choices = [("", "Choose the type"), *offered]

    def clean(self):
        data = super().clean()
        data["started_at"] = date_and_time(self, "started_on", "started_time", "time the child arrived")
        return data

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "started_time"}


class PermanenceForm(forms.Form):
    agreed_on = GovukDateField(label="Date agreed as permanent", help_text="For example, 27 3 2026")


# --- Plans, conferences and meetings -----------------------------------------------------------


def _text(label: str, rows: int = 4, required: bool = False, help_text: str = "", message: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"})  # fmt: skip


class _HeldForm(CreateOnce):
    """A meeting held on a day at a time."""

    held_on = GovukDateField(label="Date held", help_text="For example, 27 3 2026")
    held_time = time_box("Time it started")

    def clean(self):
        data = super().clean()
        data["held_at"] = date_and_time(self, "held_on", "held_time", "time it started")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("held_on", None), data.pop("held_time", None)
        return data


class InitialConferenceForm(_HeldForm):
    attendees = _text("Who attended", rows=3)  # checked by the service, with the other fields
    decision = forms.ChoiceField(
        label="The conference's decision", widget=GovukRadios,
        choices=[(Meeting.Decision.CP_PLAN.value, Meeting.Decision.CP_PLAN.label),
                 (Meeting.Decision.NO_PLAN.value, Meeting.Decision.NO_PLAN.label)],
        error_messages={"required": "Select the conference's decision"},
    )  # fmt: skip
    categories = forms.MultipleChoiceField(label="Categories of abuse or neglect", choices=CATEGORIES, required=False,
                                           widget=GovukCheckboxes, help_text="Select all that apply")  # fmt: skip
    summary = _text("Recommendations and the outline plan", rows=6)


class CoreGroupForm(_HeldForm):
    attendees = _text("Who attended", rows=3)  # checked by the service, with the other fields
    summary = _text("Progress and changes to the plan", rows=6)


class ReviewConferenceForm(_HeldForm):
    attendees = _text("Who attended", rows=3)  # checked by the service, with the other fields
    decision = forms.ChoiceField(
        label="The conference's decision", widget=GovukRadios,
        choices=[(Meeting.Decision.CONTINUE.value, Meeting.Decision.CONTINUE.label),
                 (Meeting.Decision.END.value, Meeting.Decision.END.label)],
        error_messages={"required": "Select whether the plan continues or ends"},
    )  # fmt: skip
    summary = _text("Recommendations (and why the plan ends, if it does)", rows=6)


class MeetingForm(_HeldForm):
    """A CIN meeting, placement planning meeting, looked-after review or pathway plan review."""

    attendees = _text("Who attended", rows=3)  # checked by the service, with the other fields
    summary = _text("Discussion, decisions and changes to the plan", rows=6)


class LookedAfterReviewForm(MeetingForm):
    adjourned = forms.BooleanField(label="The review was adjourned and will be completed later", required=False,
                                   help_text="A review can be adjourned once; the next review clock keeps running "
                                             "until it is completed")  # fmt: skip


class CareCheckForm(CreateOnce):
    kind = forms.ChoiceField(label="What was done", widget=GovukRadios, choices=CareCheck.Kind.choices,
                             error_messages={"required": "Select what was done"})  # fmt: skip
    done_on = GovukDateField(label="Date", help_text="For example, 27 3 2026")
    notes = _text("Notes (optional)", rows=3)


class BookingForm(CreateOnce):
    kind = forms.ChoiceField(label="Meeting", widget=GovukRadios, choices=[
        (kind.value, kind.label)
        for kind in (Meeting.Kind.ICPC, Meeting.Kind.RCPC, Meeting.Kind.LAC_REVIEW, Meeting.Kind.CIN_REVIEW)
    ], error_messages={"required": "Select the meeting to book"})  # fmt: skip
    scheduled_on = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026")
    scheduled_time = time_box("Time it starts")
    exclusion_expected = forms.BooleanField(
        label="I expect to ask the chair to exclude a family member", required=False,
        help_text="Child protection conferences only: the request and its reasons then go to the chair in advance",
    )

    def clean(self):
        data = super().clean()
        data["scheduled_at"] = date_and_time(self, "scheduled_on", "scheduled_time", "time it starts")
        return data


class PlanStartForm(CreateOnce):
    kind = forms.ChoiceField(label="Kind of plan", widget=GovukRadios,
                             choices=[(kind.value, Plan.Kind(kind).label) for kind in STARTED_BY_HAND],
                             error_messages={"required": "Select the kind of plan"})  # fmt: skip
    started_on = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    outcomes = _text("Outcomes sought", rows=6, required=True, message="Enter the outcomes the plan seeks")
    contingency = _text("Contingency plan", rows=4, required=True, message="Enter the contingency plan")


class PlanReviseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcomes = _text("Outcomes sought", rows=8, required=True, message="Enter the outcomes the plan seeks")
    contingency = _text("Contingency plan", rows=4, required=True, message="Enter the contingency plan")


class PlanEndForm(forms.Form):
    ended_on = GovukDateField(label="Date the plan ended", help_text="For example, 27 3 2026", required=False)
    end_reason = _text("Why the plan ended", rows=3)  # checked by the service, with the date


class ActionForm(CreateOnce):
    what = forms.CharField(label="What is to be done", max_length=300,
                           error_messages={"required": "Enter what is to be done"})  # fmt: skip
    owner = forms.ModelChoiceField(label="Who will do it", queryset=None, empty_label="Choose who",
                                   error_messages={"required": "Choose who will do it"})  # fmt: skip
    due_on = GovukDateField(label="By when", help_text="For example, 27 3 2026")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(authority=authority, is_active=True).order_by("full_name")


class PrivateFosteringNotificationForm(CreateOnce):
    received_on = GovukDateField(label="Date the notification was received", help_text="For example, 21 12 2026")
    received_time = time_box("Time it was received")
    notified_by = forms.CharField(label="Who notified", max_length=200,
                                  help_text="For example, the parent, the carer, a school or a health visitor",
                                  error_messages={"required": "Enter who notified the authority"})  # fmt: skip
    arrangement_started_on = GovukDateField(label="Date the arrangement starts or started",
                                            help_text="For example, 4 1 2027")  # fmt: skip
    carer = forms.CharField(label="Private foster carer", max_length=200,
                            error_messages={"required": "Enter the private foster carer"})  # fmt: skip

    def clean(self):
        data = super().clean()
        data["received_at"] = date_and_time(self, "received_on", "received_time", "time it was received")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("received_on", None), data.pop("received_time", None)
        return data


class PrivateFosteringAbsenceForm(CreateOnce):
    left_on = GovukDateField(label="Date the child left the carer", help_text="For example, 4 1 2027")
    returned_on = GovukDateField(label="Date the child returned (if they have)", required=False,
                                 help_text="Leave blank if the child is still away")  # fmt: skip
    notes = _text("Where the child is and why", rows=3)


class PrivateFosteringReturnForm(CreateOnce):
    returned_on = GovukDateField(label="Date the child returned", help_text="For example, 1 2 2027")


class AdoptionStepChoiceForm(forms.Form):
    """The first of the two pages: which step (each step's page then asks only what it needs)."""

    kind = forms.ChoiceField(label="Which step do you want to record?", widget=GovukRadios, choices=(),
                             error_messages={"required": "Select the adoption step"})  # fmt: skip

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, AdoptionStep.Kind(kind).label) for kind in kinds]


class AdoptionStepForm(CreateOnce):
    happened_on = GovukDateField(label="Date", help_text="For example, 27 3 2026")
    notes = _text("Notes (optional)", rows=3)


class PlacedForAdoptionForm(CreateOnce):
    happened_on = GovukDateField(label="Date the child was placed", help_text="For example, 27 3 2026")
    carer = forms.CharField(label="Prospective adopters", max_length=200, required=False,
                            help_text="Their names, as the placement will show them")  # checked by the service
    foster_for_adoption = forms.BooleanField(
        label="The adopters are the child's current foster carers (fostering for adoption)", required=False)
    notes = _text("Notes (optional)", rows=3)
