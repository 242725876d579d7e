"""Demo data for the quick start: the shipped authorities, two teams each, one user per role.

Idempotent: running it again changes nothing that is already there. Each authority also gets demo
children at every stage from referral to closure (cases/demo_children.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .demo_children import seed_demo_children
from .models import Authority, RoleAssignment, Team, User
from .roles import Role
from .services.alerts import overdue_alerts_raise
from .services.performance_rollup import performance_rollup_rebuild_all

DEMO_PASSWORD = "casework-demo-password"

# Wiltshire: the quality-standards document (seed 003) names no authority; the attribution to
# Wiltshire is inferred from its content (see shared/reference/seed-003_quality_standards.md).
DEMO_AUTHORITIES = [
    ("england", "Demo Council (national defaults)"),
    ("barnet", "London Borough of Barnet"),
    ("st-helens", "St Helens Borough Council"),
    ("leeds", "Leeds City Council"),
    ("wiltshire", "Wiltshire Council"),
    ("york", "City of York Council"),
]
ASSESSMENT_TEAM = "Assessment team"
PROTECTION_TEAM = "Family support and protection team"

# (role, full name, team the role sits in, newly qualified)
DEMO_STAFF = [
    (Role.SOCIAL_WORKER, "Sam Okafor", ASSESSMENT_TEAM, False),
    (Role.TEAM_MANAGER, "Priya Shah", ASSESSMENT_TEAM, False),
    (Role.SERVICE_MANAGER, "Joanna Wright", None, False),
    (Role.CONFERENCE_CHAIR, "Michael Byrne", None, False),
    (Role.PERSONAL_ADVISER, "Leah Thompson", PROTECTION_TEAM, False),
    (Role.QA_AUDITOR, "Grace Mensah", None, False),
    (Role.BUSINESS_SUPPORT, "Tom Clarke", None, False),
    (Role.DATA_OFFICER, "Nadia Hussain", None, False),
    (Role.AUTHORITY_ADMIN, "Helen Price", None, False),
]
NEWLY_QUALIFIED_WORKER = ("Ellie Ward", PROTECTION_TEAM)
# Social Work England registration numbers for the demo staff who would be registered social
# workers (a personal adviser, business support and the admin need not be). Made up, in SWE's
# "SW" and digits form; each authority's are offset so none repeats within one.
DEMO_SWE_NUMBERS = {
    Role.SOCIAL_WORKER: 104_512,
    Role.TEAM_MANAGER: 61_873,
    Role.SERVICE_MANAGER: 38_206,
    Role.CONFERENCE_CHAIR: 45_519,
    Role.QA_AUDITOR: 72_940,
    "newly_qualified": 131_077,
}


# Other apps add their demo records here (assessments in progress, plans, visits...), after the
# children exist, so `cases` never imports them.
DEMO_SEEDERS: list = []


def register_demo(seed) -> None:
    """`seed(authority, staff)` adds an app's demo records; it must be idempotent."""
    if seed not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(seed)


@dataclass(frozen=True)
class DemoLogin:
    authority: str
    role: str
    email: str


def demo_email(role: str, slug: str) -> str:
    return f"{role.replace('_', '-')}@{slug}.casework.test"


@transaction.atomic
def seed_demo(slugs: Iterable[str] | None = None) -> list[DemoLogin]:
    """Seed every demo authority, or only those in `slugs` (the browser tests need just one)."""
    wanted = set(slugs) if slugs else {slug for slug, _ in DEMO_AUTHORITIES}
    unknown = wanted - {slug for slug, _ in DEMO_AUTHORITIES}
    if unknown:
        raise ValueError(f"No demo authority called {', '.join(sorted(unknown))}")
    logins = []
    for index, (slug, name) in enumerate(DEMO_AUTHORITIES):
        if slug not in wanted:
            continue
        authority, _ = Authority.objects.get_or_create(slug=slug, defaults={"name": name})
        teams = {
            team_name: Team.objects.get_or_create(authority=authority, name=team_name)[0]
            for team_name in (ASSESSMENT_TEAM, PROTECTION_TEAM)
        }
        for role, full_name, team_name, _ in DEMO_STAFF:
            email = demo_email(role, slug)
            user = _ensure_user(authority, email, full_name, is_staff=role == Role.AUTHORITY_ADMIN,
                                swe_number=demo_swe_number(role, index))  # fmt: skip
            RoleAssignment.objects.get_or_create(user=user, role=role, team=teams.get(team_name))
            logins.append(DemoLogin(authority.name, Role(role).label, email))
        nq_name, nq_team = NEWLY_QUALIFIED_WORKER
        email = f"newly-qualified-social-worker@{slug}.casework.test"
        user = _ensure_user(authority, email, nq_name, newly_qualified_from=date(2026, 9, 1),
                            swe_number=demo_swe_number("newly_qualified", index))  # fmt: skip
        RoleAssignment.objects.get_or_create(user=user, role=Role.SOCIAL_WORKER, team=teams[nq_team])
        logins.append(DemoLogin(authority.name, "Social worker (newly qualified)", email))
        staff = {role: User.objects.get(email=demo_email(role, slug)) for role, *_ in DEMO_STAFF}
        seed_demo_children(authority, {"assessment": teams[ASSESSMENT_TEAM]}, staff)
        for seed in DEMO_SEEDERS:
            seed(authority, staff)
    # Again once every app's records are in, so the bell shows what they left overdue too and a
    # second run has nothing new to raise.
    overdue_alerts_raise(now=timezone.now())
    # Some demo records are written straight to the tables, not through the deadline services.
    performance_rollup_rebuild_all(Authority.objects.filter(slug__in=wanted).order_by("pk"))
    return logins


@cache
def _demo_password_hash() -> str:
    # Every demo user shares one password; hashing it once saves ~0.4 s a user on `make run`.
    return make_password(DEMO_PASSWORD)


def demo_swe_number(key: str, authority_index: int) -> str:
    base = DEMO_SWE_NUMBERS.get(key)
    return f"SW{base + authority_index * 1_009}" if base else ""


def _ensure_user(authority, email, full_name, *, is_staff=False, newly_qualified_from=None, swe_number="") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            authority=authority,
            full_name=full_name,
            is_staff=is_staff,
            newly_qualified=newly_qualified_from is not None,
            newly_qualified_from=newly_qualified_from,
            swe_registration_number=swe_number,
        )
        user.password = _demo_password_hash()
        user.full_clean()
        user.save()
    elif swe_number and not user.swe_registration_number:
        # A demo seeded before staff had registration numbers gains them on the next run.
        user.swe_registration_number = swe_number
        user.save(update_fields=["swe_registration_number"])
    return user
