"""Single (child and family) assessments and their sign-off by a manager."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, User


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for sign-off"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"

    class Track(models.TextChoices):
        STANDARD = "standard", "Standard"
        BRIEF = "brief", "Brief assessment (the manager may extend it to the full timescale)"
        TRACK_10 = "track_10", "10-working-day track"
        TRACK_25 = "track_25", "25-working-day track"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        EARLY_HELP = "early_help", "Early help"
        CHILD_IN_NEED = "cin", "Child in need plan"
        STRATEGY_DISCUSSION = "strategy", "Strategy discussion"
        LOOKED_AFTER = "looked_after", "Looked after"
        FURTHER_ASSESSMENT = "further", "Further specialist assessment"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The clock's start: the referral's receipt (the national rule counts from referral) or the
    # day the assessment began on an open case.
    clock_started_at = models.DateTimeField()
    track = models.CharField(max_length=10, choices=Track.choices, default=Track.STANDARD)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    developmental_needs = models.TextField("Child's developmental needs", blank=True)
    parenting_capacity = models.TextField("Parenting capacity", blank=True)
    family_environment = models.TextField("Family and environmental factors", blank=True)
    child_views = models.TextField("The child's views, in their own words", blank=True)
    parent_views = models.TextField("Parents' and carers' views", blank=True)
    diversity = models.TextField("Identity, culture and diversity", blank=True)
    risks = models.TextField("Risks", blank=True)
    protective_factors = models.TextField("Protective factors", blank=True)
    analysis = models.TextField("Analysis", blank=True)
    factors = models.JSONField("Assessment factors", default=list, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    child_seen_on = models.DateField(null=True, blank=True)
    child_seen_alone_on = models.DateField(null=True, blank=True)
    manager_view = models.TextField("Manager's view and rationale", blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    lateness_reason = models.TextField(blank=True)
    # Bumped on every save: a save made from an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    CONTENT_FIELDS = (
        "developmental_needs", "parenting_capacity", "family_environment", "child_views", "parent_views",
        "diversity", "risks", "protective_factors", "analysis", "factors", "outcome", "child_seen_on",
        "child_seen_alone_on",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], condition=models.Q(status="submitted"), name="assessment_awaiting"),
        ]

    def __str__(self):
        return f"Assessment of {self.child} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AssessmentTransition(models.Model):
    """Every step of the sign-off: who, when, and what they wrote. Append-only."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Assessment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Assessment.Status.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} by {self.by}"
