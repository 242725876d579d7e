"""A case is one episode of involvement with a child: who holds it, their legal status over time,
and how it closed."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..codes import ClosureReason, CPCategory
from ..codes import LegalStatus as LegalStatusCode
from ..codes.ssda903 import SOCIAL_WORKER_CHANGE_REASONS
from .children import Child
from .people import Authority, Team, User


class Case(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField("Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="case")
    opened_at = models.DateTimeField(default=timezone.now)
    # The current allocation, kept here so a caseload is one indexed query; Allocation is the history.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["worker"], condition=models.Q(closed_at__isnull=True), name="case_open_by_worker"),
            models.Index(fields=["team"], condition=models.Q(closed_at__isnull=True), name="case_open_by_team"),
        ]

    def __str__(self):
        return f"{self.child} (case opened {self.opened_at:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Allocation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The SSDA903 return asks why a looked-after child's social worker changed; blank for the
    # case's first worker, and for a hand-over to a team with nobody allocated yet.
    change_reason = models.CharField("Why the social worker changed", max_length=SOCIAL_WORKER_CHANGE_REASONS.longest,
                                     choices=SOCIAL_WORKER_CHANGE_REASONS.choices, blank=True)  # fmt: skip

    class Meta:
        ordering = ["-allocated_at"]

    def __str__(self):
        return f"{self.worker or 'Unallocated'} ({self.team})"


class LegalStatus(models.Model):
    """The child's status on a case over time: child in need, child protection (with category),
    looked after (with legal status), care leaver, private fostering."""

    class Kind(models.TextChoices):
        CHILD_IN_NEED = "cin", "Child in need"
        CHILD_PROTECTION = "cp", "Child protection plan"
        LOOKED_AFTER = "lac", "Looked after"
        CARE_LEAVER = "care_leaver", "Care leaver"
        PRIVATE_FOSTERING = "private_fostering", "Private fostering"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statuses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cp_category = models.CharField(max_length=3, choices=CPCategory.choices, blank=True)
    legal_status = models.CharField(max_length=2, choices=LegalStatusCode.choices, blank=True)
    started_on = models.DateField()
    # The hour it began, where the page asks (becoming looked after): clocks in hours count from it.
    started_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name_plural = "legal statuses"

    def __str__(self):
        detail = self.get_cp_category_display() or self.get_legal_status_display()
        return f"{self.get_kind_display()}{f' ({detail})' if detail else ''}"
