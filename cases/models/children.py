"""The child's record: who they are, their family and network, the professionals around them."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..codes import Ethnicity, Sex
from ..dates import check_in_range
from .people import Authority, User


def searchable(text: str) -> str:
    """Lower case without accents, so 'Zoë' is found by 'zoe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def nhs_number_is_valid(number: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


def validate_nhs_number(value: str) -> None:
    if value and not nhs_number_is_valid(value):
        raise ValidationError("Enter a real NHS number: 10 digits, like 943 476 5919")


class Child(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    other_names = models.CharField(
        max_length=300, blank=True, help_text="Previous, alternative or known-as names, separated by commas"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    religion = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=300, blank=True)
    immigration_status = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True, validators=[validate_nhs_number])
    upn = models.CharField("Unique pupil number", max_length=13, blank=True)
    school = models.CharField(max_length=200, blank=True)
    gp = models.CharField("GP", max_length=200, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Only the named people may see this child; everyone else is told it does not exist"
    )
    restricted_to = models.ManyToManyField(User, blank=True, related_name="restricted_children")
    # Every name the child is known by, normalised for search (lower case, no accents).
    search_names = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    # The named people are kept in the history too: who could see a restricted child, and when.
    history = HistoricalRecords(excluded_fields=["search_names"], m2m_fields=[restricted_to])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["authority", "date_of_birth"], name="child_by_dob")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False) | models.Q(expected_date_of_birth__isnull=False),
                name="child_has_a_birth_or_expected_date",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        names = [self.first_name, self.last_name, self.other_names.replace(",", " ")]
        self.search_names = searchable(" ".join(names))
        super().save(*args, **kwargs)

    def clean(self):
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError({"date_of_birth": "Date of birth must be today or in the past"})
        check_in_range(self.date_of_birth, "date_of_birth", "date of birth")
        check_in_range(self.expected_date_of_birth, "expected_date_of_birth", "expected date of birth")
        if self.date_of_birth is None and self.expected_date_of_birth is None:
            raise ValidationError({"date_of_birth": "Enter a date of birth, or the expected date of birth"})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def unborn(self) -> bool:
        return self.date_of_birth is None

    @property
    def reference(self) -> str:
        """The case ID practitioners quote."""
        return f"C{self.pk:06d}"

    def age_on(self, day) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Address(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="addresses")
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    lived_from = models.DateField()
    lived_until = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-lived_from"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return self.address.splitlines()[0] if self.address else self.postcode


class Relationship(models.Model):
    """A parent, carer, sibling or significant other in the child's life."""

    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARENTS_PARTNER = "parents_partner", "Parent's partner"
        SIBLING = "sibling", "Brother or sister"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        FOSTER_CARER = "foster_carer", "Foster carer"
        KINSHIP_CARER = "kinship_carer", "Family and friends carer"
        SIGNIFICANT_OTHER = "significant_other", "Significant other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="relationships")
    kind = models.CharField("Relationship to the child", max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    related_child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Where the person is also a child known to us",
    )  # fmt: skip
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # Raised by every save, so two people changing this person at once never overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Professional(models.Model):
    """Someone working with the child from another service, with how to reach them."""

    class Role(models.TextChoices):
        SCHOOL = "school", "School (designated safeguarding lead or teacher)"
        GP = "gp", "GP"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        SCHOOL_NURSE = "school_nurse", "School nurse"
        MIDWIFE = "midwife", "Midwife"
        POLICE = "police", "Police"
        CAMHS = "camhs", "Child and adolescent mental health"
        PROBATION = "probation", "Probation or youth justice"
        HOUSING = "housing", "Housing"
        EARLY_HELP = "early_help", "Early help"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="professionals")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    involved_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # as Relationship.version
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "name"]

    def __str__(self):
        return f"{self.name}, {self.get_role_display()}"
