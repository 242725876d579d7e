"""Supervision: sessions between a supervisor and a worker, the cases discussed in them, and a
manager's oversight of a case outside supervision. Inspectors read these to see whether managers
know their children, so every record keeps its history."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, User


class SupervisionSession(models.Model):
    class Kind(models.TextChoices):
        FORMAL = "formal", "Formal one-to-one supervision"
        REFLECTIVE = "reflective", "Reflective supervision"
        GROUP = "group", "Group supervision"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervisions")
    held_at = models.DateTimeField("When the session was held")
    kind = models.CharField("Kind of supervision", max_length=12, choices=Kind.choices)
    agenda = models.TextField("Agenda", blank=True)
    # Personal: only the worker, their supervisor and the supervisor's managers may read it.
    wellbeing = models.TextField("Wellbeing", blank=True)
    learning = models.TextField("Learning and development", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    worker_signed_at = models.DateTimeField(null=True, blank=True)
    worker_comment = models.TextField("The worker's comment", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.worker} on {timezone.localtime(self.held_at):%-d %b %Y}"


class CaseDiscussion(models.Model):
    """One case discussed in a session: what was said and what the manager decided. It goes on
    the child's record (the session's personal parts never do)."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.PROTECT, related_name="discussions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervision_discussions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="supervision_discussions")
    discussion = models.TextField("Discussion")
    decisions = models.TextField("The manager's decisions")
    # [{"what", "owner_id", "by_when" (ISO date)}]; each opens a deadline for its owner.
    actions = models.JSONField("Actions", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session__held_at", "pk"]

    def __str__(self):
        return f"Case discussion about {self.child} in {self.session}"


class ManagementOversight(models.Model):
    """A manager's decision on a case outside supervision, with its rationale."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oversight_notes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="oversight_notes")
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decision = models.TextField("Decision")
    rationale = models.TextField("Rationale")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"Management oversight on {self.child} by {self.manager}"
