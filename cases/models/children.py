"""The child's record: who they are, their family and network, the professionals around them."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..codes import DISABILITIES, UPN_UNKNOWN, Ethnicity, Sex
from ..dates import check_in_range, long_date
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


# The unique pupil number, as the DfE's validators check it: CIN census rules 1510 (check letter),
# 1530 (local authority), 1540 and 1550 (characters 5 to 13), and SSDA903 rule 168 (the shape).
# Anything they accept is accepted here and nothing else, so a number typed in never fails a return.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # no I, O or S; a remainder of 0 is A
# Characters 2 to 4: the authority that issued the number, as CIN rule 1530 lists them (2023-24 on).
UPN_LA_CODES = frozenset(
    ["001", "002", "003", "004", "005", "420", "815", "816", "825", "826", "830", "831", "840", "841", "845", "846",
     "860", "861", "908", "909", "916", "919", "921", "925", "926", "928", "929", "931", "933", "942", "943"]
    + [str(code) for first, last in ((201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
                                     (380, 384), (390, 394), (660, 681), (701, 708), (800, 803), (805, 808),
                                     (810, 813), (820, 823), (835, 839), (850, 852), (855, 857), (865, 896),
                                     (935, 938), (940, 941)) for code in range(first, last + 1)]
)  # fmt: skip


def upn_check_letter(upn: str) -> str | None:
    """The check letter a permanent UPN's last 12 digits give (CIN rule 1510): each digit times its
    position (the 2nd character times 2, up to the 13th times 13), summed, modulo 23. None when
    characters 2 to 13 are not all digits: the DfE's validator checks no letter for a temporary
    UPN (one ending in a letter), so neither does this."""
    if len(upn) != 13 or not upn[1:].isascii() or not upn[1:].isdigit():
        return None
    return UPN_CHECK_LETTERS[sum(int(upn[position]) * (position + 1) for position in range(1, 13)) % 23]


def upn_problem(upn: str) -> str | None:
    """What is wrong with a UPN by the DfE validators' rules, worded to follow "The unique pupil
    number"; None if they accept it."""
    if len(upn) != 13 or not upn.isascii() or not upn[1:12].isdigit() or not upn[12].isalnum():
        return "must be 13 characters: a letter, then 12 digits (or 11 digits and a letter)"
    if upn[0] not in UPN_CHECK_LETTERS or upn[12] not in UPN_CHECK_LETTERS + "0123456789":
        return "must start with a capital letter other than I, O or S, and not end with I, O or S"
    if upn[1:4] not in UPN_LA_CODES:
        return "must have a council's DfE number in characters 2 to 4, like 383 for Leeds"
    check = upn_check_letter(upn)
    if check is not None and check != upn[0]:
        return "is not right: its first letter does not match its digits, so check it has been copied correctly"
    return None


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
    # The statutory returns' own fields (CIN census and SSDA903): checked in clean(), as the DfE checks them.
    former_upn = models.CharField("Former unique pupil number", max_length=13, blank=True)
    upn_unknown = models.CharField("Why there is no unique pupil number", max_length=3, blank=True,
                                   choices=UPN_UNKNOWN.choices)  # fmt: skip
    date_of_death = models.DateField(null=True, blank=True)
    # DfE disability codes. Empty is "not recorded", which is not the same answer as ["NONE"].
    disabilities = models.JSONField(default=list, blank=True)
    uasc = models.BooleanField("Unaccompanied asylum-seeking child", default=False)
    uasc_ceased_on = models.DateField("Date unaccompanied asylum-seeking status ended", null=True, blank=True)
    is_mother = models.BooleanField("Is a mother", default=False)
    mothers_child_born_on = models.DateField("Her child's date of birth", null=True, blank=True)
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
    # Raised by every save, whichever page makes it, so a form opened before someone else's save
    # can tell (cases/concurrency.py).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The named people are kept in the history too: who could see a restricted child, and when.
    history = HistoricalRecords(excluded_fields=["search_names"], m2m_fields=[restricted_to])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["authority", "date_of_birth"], name="child_by_dob"),
            # Search by date of birth also finds an unborn child by their expected date.
            models.Index(fields=["authority", "expected_date_of_birth"], name="child_by_expected_dob"),
            # The few restricted children, which every list leaves out for anyone not named.
            models.Index(fields=["id"], condition=models.Q(restricted=True), name="child_restricted"),
            # Search results in name order: a name most children share (a family name) reads the
            # first page off this index instead of sorting every match.
            models.Index(fields=["authority", "last_name", "first_name", "id"], name="child_by_name"),
        ]
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
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def clean(self):
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError({"date_of_birth": "Date of birth must be today or in the past"})
        check_in_range(self.date_of_birth, "date_of_birth", "date of birth")
        check_in_range(self.expected_date_of_birth, "expected_date_of_birth", "expected date of birth")
        if self.date_of_birth is None and self.expected_date_of_birth is None:
            raise ValidationError({"date_of_birth": "Enter a date of birth, or the expected date of birth"})
        self._clean_statutory(today)

    def _clean_statutory(self, today) -> None:
        """The CIN census and SSDA903 fields, every problem at once, each on its own field."""
        errors = {}
        for name, what in (("upn", "unique pupil number"), ("former_upn", "former unique pupil number")):
            problem = upn_problem(getattr(self, name)) if getattr(self, name) else None
            if problem:
                errors[name] = f"The {what} {problem}"
        if self.upn and self.upn_unknown:
            errors["upn_unknown"] = "Give the unique pupil number or why there is none, not both"
        known = {code for code, _ in DISABILITIES.choices}
        codes = self.disabilities if isinstance(self.disabilities, list) else [None]
        if not all(isinstance(code, str) and code in known for code in codes):
            errors["disabilities"] = "Select the child's disabilities from the list"
        elif "NONE" in self.disabilities and len(self.disabilities) > 1:
            errors["disabilities"] = "Select “No disability”, or the child's disabilities, not both"
        dates = (("date_of_death", "date of death"), ("uasc_ceased_on", "date their unaccompanied asylum-seeking "
                 "status ended"), ("mothers_child_born_on", "date of birth of her child"))  # fmt: skip
        for name, what in dates:
            day = getattr(self, name)
            try:
                check_in_range(day, name, what)
            except ValidationError as error:
                errors.update(error.message_dict)
                continue
            if day is not None and day > today:
                errors[name] = f"The {what} must be today or in the past"
            elif day is not None and self.date_of_birth and day < self.date_of_birth:
                errors[name] = f"The {what} must be on or after the child's birth, {long_date(self.date_of_birth)}"
        if self.uasc_ceased_on and not self.uasc:
            errors["uasc_ceased_on"] = "Give the date the status ended only for an unaccompanied asylum-seeking child"
        if self.is_mother and self.sex != Sex.FEMALE:
            errors["is_mother"] = "Only a child recorded as female can be recorded as a mother"
        if self.mothers_child_born_on and not self.is_mother:
            errors["mothers_child_born_on"] = "Give her child's date of birth only if the child is a mother"
        if errors:
            raise ValidationError(errors)

    def get_disabilities_display(self) -> str:
        """In words, as the pages show it (and cases/concurrency.py, after a conflict)."""
        if not self.disabilities:
            return "Not recorded"
        return ", ".join(DISABILITIES.label(code) for code in self.disabilities)

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
