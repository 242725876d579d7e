"""The deadline ledger (DESIGN §6): every deadline any part of the product opens, in one table.

Overdue is a query (status open and due_at in the past), never a stored flag. The partial indexes
make "open deadlines of this team / this worker / this authority, by due date" one index range scan.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .children import Child
from .episodes import Case
from .people import Authority, Team, User

OPEN = Q(status="open")


class Deadline(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MET_LATE = "met_late", "Met late"
        CANCELLED = "cancelled", "Cancelled"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="deadlines")
    # Every index is rewritten when a recalculation moves a million due dates, so none is kept twice:
    # the team's and the subject type's are the first columns of deadline_by_team_due_status and
    # deadline_by_subject below.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines",
                             db_index=False)
    assignee = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines")
    # The record the deadline is about (a referral, an assessment, a plan, a child for visits...).
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    key = models.CharField(max_length=80, help_text="Timescale key from the catalogue")
    conditions = models.JSONField(default=list, blank=True)
    anchor_at = models.DateTimeField(help_text="When the clock started (or the event, for 'before' rules)")
    # A clock that counts from another event than its timescale's own anchor says which, so it is told
    # truly: a child's first visit "every 20 working days" counts from the plan's start, not a last visit.
    counted_from = models.CharField(max_length=40, blank=True, help_text="Anchor event, where not the timescale's")
    due_at = models.DateTimeField()
    rule = models.CharField(max_length=60, help_text="The value applied, e.g. '15 working_days'")
    condition_applied = models.CharField(max_length=80, blank=True)
    statutory_floor_applied = models.BooleanField(default=False)
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A deadline's history is read by the deadline (its id), never by team, child or case, so the
    # history table keeps no index on those: each would cost a write per history row.
    history = HistoricalRecords(no_db_index=["authority", "team", "assignee", "child", "case", "subject_type"])

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["team", "due_at"], condition=OPEN, name="deadline_open_by_team"),
            models.Index(fields=["assignee", "due_at"], condition=OPEN, name="deadline_open_by_assignee"),
            models.Index(fields=["authority", "due_at"], condition=OPEN, name="deadline_open_by_authority"),
            models.Index(fields=["child", "due_at"], condition=OPEN, name="deadline_open_by_child"),
            # Visits due counts and groups an authority's open deadlines of a few kinds: with who
            # holds each and whose it is included, it reads the index alone, not the table.
            models.Index(fields=["authority", "key", "due_at"], include=["id", "assignee", "team", "child"],
                         condition=OPEN, name="deadline_open_by_key"),
            models.Index(fields=["subject_type", "subject_id", "key"], name="deadline_by_subject"),
            # Performance figures count every deadline of a team due in a span of months, met or not.
            # With the status and key, the Performance page counts this month's deadlines from the index
            # alone, not by reading each one's row scattered over the table.
            models.Index(fields=["team", "due_at"], include=["status", "key"], name="deadline_by_team_due_status"),
        ]

    def __str__(self):
        return f"{self.key} due {self.due_at:%d %b %Y %H:%M} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()
