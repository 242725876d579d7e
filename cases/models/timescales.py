"""Timescales as loaded from config/authorities/*.toml, versioned, and the authority's closure days."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .people import Authority


class TimescaleConfiguration(models.Model):
    """One configuration file: the national defaults (scope "england") or one authority's.

    `revision` goes up on every change to its versions or (for an authority) its closure days, so
    cached policies know when to rebuild.
    """

    scope = models.SlugField(unique=True, help_text="england, or the authority's slug")
    name = models.CharField(max_length=200)
    document = models.TextField(blank=True)
    source_file = models.CharField(max_length=200, blank=True)
    effective_from = models.DateField()
    attribution = models.CharField(max_length=20, default="stated")
    attribution_note = models.TextField(blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scope"]

    def __str__(self):
        return self.name


class TimescaleVersion(models.Model):
    """One version of one timescale, in force from `effective_from`.

    `definition` is the entry as the file format writes it (duration, source, variants, ...), so a
    version edited by an admin reads exactly like one loaded from a file.
    """

    class Origin(models.TextChoices):
        FILE = "file", "Configuration file"
        ADMIN = "admin", "Changed by an authority admin"

    configuration = models.ForeignKey(TimescaleConfiguration, on_delete=models.PROTECT, related_name="versions")
    key = models.CharField(max_length=80)
    effective_from = models.DateField()
    definition = models.JSONField()
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FILE)
    reason = models.TextField(blank=True, help_text="Why the value changed")
    changed_by = models.ForeignKey("cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["configuration", "key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["configuration", "key", "effective_from"], name="timescale_version_unique"),
        ]

    def __str__(self):
        return f"{self.key} from {self.effective_from:%d %b %Y}"


class ClosureDay(models.Model):
    """A day the authority's offices are closed (beyond bank holidays): not a working day."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["authority", "date"], name="closure_day_unique")]

    def __str__(self):
        return f"{self.date:%a %d %b %Y}: {self.reason}"
