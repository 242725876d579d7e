from django import forms
from django.utils import timezone

from cases.codes import PLACEMENT_TYPES
from cases.codes.ssda903 import (
    CARE_LEAVER_ACCOMMODATION_KINDS,
    CARE_LEAVER_ACTIVITIES,
    EPISODE_END_REASONS,
    IN_TOUCH,
    MISSING_KINDS,
    PLACEMENT_CHANGE_REASONS,
    PLACEMENT_PROVIDERS,
    REVIEW_PARTICIPATION,
    SDQ_REASONS,
)
from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios, LongSelect, date_and_time, time_box
from cases.models import User
from cases.submissions import CreateOnce
from planning.services.conferences import CATEGORIES
from planning.services.plans import STARTED_BY_HAND

from .models import Adopters, AdoptionStep, CareCheck, Meeting, Plan, PreProceedings, PreviousPermanence


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
    # Which of these the DfE needs depends on the type (and on whether the child moves), so the
    # service decides, and says which is missing.
    move_reason = forms.ChoiceField(label="Reason for the change of placement", required=False,
                                    help_text="Needed when the child moves from another placement, unless either "
                                              "placement is temporary")  # fmt: skip
    provider = forms.ChoiceField(label="Placement provider", required=False,
                                 help_text="Leave blank for a temporary or ‘other’ placement")  # fmt: skip
    postcode = forms.CharField(label="Postcode of the placement", required=False, max_length=10, widget=forms.TextInput(
        attrs={"autocomplete": "postal-code", "class": "govuk-input govuk-input--width-10"}))  # fmt: skip
    urn = forms.CharField(label="Ofsted unique reference number (URN)", required=False, max_length=10,
                          help_text="For example, SC123456. Enter XXXXXXX if the provider has none (placed "
                                    "outside England, or not registered); leave blank where Ofsted does not "
                                    "register this type of placement",
                          widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))  # fmt: skip
    emergency = forms.BooleanField(label="This was an emergency or unplanned placement", required=False,
                                   help_text="Some authorities allow longer after an unplanned move")  # fmt: skip

    def __init__(self, *args, moving: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The DfE's list changes by collection year: offer this year's codes.
        offered = PLACEMENT_TYPES.offered(timezone.localdate())
        self.fields["placement_type"].choices = [("", "Choose the type"), *offered]
        self.fields["provider"].choices = [("", "No provider (temporary or other)"), *PLACEMENT_PROVIDERS.choices]
        if moving:
            self.fields["move_reason"].choices = [("", "Choose the reason"), *PLACEMENT_CHANGE_REASONS.choices]
        else:  # a first placement ends none, so there is no move to give a reason for
            del self.fields["move_reason"]

    def clean(self):
        data = super().clean()
        data["started_at"] = date_and_time(self, "started_on", "started_time", "time the child arrived")
        return data

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "started_time"}


class PlacementCorrectForm(CreateOnce):
    """What was recorded about a placement, to correct; the service checks the DfE's rules for the
    type (as at the start) and refuses a save made after someone else's."""

    placement_type = PlacementForm.base_fields["placement_type"]
    carer = PlacementForm.base_fields["carer"]
    provider = PlacementForm.base_fields["provider"]
    postcode = PlacementForm.base_fields["postcode"]
    urn = PlacementForm.base_fields["urn"]
    # The placement's version when this form was loaded: a save after someone else's is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        # The types of the year the placement must be coded for (this year's while it is open), and
        # the one it holds, so an ended placement keeps its code unless it is changed.
        day = placement.ended_on or timezone.localdate()
        offered = PLACEMENT_TYPES.offered(day, keep=[placement.placement_type])
        self.fields["placement_type"].choices = [("", "Choose the type"), *offered]
        self.fields["provider"].choices = [("", "No provider (temporary or other)"), *PLACEMENT_PROVIDERS.choices]

    @classmethod
    def for_placement(cls, placement, data=None) -> "PlacementCorrectForm":
        initial = {name: getattr(placement, name) for name in ("placement_type", "carer", "provider", "postcode",
                                                               "urn", "version")}  # fmt: skip
        return cls(data, initial=initial, placement=placement)

    def values(self) -> dict:
        return dict(self.cleaned_data)


class ParticipationForm(CreateOnce):
    participation = forms.ChoiceField(label="The child's participation in the review", widget=GovukRadios,
                                      choices=REVIEW_PARTICIPATION.choices, required=False)  # checked by the service
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    @classmethod
    def for_meeting(cls, meeting, data=None) -> "ParticipationForm":
        form = cls(data, initial={"participation": meeting.participation, "version": meeting.version})
        if meeting.decision != Meeting.Decision.ADJOURNED:
            form.fields["participation"].help_text = ""
        else:
            form.fields["participation"].help_text = "Not needed, as the review was adjourned"
        return form


class PlacementEndForm(forms.Form):
    ended_on = GovukDateField(label="Date the placement ended", help_text="For example, 27 3 2026")
    end_reason = forms.ChoiceField(
        label="Why the placement ended", widget=GovukRadios,
        # X1 (another episode follows) is recorded by moving the child to their next placement.
        choices=[(code, label) for code, label in EPISODE_END_REASONS.choices if code != "X1"],
        error_messages={"required": "Select why the placement ended"},
    )  # fmt: skip


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
    participation = forms.ChoiceField(label="The child's participation in the review", widget=GovukRadios,
                                      choices=REVIEW_PARTICIPATION.choices, required=False,
                                      help_text="Not needed if the review was adjourned")  # checked by the service
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
    owner = forms.ModelChoiceField(label="Who will do it", queryset=None, empty_label="Choose who", widget=LongSelect,
                                   error_messages={"required": "Choose who will do it"})  # fmt: skip
    due_on = GovukDateField(label="By when", help_text="For example, 27 3 2026")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(authority=authority, is_active=True).order_by("full_name")
        self.fields["owner"].queryset = people
        # Offered as (id, name) pairs, as User.__str__ names people: the authority's hundreds of
        # staff need not be built as models to be listed. The field still checks the chosen one.
        owner = self.fields["owner"]
        named = people.values_list("pk", "full_name", "email")
        owner.widget.choices = [("", owner.empty_label), *((pk, name or email) for pk, name, email in named)]


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


class AdoptionOrderForm(AdoptionStepForm):
    """The hearing: how the order was made is how the DfE records the end of the child's care."""

    order_opposed = forms.ChoiceField(
        label="How was the adoption order made?", widget=GovukRadios,
        choices=[("E11", "The application was not opposed"), ("E12", "The court dispensed with the parents' consent")],
        error_messages={"required": "Select whether the adoption order was made with the parents' consent"},
    )
    field_order = ["happened_on", "order_opposed", "notes"]


class PlacedForAdoptionForm(CreateOnce):
    happened_on = GovukDateField(label="Date the child was placed", help_text="For example, 27 3 2026")
    carer = forms.CharField(label="Prospective adopters", max_length=200, required=False,
                            help_text="Their names, as the placement will show them")  # checked by the service
    foster_for_adoption = forms.BooleanField(
        label="The adopters are the child's current foster carers (fostering for adoption)", required=False)
    # Parents never provide an adoptive placement.
    provider = forms.ChoiceField(label="Who provides the placement (the adoption agency)?", widget=GovukRadios,
                                 choices=[choice for choice in PLACEMENT_PROVIDERS.choices if choice[0] != "PR0"],
                                 required=False)  # the placement's own check asks for it, with the step's others
    # The DfE's fields of the adoptive placement and of the move to it: the service says which is
    # missing or wrong, with the step's own errors.
    postcode = forms.CharField(label="Postcode of the adoptive placement", required=False, max_length=10,
                               help_text="The prospective adopters' home. For example, LS1 4AB",
                               widget=forms.TextInput(attrs={"autocomplete": "off",
                                                             "class": "govuk-input govuk-input--width-10"}))
    urn = forms.CharField(label="Ofsted unique reference number (URN) of the adoption agency", required=False,
                          max_length=10,
                          help_text="For example, SC123456. Enter XXXXXXX if it has none (placed outside England, "
                                    "or not registered)",
                          widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))  # fmt: skip
    move_reason = forms.ChoiceField(label="Reason for the change of placement", widget=GovukRadios, required=False,
                                    choices=PLACEMENT_CHANGE_REASONS.choices,
                                    help_text="Why the child left their current placement, in the DfE's words. "
                                              "A move to adopters is usually a change to, or carrying out of, "
                                              "the care plan; where the foster carers become the adopters, a "
                                              "change in the placement's status only")  # fmt: skip
    # Dropped from the page drawn for a child with no placement, or a temporary one, where the DfE
    # records no reason for the move (planning.views.plans.adoption_step_new).
    notes = _text("Notes (optional)", rows=3)
    field_order = ["happened_on", "carer", "foster_for_adoption", "provider", "postcode", "urn", "move_reason",
                   "notes"]  # fmt: skip


# --- The DfE returns' adoption, liberty and pre-proceedings fields -----------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, message: str, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, widget=GovukRadios, choices=YES_NO, coerce=lambda value: value == "yes",
                                  empty_value=None, required=required, help_text=help_text,
                                  error_messages={"required": message})  # fmt: skip


def yes_no_initial(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


def _choices_of(model, field: str) -> list[tuple[str, str]]:
    return list(model._meta.get_field(field).choices)


class _AdoptersFields(forms.Form):
    """The SSDA903 AD1 details. The service says which is missing or disagrees with another, with
    the step's own errors, so the person sees every problem at once."""

    adopters_number = forms.TypedChoiceField(label="How many adopters are there?", widget=GovukRadios, coerce=int,
                                             choices=[("1", "One (a single adopter)"), ("2", "Two (a couple)")],
                                             required=False, empty_value=None)  # fmt: skip
    adopters_sex = forms.ChoiceField(label="Sex of the adopters", widget=GovukRadios, required=False,
                                     choices=_choices_of(Adopters, "sex"))  # fmt: skip
    adopters_legal_status = forms.ChoiceField(label="Legal status of the adopters", widget=GovukRadios,
                                              required=False, choices=_choices_of(Adopters, "legal_status"))
    adopters_were_foster_carers = _yes_no("Were the adopters the child's foster carers?", "", required=False)


class MatchForm(CreateOnce, _AdoptersFields):
    happened_on = GovukDateField(label="Date matched", help_text="For example, 27 3 2026")
    notes = _text("Notes (optional)", rows=3)
    field_order = ["happened_on", "adopters_number", "adopters_sex", "adopters_legal_status",
                   "adopters_were_foster_carers", "notes"]  # fmt: skip


class PlacedWithAdoptersForm(PlacedForAdoptionForm, _AdoptersFields):
    """Placed for adoption where the match did not record the adopters' details."""

    field_order = ["happened_on", "carer", "foster_for_adoption", "provider", "postcode", "urn", "move_reason",
                   "adopters_number", "adopters_sex", "adopters_legal_status", "adopters_were_foster_carers",
                   "notes"]  # fmt: skip


class AdoptionReversedForm(CreateOnce):
    happened_on = GovukDateField(label="Date the decision was reversed", help_text="For example, 27 3 2026")
    reversal_reason = forms.ChoiceField(label="Why was the decision reversed?", widget=GovukRadios,
                                        choices=_choices_of(AdoptionStep, "reversal_reason"),
                                        error_messages={"required": "Select why the decision was reversed"})
    notes = _text("Notes (optional)", rows=3)


class LibertyOrderForm(CreateOnce):
    started_on = GovukDateField(label="Date the order started", help_text="For example, 27 3 2026")


class LibertyOrderEndForm(forms.Form):
    ended_on = GovukDateField(label="Date the order ended", help_text="For example, 27 3 2026")


def _part(label: str, part: str, width: int, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=maximum,
                              widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                            "class": f"govuk-input govuk-input--width-{width}"}),
                              error_messages={"invalid": f"Enter the {part} of the order as a number",
                                              "min_value": f"Enter a real {part} of the order",
                                              "max_value": f"Enter a real {part} of the order"})  # fmt: skip


class PreviousPermanenceForm(CreateOnce):
    code = forms.ChoiceField(label="Did the child leave care before through a permanence order?", widget=GovukRadios,
                             choices=_choices_of(PreviousPermanence, "code"),
                             error_messages={"required": "Select whether the child had a previous permanence order"})
    made_by = forms.CharField(label="Local authority that arranged the order", required=False, max_length=3,
                              help_text="Its 3-digit DfE number, like 383 for Leeds; WAL, SCO or NIR for Wales, "
                                        "Scotland or Northern Ireland; NUK outside the UK. Leave blank for "
                                        "‘not known’ or ‘none’",
                              widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4"}))  # fmt: skip
    made_day = _part("Day of the order (if known)", "day", 2, 31)
    made_month = _part("Month of the order (if known)", "month", 2, 12)
    made_year = _part("Year of the order", "year", 4, 9999)


class PreProceedingsForm(forms.Form):
    """Every field of the record: a start, then what is known so far (the service checks the order
    of the dates and which answers go together)."""

    started_on = GovukDateField(label="Date pre-proceedings started",
                                help_text="The legal planning meeting's decision. For example, 27 3 2026")
    letter_sent_on = GovukDateField(label="Date the letter before proceedings was sent", required=False)
    fgdm_offered = _yes_no("Did the letter offer a family group decision-making meeting?", "", required=False,
                           help_text="Leave blank until the letter is sent")  # fmt: skip
    fgdm_held = _yes_no("Was a family group decision-making meeting held?", "", required=False,
                        help_text="Only if one was offered; leave blank until it is known")  # fmt: skip
    first_meeting_on = GovukDateField(label="Date of the first pre-proceedings meeting", required=False)
    review_meetings = forms.IntegerField(label="Number of review meetings held", min_value=0, max_value=99, initial=0,
                                         widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                       "class": "govuk-input govuk-input--width-2"}),
                                         error_messages={"required": "Enter the number of review meetings held",
                                                         "invalid": "Enter the number of review meetings as a number",
                                                         "min_value": "Enter a number of review meetings from 0 to 99",
                                                         "max_value": "Enter a number of review meetings from 0 to 99"})
    decided_on = GovukDateField(label="Date of the decision to step up or down", required=False)
    outcome = forms.ChoiceField(label="Outcome", widget=GovukRadios, required=False,
                                choices=PreProceedings.Outcome.choices)  # fmt: skip
    court_application_on = GovukDateField(label="Date the application to court was made", required=False,
                                          help_text="Only if the decision was to issue care proceedings")  # fmt: skip
    proceedings_letter_on = GovukDateField(label="Date the letter initiating proceedings was sent", required=False,
                                           help_text="Only if the decision was to issue care proceedings")  # fmt: skip


class PreProceedingsStartForm(CreateOnce, PreProceedingsForm):
    pass


# --- The DfE's yearly outcomes and missing episodes (planning/services/outcomes.py, missing.py) --

_NO_ANSWER = ("", "Not given")


class HealthOutcomeForm(CreateOnce):
    recorded_on = GovukDateField(label="Date recorded", help_text="For example, 27 3 2027")
    sdq_score = forms.IntegerField(
        label="SDQ score", required=False, min_value=0, max_value=40,
        help_text="The total difficulties score, from 0 to 40. Leave blank if there is none, and say why below",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"invalid": "The SDQ score must be a whole number from 0 to 40",
                        "min_value": "The SDQ score must be a whole number from 0 to 40",
                        "max_value": "The SDQ score must be a whole number from 0 to 40"},
    )  # fmt: skip
    sdq_reason = forms.ChoiceField(label="Why there is no SDQ score", widget=GovukRadios, required=False,
                                   help_text="Only if there is no score")  # checked by the service, with the score
    immunisations_up_to_date = _yes_no("Are the child's immunisations up to date?", "", required=False)
    teeth_checked = _yes_no("Has the child had a dental check in the year?", "", required=False)
    health_assessment_up_to_date = _yes_no("Is the child's health assessment up to date?", "", required=False)
    health_check = _yes_no("Is the child's health check-up (development assessments) up to date?", "",
                           required=False, help_text="Only for a child under 5 on the date recorded")  # fmt: skip
    substance_misuse = _yes_no("Was the child identified as having a substance misuse problem?", "", required=False)
    intervention_received = _yes_no("Did the child receive an intervention for it?", "", required=False,
                                    help_text="Only if a substance misuse problem was identified")  # fmt: skip
    intervention_refused = _yes_no("Was the child offered an intervention and refused it?", "", required=False,
                                   help_text="Only if a substance misuse problem was identified")  # fmt: skip
    convicted = _yes_no("Was the child convicted, or given a final warning or reprimand, during the year?", "",
                        required=False)  # fmt: skip

    def __init__(self, *args, health_check: bool | None = None, **kwargs):
        """`health_check`: whether the child is under 5 on every date that may be recorded (True),
        on none (False: the question is not shown) or on some, or their age is not known (None:
        shown, with a hint that it is only for a child under 5)."""
        super().__init__(*args, **kwargs)
        self.fields["sdq_reason"].choices = SDQ_REASONS.offered(timezone.localdate())
        if health_check is False:
            del self.fields["health_check"]
        elif health_check:
            self.fields["health_check"].help_text = "Asked because the child is under 5"


class CareLeaverContactForm(CreateOnce):
    done_on = GovukDateField(label="Date of the contact", help_text="For example, 27 3 2027")
    in_touch = forms.ChoiceField(label="Are you in touch with the young person?", widget=GovukRadios, required=False,
                                 choices=IN_TOUCH.choices)  # checked by the service, with the rest
    activity = forms.ChoiceField(label="The young person's main activity", required=False,
                                 help_text="Not asked if the young person has died or returned home")  # fmt: skip
    accommodation = forms.ChoiceField(label="The kind of accommodation", required=False,
                                      help_text="Not asked if the young person has died or returned home")  # fmt: skip
    accommodation_suitable = _yes_no("Is the accommodation suitable for the young person?", "", required=False,
                                     help_text="No fixed abode and custody are never suitable")  # fmt: skip
    notes = _text("Notes (optional)", rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = CARE_LEAVER_ACTIVITIES.offered(timezone.localdate())
        activities = [(code, label) for code, label in offered if code != "0"]
        self.fields["activity"].choices = [("", "Choose the activity"), *activities]
        self.fields["accommodation"].choices = [("", "Choose the kind"), *CARE_LEAVER_ACCOMMODATION_KINDS]


class _ReturnInterviewForm(forms.Form):
    interview_offered = _yes_no("Was the child offered a return interview?", "", required=False,
                                help_text="Leave blank if it is not yet known")  # fmt: skip
    interview_offered_on = GovukDateField(label="Date the return interview was offered", required=False,
                                          help_text="For example, 27 3 2027")  # fmt: skip
    interview_accepted = _yes_no("Did the child accept the return interview?", "", required=False)


class _ReturnForm(_ReturnInterviewForm):
    ended_on = GovukDateField(label="Date the child came back", help_text="For example, 27 3 2027")
    ended_time = time_box("Time the child came back")

    field_order = ["ended_on", "ended_time"]

    def clean(self):
        data = super().clean()
        data["ended_at"] = date_and_time(self, "ended_on", "ended_time", "time the child came back")
        return data

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("ended_on", "ended_time")}


class MissingEpisodeForm(CreateOnce, _ReturnForm):
    kind = forms.ChoiceField(label="Was the child missing or away?", widget=GovukRadios, required=False,
                             choices=MISSING_KINDS.choices)  # checked by the service
    started_on = GovukDateField(label="Date the child went", help_text="For example, 27 3 2027")
    started_time = time_box("Time the child went")

    field_order = ["kind", "started_on", "started_time", "ended_on", "ended_time", "interview_offered",
                   "interview_offered_on", "interview_accepted"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = self.fields["ended_time"].required = False
        self.fields["ended_on"].label = "Date the child came back (if they have)"
        self.fields["ended_on"].help_text = "Leave blank if the child is still missing or away"

    def clean(self):
        data = super().clean()
        data["started_at"] = date_and_time(self, "started_on", "started_time", "time the child went")
        if data.get("ended_on") is None and (data.get("ended_time") or "").strip():
            self.add_error("ended_on", "Enter the date the child came back, or leave the time blank")
        return data

    def values(self) -> dict:
        return {name: value for name, value in super().values().items() if name not in ("started_on", "started_time")}


class MissingReturnForm(_ReturnForm):
    """The child came back: the end of an open episode."""


class ReturnInterviewForm(_ReturnInterviewForm):
    pass
