"""Planning: plans, conferences and reviews arrive with their issue. Placements come first,
because a looked-after child's visits are scheduled from each placement."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.codes import PLACEMENT_TYPES
from cases.models import Authority, Case, Child, User


class Placement(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    placement_type = models.CharField("Type of placement", max_length=3, choices=PLACEMENT_TYPES.choices)
    carer = models.CharField("Carer or provider", max_length=200)
    started_on = models.DateField("Start date")
    ended_on = models.DateField("End date", null=True, blank=True)
    change_reason = models.TextField("Why the placement changed", blank=True)
    permanence_agreed_on = models.DateField("Date agreed as permanent", null=True, blank=True)
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


class Meeting(models.Model):
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

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="adoption_steps")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adoption_steps")
    kind = models.CharField("Adoption step", max_length=16, choices=Kind.choices)
    happened_on = models.DateField("Date")
    carer = models.CharField("Prospective adopters", max_length=200, blank=True)
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
