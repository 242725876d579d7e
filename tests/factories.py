"""factory-boy factories for every model."""

from datetime import timedelta

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.models import AccessLog, Authority, Child, RoleAssignment, Team, User
from cases.roles import Role

TEST_PASSWORD = "correct-horse-battery-staple"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"authority-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.replace('-', ' ').title()} Council")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.test")
    full_name = factory.Faker("name", locale="en_GB")
    authority = factory.SubFactory(AuthorityFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.SOCIAL_WORKER
    team = factory.SubFactory(TeamFactory, authority=factory.SelfAttribute("..user.authority"))


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    authority = factory.SelfAttribute("user.authority")
    subject_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Team))
    subject_id = factory.LazyAttribute(lambda o: TeamFactory(authority=o.authority).pk)
    path = "/"
    viewed_at = factory.LazyFunction(timezone.now)


def staff(role: str, *, authority=None, team=None, **user_fields) -> User:
    """A user holding `role`; team roles get a team in the user's authority."""
    authority = authority or (team.authority if team else AuthorityFactory())
    user = UserFactory(authority=authority, **user_fields)
    if role in {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PERSONAL_ADVISER}:
        team = team or TeamFactory(authority=authority)
    RoleAssignment.objects.create(user=user, role=role, team=team)
    return user


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    authority = factory.SubFactory(AuthorityFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_between", start_date="-17y", end_date="-1y")


def referral_fields(**overrides) -> dict:
    """Everything referral_record needs besides the people, as a worker would enter it."""
    fields = {
        "received_at": timezone.now() - timedelta(hours=2),
        "referrer_name": "Sam Teacher",
        "referrer_agency": "Oak Primary School",
        "source": "2A",
        "consent": "given",
        "consent_by": "Mother",
        "reasons": "Came to school hungry and with bruising on the arm",
        "category_of_need": "N1",
    }
    fields.update(overrides)
    return fields


def allocate_new_child(people: dict, authority, **child_fields):
    """A child referred, accepted for assessment and allocated to `people`'s social worker, through
    the services (so its deadlines and chronology are as in real use)."""
    from cases.models import Case
    from cases.services.children import case_allocate, referral_decide, referral_record

    child = ChildFactory(authority=authority, **child_fields)
    referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=child, team=people["team"],
                               **referral_fields())  # fmt: skip
    referral_decide(referral=referral, decided_by=people[Role.TEAM_MANAGER], decision="assessment",
                    rationale="Needs it")  # fmt: skip
    case_allocate(case=Case.objects.get(referral=referral), worker=people[Role.SOCIAL_WORKER], team=people["team"],
                  allocated_by=people[Role.TEAM_MANAGER])  # fmt: skip
    return child


# Every section of an assessment written, as submitting needs: tests add the parts they look at.
ASSESSMENT_SECTIONS = dict.fromkeys(("developmental_needs", "parenting_capacity", "family_environment", "child_views",
                                     "parent_views", "diversity", "risks", "protective_factors", "analysis"),
                                    "Written.")  # fmt: skip
