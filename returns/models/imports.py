"""What an import of an authority's past return brought in, and from where: the file (once per
authority, recognised by its content), each record it created with the line it came from, and
each child's identifier in the authority's previous system, which the returns go on using."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from cases.models import Authority, Child, User
from returns.years import CollectionYear


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        CIN = "cin", "CIN census"
        SSDA903 = "ssda903", "SSDA903 return"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year_ending = models.PositiveSmallIntegerField("Collection year (the year it ends)")
    file_name = models.CharField(max_length=255)
    # The file's content, so the same file imported again is recognised whatever it is called.
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    children_created = models.PositiveIntegerField(default=0)
    # Children and episodes an earlier import (of an overlapping file) already brought in.
    children_matched = models.PositiveIntegerField(default=0)
    episodes_created = models.PositiveIntegerField(default=0)
    episodes_matched = models.PositiveIntegerField(default=0)
    records_created = models.PositiveIntegerField(default=0)
    # The DfE's queries on the file: reported, never a reason to refuse it.
    queries = models.JSONField(default=list, blank=True)
    # What the import left for a person to look at (an episode on record that the file says has changed).
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind", "sha256"], name="import_run_once_per_file"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year_label} from {self.file_name}"

    @property
    def year_label(self) -> str:
        return CollectionYear(self.year_ending).label


class ImportedRecord(models.Model):
    """One record an import created, with the line of the file it came from."""

    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    line = models.PositiveIntegerField("Line in the file")
    # The table's file, where the return is several files (the SSDA903); blank for the CIN census.
    file_name = models.CharField(max_length=100, blank=True)
    la_child_id = models.CharField(max_length=10)

    class Meta:
        ordering = ["import_run", "line", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="imported_record_once"),
        ]

    def __str__(self):
        where = f"{self.file_name}, line {self.line}" if self.file_name else f"line {self.line}"
        return f"{self.content_type.model} {self.object_id} from {where}"


class ReturnIdentity(models.Model):
    """The child's identifier in the authority's previous system (LAchildID): kept, so the
    returns Casework makes go on naming the child as the DfE already knows them."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="return_identity")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "la_child_id"], name="return_identity_unique"),
        ]

    def __str__(self):
        return self.la_child_id


class StagedImport(models.Model):
    """A file uploaded on the Import page and previewed: what importing it would create (worked
    out by importing it and rolling back), kept until the data officer confirms it."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=ImportRun.Kind.choices, default=ImportRun.Kind.CIN)
    file_name = models.CharField(max_length=255)
    document = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # {"children_created": …, "children_matched": …, "episodes_created": …, "episodes_matched": …,
    #  "records_created": …, "queries": [...], "year_ending": …}; empty when the file was refused.
    preview = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    already_imported = models.ForeignKey(ImportRun, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")  # fmt: skip
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name}, uploaded {self.uploaded_at:%d %b %Y}"
