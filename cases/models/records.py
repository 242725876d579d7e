"""What practitioners write on a case: case notes and the chronology. Nothing here is ever
deleted; a mistaken entry is struck through by a manager with a reason, and stays readable."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .children import Child
from .episodes import Case
from .people import User


class StruckThrough(models.Model):
    struck_at = models.DateTimeField(null=True, blank=True)
    struck_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    struck_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None


class CaseNote(StruckThrough):
    class Kind(models.TextChoices):
        CASE_NOTE = "note", "Case note"
        PHONE_CALL = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        MANAGEMENT_DECISION = "decision", "Management decision"
        SIGNIFICANT_EVENT = "significant", "Significant event"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CASE_NOTE)
    event_at = models.DateTimeField(help_text="When it happened")
    recorded_at = models.DateTimeField(default=timezone.now, help_text="When it was written up")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-event_at"]

    def __str__(self):
        return self.title


class ChronologyEntry(StruckThrough):
    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        DECISION = "decision", "Decision"
        ALLOCATION = "allocation", "Allocation"
        STATUS = "status", "Legal status"
        NOTE = "note", "Case note"
        ASSESSMENT = "assessment", "Assessment"
        STRATEGY = "strategy", "Strategy discussion"
        CONFERENCE = "conference", "Conference"
        PLAN = "plan", "Plan"
        VISIT = "visit", "Visit"
        PLACEMENT = "placement", "Placement"
        SUMMARY = "summary", "Case summary"
        TRANSFER = "transfer", "Transfer"
        CLOSURE = "closure", "Closure"
        OTHER = "other", "Other significant event"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="chronology")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    automatic = models.BooleanField(default=False, help_text="Written by the system when the event was recorded")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["child", "occurred_at"], name="chronology_by_child")]

    def __str__(self):
        return self.title


class CaseSummary(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="summaries")
    text = models.TextField()
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]
        verbose_name_plural = "case summaries"

    def __str__(self):
        return f"Case summary of {self.written_at:%d %b %Y}"


class CaseClosure(models.Model):
    """A request to transfer or close a case, and the manager's approval."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", "Closure"
        TRANSFER = "transfer", "Transfer"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=3, blank=True, help_text="DfE closure reason, for a closure")
    to_team = models.ForeignKey("Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.TextField(help_text="Why, and what has been achieved")
    gate = models.JSONField(default=dict, blank=True, help_text="Each closure-gate item: met or not")
    gate_override = models.TextField(blank=True, help_text="Why the case may close with an item unmet")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} request ({self.get_status_display()})"
