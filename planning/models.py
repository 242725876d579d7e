"""Planning: plans, conferences and reviews arrive with their issue. Placements come first,
because a looked-after child's visits are scheduled from each placement."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.codes import PLACEMENT_TYPES
from cases.codes.ssda903 import (
    ADOPTER_LEGAL_STATUSES,
    ADOPTER_SEXES,
    CARE_LEAVER_ACCOMMODATION_KINDS,
    CARE_LEAVER_ACTIVITIES,
    EPISODE_END_REASONS,
    IN_TOUCH,
    MISSING_KINDS,
    NEVER_SUITABLE,
    PLACED_FOR_ADOPTION_ENDED,
    PLACEMENT_CHANGE_REASONS,
    PLACEMENT_PROVIDERS,
    PREVIOUS_PERMANENCE,
    REVIEW_PARTICIPATION,
    SDQ_REASONS,
)
from cases.models import Authority, Case, Child, User


class VersionedRecord(models.Model):
    """A record a practitioner may correct after it is saved. Every save, whichever page makes it,
    raises `version`, so a correction opened before someone else's save is refused rather than
    overwriting it (cases/concurrency.py), as the child's own record does."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class Placement(VersionedRecord):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    placement_type = models.CharField("Type of placement", max_length=3, choices=PLACEMENT_TYPES.choices)
    carer = models.CharField("Carer or provider", max_length=200)
    started_on = models.DateField("Start date")
    ended_on = models.DateField("End date", null=True, blank=True)
    change_reason = models.TextField("Why the placement changed", blank=True)
    # The SSDA903 return's placement fields (planning/episodes.py turns them into episodes). Blank
    # where the DfE wants none (a temporary placement has no provider) or where a placement was
    # recorded before they were asked.
    provider = models.CharField("Placement provider", max_length=PLACEMENT_PROVIDERS.longest,
                                choices=PLACEMENT_PROVIDERS.choices, blank=True)  # fmt: skip
    postcode = models.CharField("Postcode of the placement", max_length=8, blank=True)
    urn = models.CharField("Ofsted unique reference number (URN)", max_length=8, blank=True)
    # Both describe how this placement ended, as the DfE reads it from the episode that ends.
    end_reason = models.CharField("Why the placement ended", max_length=EPISODE_END_REASONS.longest,
                                  choices=EPISODE_END_REASONS.choices, blank=True)  # fmt: skip
    move_reason = models.CharField("Reason for the change of placement", max_length=PLACEMENT_CHANGE_REASONS.longest,
                                   choices=PLACEMENT_CHANGE_REASONS.choices, blank=True)  # fmt: skip
    permanence_agreed_on = models.DateField("Date agreed as permanent", null=True, blank=True)
    # Why the SSDA903 episode this placement began had begun (RNE), as the authority's previous system
    # recorded it, where the episodes before it are not held here: a placement imported from a past
    # return that continued a period of care. Blank otherwise, and the episodes say it themselves.
    imported_new_episode_reason = models.CharField(max_length=1, blank=True, editable=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(ended_on=None), name="one_current_placement")
        ]

    def __str__(self):
        return f"{self.get_placement_type_display()} with {self.carer}"


class Plan(models.Model):
    """A child's plan: child in need, child protection, care plan (looked after) or pathway plan
    (care leavers). Each change is a new version (`version` counts them; the history keeps every
    one); where the authority requires it, a manager other than the version's author approves it."""

    class Kind(models.TextChoices):
        CHILD_IN_NEED = "cin", "Child in need plan"
        CHILD_PROTECTION = "cp", "Child protection plan"
        CARE = "care", "Care plan"
        PATHWAY = "pathway", "Pathway plan"

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", "In force (no approval needed)"
        AWAITING = "awaiting", "Awaiting a manager's approval"
        APPROVED = "approved", "Approved"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    started_on = models.DateField("Start date")
    ended_on = models.DateField("End date", null=True, blank=True)
    end_reason = models.TextField("Why the plan ended", blank=True)
    outcomes = models.TextField("Outcomes sought", blank=True)
    contingency = models.TextField("Contingency plan", blank=True)
    version = models.PositiveIntegerField(default=1)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    approval = models.CharField(max_length=12, choices=Approval.choices, default=Approval.NOT_NEEDED)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(ended_on=None),
                                    name="one_open_plan_of_a_kind")
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PlanAction(models.Model):
    """What is to be done, by whom and by when: each open action is a deadline on the ledger for
    its owner, due on the agreed date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    what = models.CharField("What is to be done", max_length=300)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="Who")
    due_on = models.DateField("By when")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what

    @property
    def authority_id(self):
        return self.plan.authority_id


class Meeting(VersionedRecord):
    """A conference, core group, review or planning meeting: booked (for the clocks that run
    before it) and then held, with its chair, who attended and what it decided."""

    class Kind(models.TextChoices):
        ICPC = "icpc", "Initial child protection conference"
        CORE_GROUP = "core_group", "Core group meeting"
        RCPC = "rcpc", "Review child protection conference"
        CIN_MEETING = "cin_meeting", "Initial child in need meeting"
        CIN_REVIEW = "cin_review", "Child in need review meeting"
        PLACEMENT_PLANNING = "placement_planning", "Placement planning meeting"
        LAC_REVIEW = "lac_review", "Looked-after review"
        PATHWAY_REVIEW = "pathway_review", "Pathway plan review"

    class Decision(models.TextChoices):
        CP_PLAN = "cp_plan", "The child is to be the subject of a child protection plan"
        NO_PLAN = "no_plan", "No child protection plan: support as a child in need or no further action"
        CONTINUE = "continue", "The plan continues"
        END = "end", "The plan ends"
        ADJOURNED = "adjourned", "Adjourned, to be completed later"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="meetings")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scheduled_at = models.DateTimeField("Booked for", null=True, blank=True)
    held_at = models.DateTimeField("Held", null=True, blank=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attendees = models.TextField("Who attended", blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    categories = models.JSONField("Categories of abuse", default=list, blank=True)
    summary = models.TextField("Discussion and recommendations", blank=True)
    # A held looked-after review's SSDA903 participation code; blank for every other kind.
    participation = models.CharField("The child's participation", max_length=REVIEW_PARTICIPATION.longest,
                                     choices=REVIEW_PARTICIPATION.choices, blank=True)  # fmt: skip
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-scheduled_at", "-pk"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_held(self) -> bool:
        return self.held_at is not None


class CareCheck(models.Model):
    """A health assessment, a personal education plan, a pathway needs assessment or a personal
    adviser's contact: each meets its clock and, where it recurs, opens the next."""

    class Kind(models.TextChoices):
        INITIAL_HEALTH = "initial_health", "Initial health assessment"
        REVIEW_HEALTH = "review_health", "Review health assessment"
        PEP = "pep", "Personal education plan"
        PATHWAY_NEEDS = "pathway_needs", "Pathway needs assessment"
        ADVISER_CONTACT = "adviser_contact", "Personal adviser contact"
        SDQ = "sdq", "Strengths and Difficulties Questionnaire"
        PEP_REVIEW = "pep_review", "Personal education plan review"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_checks")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_checks")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    done_on = models.DateField("Date")
    notes = models.TextField("Notes", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return self.get_kind_display()


class HealthOutcome(models.Model):
    """A looked-after child's year in health, as the SSDA903 return's OC2 asks it, recorded by the
    child's social worker once a year (the return reads the latest in the year to 31 March).

    The SDQ score is kept here, not on the SDQ care check. The care check is the event that meets
    the SDQ clock and holds only what every check holds (a date and notes); the score is asked once
    a year, by the return, with its alternative (why there is none), so the two sit together on the
    one record the return reads, and exactly one of them is given. Recording a score where no SDQ
    was recorded in the year before also records that SDQ's care check (planning/services/outcomes.py),
    so the practitioner enters it once and the clock is still met."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="health_outcomes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_outcomes")
    recorded_on = models.DateField("Date recorded")
    sdq_score = models.PositiveSmallIntegerField("SDQ score", null=True, blank=True)
    sdq_reason = models.CharField("Why there is no SDQ score", max_length=SDQ_REASONS.longest,
                                  choices=SDQ_REASONS.choices, blank=True)  # fmt: skip
    immunisations_up_to_date = models.BooleanField("Immunisations up to date")
    teeth_checked = models.BooleanField("Dental check in the year")
    health_assessment_up_to_date = models.BooleanField("Health assessment up to date")
    # OC2's HEALTH_CHECK: asked only of a child under 5 on the date recorded (the DfE's rules 545,
    # 546); None otherwise.
    health_check = models.BooleanField("Health check-up (development assessments) up to date", null=True,
                                       blank=True)  # fmt: skip
    substance_misuse = models.BooleanField("Identified as having a substance misuse problem")
    # Asked only where a substance misuse problem was identified; None otherwise.
    intervention_received = models.BooleanField("Received an intervention for it", null=True, blank=True)
    intervention_refused = models.BooleanField("Offered an intervention but refused it", null=True, blank=True)
    convicted = models.BooleanField("Convicted, or given a final warning or reprimand, during the year")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sdq_score__isnull=True, sdq_reason__gt="")
                                   | models.Q(sdq_score__lte=40, sdq_reason=""), name="health_sdq_score_or_reason"),
        ]  # fmt: skip

    def __str__(self):
        return "Health and wellbeing in the year"


class CareLeaverContact(models.Model):
    """What the personal adviser found at the contact around a care leaver's birthday (the SSDA903
    return's OC3): whether they are in touch, the young person's main activity, and the kind of
    accommodation and whether it suits them. It belongs to the adviser contact (`contact`) that
    meets the contact clock, so the date and who made the contact are that check's.

    The accommodation is kept as the DfE's letter and a suitability answer; the return's code is
    derived (`accommodation_code`). Where the young person has died or returned home, nothing else
    is asked and both codes are "0"."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    contact = models.OneToOneField(CareCheck, on_delete=models.PROTECT, related_name="care_leaver")
    in_touch = models.CharField("In touch with the young person", max_length=IN_TOUCH.longest, choices=IN_TOUCH.choices)
    activity = models.CharField("Main activity", max_length=CARE_LEAVER_ACTIVITIES.longest,
                                choices=CARE_LEAVER_ACTIVITIES.choices, blank=True)  # fmt: skip
    accommodation = models.CharField("Kind of accommodation", max_length=1, choices=CARE_LEAVER_ACCOMMODATION_KINDS,
                                     blank=True)  # fmt: skip
    accommodation_suitable = models.BooleanField("The accommodation is suitable", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    # Nothing more is asked of a young person who has died or returned home.
    NOT_ASKED = frozenset({"DIED", "RHOM"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(accommodation__in=sorted(NEVER_SUITABLE),
                                                       accommodation_suitable=True),
                                   name="care_leaver_never_suitable"),
        ]  # fmt: skip

    def __str__(self):
        return f"In touch: {self.get_in_touch_display()}"

    def activity_code(self) -> str:
        return "0" if self.in_touch in self.NOT_ASKED else self.activity

    def accommodation_code(self) -> str:
        """The DfE's ACCOM: the letter, then 1 where suitable and 2 where not."""
        if self.in_touch in self.NOT_ASKED:
            return "0"
        return f"{self.accommodation}{1 if self.accommodation_suitable else 2}"


class MissingEpisode(models.Model):
    """A looked-after child missing, or away from their placement without authorisation, as the
    SSDA903 return's MISSING table counts it. Recorded open when the child goes and ended when they
    come back; the return opens the authority's return-interview clock, which the interview's offer
    meets (planning/services/missing.py)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="missing_episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField("Missing or away", max_length=MISSING_KINDS.longest, choices=MISSING_KINDS.choices)
    started_at = models.DateTimeField("Went missing or away")
    ended_at = models.DateTimeField("Came back", null=True, blank=True)
    # None until the return interview is recorded.
    interview_offered = models.BooleanField("Return interview offered", null=True, blank=True)
    interview_offered_on = models.DateField("Date the return interview was offered", null=True, blank=True)
    interview_accepted = models.BooleanField("Return interview accepted", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(ended_at=None),
                                    name="one_open_missing_episode"),
            models.CheckConstraint(condition=models.Q(ended_at=None) | models.Q(ended_at__gt=models.F("started_at")),
                                   name="missing_episode_ends_after_start"),
        ]  # fmt: skip

    def __str__(self):
        return self.get_kind_display().split(":")[0]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class PrivateFosteringNotification(models.Model):
    """Notice to the local authority that a child is, or is to be, privately fostered: when it was
    received, who gave it, when the arrangement starts and with whom. The first notification of an
    arrangement starts the child's private-fostering status, from which visits are scheduled."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pf_notifications")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pf_notifications")
    received_at = models.DateTimeField("Notification received")
    notified_by = models.CharField("Who notified", max_length=200)
    arrangement_started_on = models.DateField("The arrangement starts or started")
    carer = models.CharField("Private foster carer", max_length=200)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"Private fostering notification: {self.carer}"


class PrivateFosteringAbsence(models.Model):
    """A privately fostered child away from their carer: where the authority sets a limit (Leeds:
    more than 27 days), an absence past it ends the arrangement, and a return after that starts it
    again, so visits go back to the first-year interval."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pf_absences")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pf_absences")
    left_on = models.DateField("Date the child left the carer")
    returned_on = models.DateField("Date the child returned", null=True, blank=True)
    notes = models.TextField("Where the child is and why", blank=True)
    ended_arrangement = models.BooleanField("The absence ended the arrangement", default=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-left_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(returned_on=None), name="one_open_pf_absence")
        ]

    def __str__(self):
        return "Absence from the private foster carer"


class AdoptionStep(models.Model):
    """A step on a looked-after child's way to adoption, with the day it happened. Each opens or
    meets the authority's adoption clocks (planning/services/adoption.py); the order hearing ends the
    looked-after status. Steps are never deleted: a wrong one is corrected in its history."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Adoption agreed as the plan for permanence"
        BEST_INTEREST = "best_interest", "Decision that adoption is in the child's best interest"
        PLACEMENT_ORDER = "placement_order", "Placement order granted (authority to place for adoption)"
        MATCH = "match", "Matched with prospective adopters"
        PLACED = "placed", "Placed for adoption"
        HEARING = "hearing", "Adoption order hearing: the adoption order is made"
        REVERSED = "reversed", "Decision that the child should be placed for adoption reversed"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="adoption_steps")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adoption_steps")
    kind = models.CharField("Adoption step", max_length=16, choices=Kind.choices)
    happened_on = models.DateField("Date")
    carer = models.CharField("Prospective adopters", max_length=200, blank=True)
    # A reversal's SSDA903 REASON_PLACED_CEASED; blank for every other step.
    reversal_reason = models.CharField("Why the decision was reversed", max_length=PLACED_FOR_ADOPTION_ENDED.longest,
                                       choices=PLACED_FOR_ADOPTION_ENDED.choices, blank=True)  # fmt: skip
    notes = models.TextField("Notes", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["happened_on", "pk"]
        indexes = [models.Index(fields=["case", "kind"], name="adoption_step_by_case_kind")]

    def __str__(self):
        label = self.get_kind_display()
        return f"{label}: {self.carer}" if self.carer else label


class Adopters(models.Model):
    """Who a child is matched with, as the SSDA903 AD1 table describes them: asked on the match
    (or on placement for adoption, where the match did not ask). The AD1 dates are the steps' own
    dates (the best-interest decision and the match), so they are not asked again here."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="adopters")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adopters")
    step = models.OneToOneField(AdoptionStep, on_delete=models.PROTECT, related_name="adopters")
    number = models.PositiveSmallIntegerField("Number of adopters", choices=[(1, "One"), (2, "Two")])
    sex = models.CharField("Sex of the adopters", max_length=ADOPTER_SEXES.longest, choices=ADOPTER_SEXES.choices)
    legal_status = models.CharField("Legal status of the adopters", max_length=ADOPTER_LEGAL_STATUSES.longest,
                                    choices=ADOPTER_LEGAL_STATUSES.choices)  # fmt: skip
    were_foster_carers = models.BooleanField("The adopters were the child's foster carers")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-step__happened_on", "-pk"]
        verbose_name_plural = "adopters"

    def __str__(self):
        return self.get_sex_display()


class DeprivationOfLiberty(models.Model):
    """A court order depriving a looked-after child of their liberty (the SSDA903 DoLO table, from
    2026-27). One may be open at a time (validator rule 705), so the database refuses a second."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="liberty_orders")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="liberty_orders")
    started_on = models.DateField("Date the order started")
    ended_on = models.DateField("Date the order ended", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(ended_on=None), name="one_open_liberty_order")
        ]

    def __str__(self):
        return "Deprivation of liberty order"


class PreviousPermanence(models.Model):
    """Whether a child starting to be looked after had left care before through a permanence order
    (the SSDA903 PrevPerm table): one per case, corrected in place (the history keeps each answer).
    The DfE accepts an order's date with its day, or day and month, unknown ("zz" in the return):
    `made_on` keeps the known parts (the unknown ones as 1) and `made_on_known` says which are."""

    class Known(models.TextChoices):
        DAY = "day", "The full date"
        MONTH = "month", "The month and year"
        YEAR = "year", "The year only"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="previous_permanence")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="previous_permanence")
    code = models.CharField("Previous permanence", max_length=PREVIOUS_PERMANENCE.longest,
                            choices=PREVIOUS_PERMANENCE.choices)  # fmt: skip
    made_by = models.CharField("Local authority that made the arrangement", max_length=3, blank=True)
    made_on = models.DateField("Date of the order", null=True, blank=True)
    made_on_known = models.CharField(max_length=5, choices=Known.choices, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return self.get_code_display()


class PreProceedings(models.Model):
    """Pre-proceedings under the Public Law Outline, with family group decision making, as the CIN
    census (2026-27) asks for them; filled in as the work goes on. One open at a time on a case:
    it closes with the decision to step up or down."""

    class Outcome(models.TextChoices):
        # The DfE's PPOutcome codes are A, B and C, but no public source gives their wording, so
        # the outcome is kept in Casework's own words and mapped to a code nowhere yet: the CIN
        # census export must not guess which letter each is.
        ISSUE = "issue", "Decided to issue care proceedings"
        STEP_DOWN = "step_down", "Stepped down to child protection, child in need or no further action"
        OTHER = "other", "Other"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pre_proceedings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pre_proceedings")
    started_on = models.DateField("Date pre-proceedings started")
    letter_sent_on = models.DateField("Date the letter before proceedings was sent", null=True, blank=True)
    fgdm_offered = models.BooleanField("A family group decision-making meeting was offered in the letter",
                                       null=True, blank=True)  # fmt: skip
    fgdm_held = models.BooleanField("A family group decision-making meeting was held", null=True, blank=True)
    first_meeting_on = models.DateField("Date of the first pre-proceedings meeting", null=True, blank=True)
    review_meetings = models.PositiveSmallIntegerField("Number of review meetings held", default=0)
    decided_on = models.DateField("Date of the decision to step up or down", null=True, blank=True)
    outcome = models.CharField("Outcome", max_length=9, choices=Outcome.choices, blank=True)
    court_application_on = models.DateField("Date the application to court was made", null=True, blank=True)
    proceedings_letter_on = models.DateField("Date the letter initiating proceedings was sent", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name_plural = "pre-proceedings"
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(decided_on=None),
                                    name="one_open_pre_proceedings")  # fmt: skip
        ]

    def __str__(self):
        return "Pre-proceedings"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None
