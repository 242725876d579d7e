"""Planning: plans, conferences and reviews arrive with their issue. Placements come first,
because a looked-after child's visits are scheduled from each placement."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, User

from .codes import PlacementType


class Placement(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    placement_type = models.CharField("Type of placement", max_length=2, choices=PlacementType.choices)
    carer = models.CharField("Carer or provider", max_length=200)
    started_on = models.DateField("Start date")
    ended_on = models.DateField("End date", null=True, blank=True)
    change_reason = models.TextField("Why the placement changed", blank=True)
    permanence_agreed_on = models.DateField("Date agreed as permanent", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(ended_on=None), name="one_current_placement")
        ]

    def __str__(self):
        return f"{self.get_placement_type_display()} with {self.carer}"
