"""People and organisation: authorities, teams, staff and their roles, and the access log."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..roles import TEAM_ROLES, Role
from ..rules.identifiers import (
    la_number_problem,
    ons_code_problem,
    swe_number_normalised,
    swe_number_problem,
)


class Authority(models.Model):
    """A local authority: the unit of data isolation. No user ever sees another's records."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="Europe/London")
    # Loaded from the authority's file (config/authorities/<slug>.toml): the returns name the
    # authority by these, never by its slug or name.
    la_number = models.CharField("LA number", max_length=3, blank=True,
                                 help_text="The DfE's three-digit number for the local authority, like 383.")
    ons_code = models.CharField("ONS code", max_length=9, blank=True,
                                help_text="The Office for National Statistics area code, like E08000035.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.UniqueConstraint(fields=["la_number"], condition=~models.Q(la_number=""),
                                    name="authority_la_number_unique"),
            models.UniqueConstraint(fields=["ons_code"], condition=~models.Q(ons_code=""),
                                    name="authority_ons_code_unique"),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        problems = {}
        if self.la_number and (message := la_number_problem(self.la_number)):
            problems["la_number"] = message
        if self.ons_code and (message := ons_code_problem(self.ons_code)):
            problems["ons_code"] = message
        if problems:
            raise ValidationError(problems)


class Team(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_name_unique_in_authority"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in with their email; belongs to exactly one authority
    (superusers, who run the deployment, belong to none)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    newly_qualified = models.BooleanField(
        default=False, help_text="Newly qualified (ASYE): closer supervision and visit rules apply."
    )
    newly_qualified_from = models.DateField(null=True, blank=True, help_text="When the newly qualified year started.")
    # The workforce census and the SSDA903 return identify the worker by it; staff who are not
    # registered social workers have none.
    swe_registration_number = models.CharField(
        "Social Work England registration number", max_length=20, blank=True,
        help_text="SW followed by digits, like SW12345. Leave blank for staff who are not registered social workers.",
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can open the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "swe_registration_number"],
                                    condition=~models.Q(swe_registration_number=""),
                                    name="user_swe_number_unique_in_authority",
                                    violation_error_message="Someone else here has this registration number"),
        ]  # fmt: skip

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.newly_qualified and not self.newly_qualified_from:
            raise ValidationError({"newly_qualified_from": "Enter the date the newly qualified year started"})
        if not self.is_superuser and self.authority_id is None:
            raise ValidationError({"authority": "Select the authority this person works for"})
        self._clean_swe_registration_number()

    def _clean_swe_registration_number(self):
        number = swe_number_normalised(self.swe_registration_number)
        self.swe_registration_number = number
        if not number:
            return
        if problem := swe_number_problem(number):
            raise ValidationError({"swe_registration_number": problem})
        # The constraint would refuse it too, but without naming the field or the colleague.
        holder = (User.objects.filter(authority_id=self.authority_id, swe_registration_number=number)
                  .exclude(pk=self.pk).first())  # fmt: skip
        if holder is not None:
            raise ValidationError({"swe_registration_number": f"{holder} already has registration number {number}"})


class RoleAssignment(models.Model):
    """One role a user holds, in one team where the role is team-based.

    A team manager's assignment is also the record of which team they manage.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="role_assignments", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "team"], name="role_assignment_unique"),
        ]
        indexes = [models.Index(fields=["team", "role"], name="role_by_team")]

    def __str__(self):
        where = f" in {self.team}" if self.team_id else ""
        return f"{self.get_role_display()}{where}"

    def clean(self):
        super().clean()
        if self.role in TEAM_ROLES and self.team_id is None:
            raise ValidationError({"team": f"Select the team this {self.get_role_display().lower()} works in"})
        if self.team_id and self.user_id and self.team.authority_id != self.user.authority_id:
            raise ValidationError({"team": "Select a team in the person's own authority"})


class AccessLog(models.Model):
    """Who opened which record, and when. Append-only: written by views, read by managers."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_log")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    path = models.CharField(max_length=500)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-viewed_at"], name="access_by_subject"),
            models.Index(fields=["authority", "-viewed_at"], name="access_by_authority"),
        ]

    def __str__(self):
        when = f"{self.viewed_at:%Y-%m-%d %H:%M}"
        return f"{self.user} viewed {self.subject_type.model} {self.subject_id} at {when}"
