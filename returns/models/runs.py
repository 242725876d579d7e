"""A return produced and checked: kept so the data officer can come back to its findings, and
so every download is of exactly what was checked."""

from django.db import models
from django.utils import timezone

from cases.models import Authority, User
from returns.years import CollectionYear


class ReturnRun(models.Model):
    class Kind(models.TextChoices):
        CIN = "cin", "CIN census"
        SSDA903 = "ssda903", "SSDA903 (children looked after)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Could not be finished"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year_ending = models.PositiveSmallIntegerField("Collection year (the year it ends)")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    # What was produced (the XML, or a zip of the CSV tables) and what the DfE's rules found in it.
    document = models.BinaryField(null=True, blank=True, editable=False)
    children = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["authority", "kind", "year_ending", "-requested_at"], name="return_run_latest")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year_label}"

    @property
    def year_label(self) -> str:
        return CollectionYear(self.year_ending).label
