"""Visits to a child, and what the child's visit schedule is computed from beyond their status:
the current placement and the conditions a manager has recorded."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, User


class Visit(models.Model):
    class Kind(models.TextChoices):
        CHILD_PROTECTION = "cp", "Statutory child protection visit"
        CHILD_IN_NEED = "cin", "Child in need visit"
        LOOKED_AFTER = "lac", "Looked-after child visit"
        PRIVATE_FOSTERING = "private_fostering", "Private fostering visit"
        CARE_LEAVER = "care_leaver", "Care leaver contact"
        ASSESSMENT = "assessment", "Assessment visit"
        SECTION_47 = "s47", "Section 47 enquiry visit"
        OTHER = "other", "Other visit"

    class Place(models.TextChoices):
        HOME = "home", "The child's home"
        PLACEMENT = "placement", "The child's placement"
        SCHOOL = "school", "School or nursery"
        OTHER = "other", "Somewhere else"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RECORDED = "recorded", "Recorded"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField("Kind of visit", max_length=20, choices=Kind.choices)
    visited_at = models.DateTimeField("Date and time of the visit")
    visitor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    other_visitors = models.CharField("Who else visited", max_length=300, blank=True)
    place = models.CharField("Where", max_length=10, choices=Place.choices, blank=True)
    place_detail = models.CharField("Where, in more detail", max_length=200, blank=True)
    announced = models.BooleanField("Announced", null=True)
    present = models.TextField("Who was present", blank=True)
    child_seen = models.BooleanField("The child was seen", null=True)
    not_seen_reason = models.TextField("Why the child was not seen", blank=True)
    seen_alone = models.BooleanField("The child was seen alone", null=True)
    not_seen_alone_reason = models.TextField("Why the child was not seen alone", blank=True)
    bedroom_seen = models.BooleanField("The child's bedroom was seen", null=True)
    bedroom_not_seen_reason = models.TextField("Why the bedroom was not seen", blank=True)
    child_views = models.TextField("The child's wishes and feelings, in their own words", blank=True)
    observations = models.TextField("Observations", blank=True)
    analysis = models.TextField("Analysis", blank=True)
    # [{"what", "who" (the owner's name), "owner_id", "by_when" (ISO date), and once recorded
    # "deadline_id"}]: kept on the visit, so every draft's actions are in its history and none is
    # ever deleted. Rows from before actions had owners carry only "who", and open no deadline.
    actions = models.JSONField("Actions", default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The once-only token of the page the visit was begun on: the page's automatic saves and its
    # final submit all reach this one draft, however many of them there are.
    started_with = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField("Written up", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every save: a stale save is refused")
    history = HistoricalRecords()

    CONTENT_FIELDS = (
        "kind", "visited_at", "other_visitors", "place", "place_detail", "announced", "present", "child_seen",
        "not_seen_reason", "seen_alone", "not_seen_alone_reason", "bedroom_seen", "bedroom_not_seen_reason",
        "child_views", "observations", "analysis", "actions",
    )  # fmt: skip

    class Meta:
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["case", "kind", "visited_at"], name="visit_by_case_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} on {timezone.localtime(self.visited_at):%-d %b %Y}"


class VisitSchedule(models.Model):
    """The inputs to a child's schedule that are not on the case itself: the current placement and
    any placement for adoption (kept here as planning reports them, so visits never imports
    planning) and the conditions a
    manager has recorded, such as St Helens's approved step-down to fortnightly visits."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="visit_schedule")
    placement_started_on = models.DateField(null=True, blank=True)
    permanence_agreed_on = models.DateField(null=True, blank=True)
    # Placed for adoption, and the first review of that placement, as planning reports them
    # (`adoption_changed`): the adoptive placement's own visit timescales run from these.
    adoptive_placed_on = models.DateField(null=True, blank=True)
    adoptive_first_review_on = models.DateField(null=True, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    conditions_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Visit schedule inputs for case {self.case_id}"
