"""Alerts (DESIGN §6): each authority's digest settings, in-app notifications, and the record of
every digest sent, which is what keeps the nightly job from sending anything twice."""

from datetime import time

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .children import Child
from .deadlines import Deadline
from .people import Authority, User

DEFAULT_DIGEST_TIME = time(6, 30)
DEFAULT_DUE_SOON_WORKING_DAYS = 5
DEFAULT_ESCALATION_WORKING_DAYS = 10


class AlertSettings(models.Model):
    """An authority's digest settings. An authority without a row uses the defaults."""

    authority = models.OneToOneField(Authority, on_delete=models.PROTECT, related_name="alert_settings")
    digest_time = models.TimeField(
        default=DEFAULT_DIGEST_TIME, help_text="When the morning digest goes out, in the authority's time zone."
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DUE_SOON_WORKING_DAYS, validators=[MaxValueValidator(20)],
        help_text="A worker's digest lists what falls due within this many working days.",
    )  # fmt: skip
    escalation_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_ESCALATION_WORKING_DAYS, validators=[MaxValueValidator(60)],
        help_text="Anything overdue by more than this many working days goes to the service managers.",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = "alert settings"
        verbose_name_plural = "alert settings"

    def __str__(self):
        return f"Alert settings for {self.authority}"


class Notification(models.Model):
    """One in-app alert for one person. The child is kept so that a notification about a record
    later restricted stops showing to anyone not named on it."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", "Overdue"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A deadline turns overdue once: running the alert job again raises nothing new.
            models.UniqueConstraint(
                fields=["user", "deadline", "kind"], condition=Q(deadline__isnull=False), name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_by_user"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return self.text


class DigestSend(models.Model):
    """One person's digest for one day. The row is taken before the email goes, and the unique
    constraint is what lets two jobs (or two beat processes) run at once and send once."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not yet sent"
        SENT = "sent", "Sent"
        NOTHING = "nothing", "Nothing to send"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    digest_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    # Which run holds the claim: a retry of the same run carries on with it, another run may take
    # it over only once the claim is stale (the worker that held it died).
    run = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-digest_date", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "digest_date"], name="digest_once_a_day")]
        indexes = [models.Index(fields=["digest_date", "status"], name="digest_by_date_status")]

    def __str__(self):
        return f"Digest for {self.user} on {self.digest_date:%d %b %Y} ({self.get_status_display()})"
