"""Case audits (reference audit-checklists.md §1): each authority's checklist as a versioned
template of sections and items, and audits run on a child's case against one version, with
their answers, grade, moderation and actions.

A template version that any audit has used never changes: an edit makes a new version, so an
audit keeps the wording it was answered on."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Authority, Case, Child, Team, User


class AuditSubject(models.TextChoices):
    CHILD_CASE = "child_case", "A child's case"
    PRACTITIONER_OR_TEAM = "practitioner_or_team", "A practitioner or team"
    FOSTER_HOUSEHOLD = "foster_household", "A foster household"
    ADOPTER_FILE = "adopter_file", "An adopter's file"


class Answer(models.TextChoices):
    """What every response option counts as, whatever the authority calls it."""

    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AuditTemplate(models.Model):
    """An authority's audit checklist (one per shipped authority), from its practice standards."""

    authority = models.OneToOneField(Authority, on_delete=models.PROTECT, related_name="audit_template")
    name = models.CharField(max_length=200)
    source_document = models.CharField(max_length=300)
    source_seed = models.CharField(max_length=100, help_text="The seed file the reference cites")
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.name} ({self.authority})"


class TemplateVersion(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "In use"
        RETIRED = "retired", "Replaced by a later version"

    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    source_edition = models.CharField(max_length=200, blank=True)
    change_note = models.TextField(blank=True, help_text="What changed from the previous version, and why")
    # The data file's checksum, so loading the same file again changes nothing.
    content_hash = models.CharField(max_length=64, blank=True)
    # {"code", "label", "grades": [{"value", "label"}]}, best first: Ofsted's four points by default.
    grade_scale = models.JSONField(default=dict, blank=True)
    # [{"code", "label", "options": [{"value", "label", "counts_as"}]}]
    response_sets = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]

    def __str__(self):
        return f"{self.template.name}, version {self.number}"

    def grades(self) -> list[tuple[str, str]]:
        return [(grade["value"], grade["label"]) for grade in self.grade_scale.get("grades", [])]

    def options(self, response_set: str) -> list[dict]:
        for option_set in self.response_sets:
            if option_set["code"] == response_set:
                return option_set["options"]
        return []


class TemplateSection(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField()
    audit_subject = models.CharField(max_length=24, choices=AuditSubject.choices, default=AuditSubject.CHILD_CASE)
    # Tags the case is matched on (audits/tags.py): cin, cp, cla, care_leaver, assessment...
    applies_to = models.JSONField(default=list, blank=True)
    applies_to_text = models.CharField(max_length=200, blank=True, help_text="The reference's own wording")
    default_role = models.CharField(max_length=200, blank=True)
    optional = models.BooleanField(default=False, help_text="Supplementary: offered, never chosen by default")
    source_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="template_section_unique")]

    def __str__(self):
        return self.title


class TemplateItem(models.Model):
    class Method(models.TextChoices):
        SYSTEM = "system", "System check"
        PRACTICE = "practice", "Practice (auditor's judgement)"
        BOTH = "both", "System and practice"
        UNSPECIFIED = "unspecified", "Not stated in the source"

    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="items")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=40)
    order = models.PositiveIntegerField()
    text = models.TextField("What the auditor checks")
    unacceptable_text = models.TextField("Must not find", blank=True)
    responsible = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.UNSPECIFIED)
    dimensions = models.JSONField(default=list, blank=True)
    timescale = models.TextField("Timescale checked", blank=True)
    response_set = models.CharField(max_length=40, default="met")
    # The statuses the item is about, where its section covers several (York's Standard 4 runs from
    # strategy discussions to care leavers): empty means the section's own tags.
    applies_to = models.JSONField(default=list, blank=True)
    source_ref = models.CharField(max_length=100, help_text="Seed file and line")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="template_item_unique")]

    def __str__(self):
        return self.code

    @property
    def short_text(self) -> str:
        """The question cut to a phrase, for error messages and labels that name the item."""
        if len(self.text) <= 80:
            return self.text
        return self.text[:80].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class AuditProgramme(models.Model):
    """A month's audits: the cases a QA auditor picked or sampled, each assigned to an auditor."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the audits are for")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "-pk"]

    def __str__(self):
        return self.name


class Audit(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Graded, awaiting moderation"
        MODERATED = "moderated", "Moderated"
        COMPLETE = "complete", "Complete (locked)"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="audits")  # fmt: skip
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="audits")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audits")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="audits")
    # The team and worker when the audit was set up: the results belong to them.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    auditor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="audits_assigned")
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    section_codes = models.JSONField("Sections audited", default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The span of the case the audit looks at, set when it starts: the sections, the items and every
    # system check read the child's history in these days only.
    period_start = models.DateField("Audit period from", null=True, blank=True)
    period_end = models.DateField("Audit period to", null=True, blank=True)
    grade = models.CharField("Overall grade", max_length=40, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField("Areas for development", blank=True)
    child_voice = models.TextField("The child's voice", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderator = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    moderated_grade = models.CharField(max_length=40, blank=True)
    moderation_reason = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    worker_response = models.TextField("The worker's response", blank=True)
    worker_responded_at = models.DateTimeField(null=True, blank=True)
    manager_response = models.TextField("The manager's response", blank=True)
    manager_responded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    manager_responded_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        indexes = [
            models.Index(fields=["authority", "submitted_at"], name="audit_by_authority_submitted"),
            models.Index(fields=["team", "submitted_at"], name="audit_by_team_submitted"),
        ]

    def __str__(self):
        return f"Audit of {self.child}'s case ({self.get_status_display().lower()})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def final_grade(self) -> str:
        """The grade that stands: the moderator's where they changed it."""
        return self.moderated_grade or self.grade

    def grade_label(self, value: str | None = None) -> str:
        return dict(self.version.grades()).get(value if value is not None else self.final_grade, "")

    @property
    def auditor_grade_label(self) -> str:
        return self.grade_label(self.grade)


class AuditResponse(models.Model):
    """The answer to one item. For items the system checks, what the record showed is kept beside
    the answer; an answer that differs from it is an override and needs a reason."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="responses")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=40, blank=True, help_text="The option chosen, from the item's set")
    answer = models.CharField(max_length=16, choices=Answer.choices, blank=True, help_text="What the option counts as")
    evidence = models.TextField(blank=True)
    system_answer = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    system_evidence = models.TextField(blank=True)
    # The records the system check read: [{"label", "url"}], linked from the item.
    system_sources = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    # False while its section is dropped from the audit: kept (nothing written is deleted), not counted.
    included = models.BooleanField(default=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item__section__order", "item__order"]
        constraints = [models.UniqueConstraint(fields=["audit", "item"], name="audit_response_unique")]

    def __str__(self):
        return f"{self.item.code}: {self.get_answer_display() or 'not answered'}"

    @property
    def overridden(self) -> bool:
        return bool(self.system_answer) and bool(self.answer) and self.answer != self.system_answer


class AuditAction(models.Model):
    """Something the worker or manager is to do after the audit, by an agreed date. It opens a
    deadline on the ledger for its owner, so it reaches My work and the digests."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="actions")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    what = models.TextField("What is to be done")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField("Due by")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_note = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.what} ({self.owner}, by {self.due_on:%-d %b %Y})"
