"""Contacts and referrals at the front door, and the manager's decision on each."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..codes import CategoryOfNeed, ReferralSource
from ..dates import EARLIEST, date_in_range
from .children import Child
from .people import Authority, Team, User


class Referral(models.Model):
    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        NOT_NEEDED = "not_needed", "Not needed: there is a risk of significant harm"
        REFUSED = "refused", "Refused"
        NOT_SOUGHT = "not_sought", "Not yet sought"

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        INFORMATION_AND_ADVICE = "advice", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        SINGLE_ASSESSMENT = "assessment", "Single assessment"
        STRATEGY_DISCUSSION = "strategy", "Strategy discussion"

    # Decisions that accept the referral for a statutory response and open a case.
    OPENS_A_CASE = frozenset({Decision.SINGLE_ASSESSMENT, Decision.STRATEGY_DISCUSSION})

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="referrals")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals", help_text="Deciding team")
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    referrer_name = models.CharField(max_length=200)
    referrer_agency = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True, help_text="Phone or email")
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_by = models.CharField(max_length=200, blank=True, help_text="Who gave or refused consent")
    consent_on = models.DateField(null=True, blank=True)
    consent_reason = models.TextField(blank=True, help_text="Why consent was not needed or not sought")
    reasons = models.TextField(help_text="What the referrer is worried about")
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed.choices)
    child_protection = models.BooleanField(default=False)
    # Set when recorded: the child's previous case closed within the re-referral window.
    rereferral_of = models.ForeignKey("Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    referrer_told_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["team", "received_at"], condition=models.Q(decision=""), name="referral_awaiting"),
        ]

    def __str__(self):
        return f"Referral for {self.child} received {self.received_at:%d %b %Y}"

    def clean(self):
        errors = {}
        if self.received_at and self.received_at > timezone.now():
            errors["received_at"] = "The date the referral was received must be today or in the past"
        elif self.received_at and not date_in_range(timezone.localdate(self.received_at)):
            errors["received_at"] = f"The date the referral was received must be between {EARLIEST.year} and now"
        born = self.child.date_of_birth if self.child_id else None
        if self.received_at and born and timezone.localdate(self.received_at) < born:
            errors["received_at"] = "The referral cannot have been received before the child's date of birth"
        if self.consent in (self.Consent.NOT_NEEDED, self.Consent.REFUSED, self.Consent.NOT_SOUGHT) and not (
            self.consent_reason.strip()
        ):
            errors["consent_reason"] = "Enter why consent was not needed, was refused or has not been sought"
        if self.consent in (self.Consent.GIVEN, self.Consent.REFUSED) and not self.consent_by.strip():
            errors["consent_by"] = "Enter who gave or refused consent"
        if errors:
            raise ValidationError(errors)

    @property
    def awaiting_decision(self) -> bool:
        return not self.decision
