"""Strategy discussions and the section 47 enquiries they start (Working Together, chapter 1).

Imported at the end of assessments/models/assessments.py so that Django finds them in this app."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, User


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


# A strategy discussion is multi-agency: at the least social care with the police or health.
PARTNER_AGENCIES = frozenset({Agency.POLICE, Agency.HEALTH})


class StrategyDiscussion(models.Model):
    class Decision(models.TextChoices):
        SECTION_47 = "s47", "Start a section 47 enquiry"
        CONTINUE_ASSESSMENT = "assessment", "No section 47: continue the single assessment"
        CHILD_IN_NEED = "cin", "No section 47: support the child as a child in need"
        NO_FURTHER_ACTION = "nfa", "No further action"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="strategy_discussions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="strategy_discussions")
    held_at = models.DateTimeField("When it was held")
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # [{"name": ..., "agency": Agency, "role": ...}]: people from partner agencies have no user here.
    participants = models.JSONField(default=list)
    information_shared = models.TextField("Information shared", blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    rationale = models.TextField("Reasons for the decision")
    record_circulated_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-pk"]

    def __str__(self):
        return f"Strategy discussion for {self.child} on {self.held_at:%d %b %Y}"

    def participant_rows(self) -> list[dict]:
        """Participants with their agency's name, for display."""
        labels = dict(Agency.choices)
        return [row | {"agency_label": labels.get(row.get("agency"), row.get("agency", ""))}
                for row in self.participants]  # fmt: skip


class Section47Enquiry(models.Model):
    class Outcome(models.TextChoices):
        ICPC = "icpc", "Concerns substantiated: an initial child protection conference is needed"
        CHILD_IN_NEED = "cin", "Concerns substantiated, no conference: support as a child in need"
        NOT_SUBSTANTIATED = "unsubstantiated", "Concerns not substantiated"
        NO_FURTHER_ACTION = "nfa", "No further action"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="section_47_enquiries")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="section_47_enquiries")
    strategy_discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT, related_name="enquiries")
    started_at = models.DateTimeField()
    child_seen_at = models.DateTimeField(null=True, blank=True)
    child_seen_alone_at = models.DateTimeField(null=True, blank=True)
    not_seen_alone_reason = models.TextField("Why the child was not seen alone", blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    findings = models.TextField(blank=True)
    outcome_shared_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            # One enquiry in progress per case: a repeat strategy discussion reviews it, not a second.
            models.UniqueConstraint(fields=["case"], condition=models.Q(outcome=""), name="s47_one_open_per_case"),
        ]

    def __str__(self):
        return f"Section 47 enquiry for {self.child} started {self.started_at:%d %b %Y}"

    @property
    def concluded(self) -> bool:
        return bool(self.outcome)
