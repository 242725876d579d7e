"""Reading children, referrals and cases: every query starts from what this user may see.

DESIGN §7: authority isolation always; social workers and personal advisers see their own
caseload and their teams' cases and referrals; team managers their teams'; service managers, QA
auditors, conference chairs and business support (the front door) the whole authority. A
restricted child is seen only by the people named on the record: to everyone else it does not
exist (404).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404

from ..models import Allocation, Case, Child, Deadline, LegalStatus, Referral, User, searchable
from ..roles import Role
from .id_lists import among
from .people import has_role, teams_managed_by, teams_of

AUTHORITY_WIDE = (Role.SERVICE_MANAGER, Role.QA_AUDITOR, Role.CONFERENCE_CHAIR, Role.BUSINESS_SUPPORT,
                  Role.DATA_OFFICER)  # fmt: skip
CASE_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PERSONAL_ADVISER, *AUTHORITY_WIDE)


def not_restricted_from(user, child_field: str = "") -> Q:
    """Children that are not restricted, or whose restriction names this user. On the children
    themselves, the flag of each row found (the names read only for a restricted one, by EXISTS, so
    a child named for several people is still one row). Through `child_field`, "not one of the
    restricted children this user is not named on": a small set read through the partial index
    child_restricted, so a list of deadlines or cases need not join every child of the authority
    to read their flag. Rows with no child are left out (callers add them where they belong)."""
    named = Child.restricted_to.through.objects.filter(child_id=OuterRef("pk"), user=user)
    if not child_field:
        return Q(restricted=False) | Q(Exists(named))
    hidden = Child.objects.filter(restricted=True).exclude(Exists(named)).values("pk")
    return Q(**{f"{child_field}__isnull": False}) & ~Q(**{f"{child_field}__in": hidden})


def can_see_children(user) -> bool:
    return has_role(user, *CASE_ROLES)


def children_visible_to(user) -> QuerySet[Child]:
    if user.authority_id is None or not can_see_children(user):
        return Child.objects.none()
    children = Child.objects.filter(authority_id=user.authority_id)
    if not has_role(user, *AUTHORITY_WIDE):
        teams = teams_of(user)
        reachable = (
            Q(Exists(Case.objects.filter(child=OuterRef("pk"), team__in=teams)))
            | Q(Exists(Case.objects.filter(child=OuterRef("pk"), worker=user)))
            | Q(Exists(Referral.objects.filter(child=OuterRef("pk"), team__in=teams)))
            | Q(created_by=user)
        )
        children = children.filter(reachable)
    return children.filter(not_restricted_from(user))


def visible_child_ids(users, child_ids) -> dict[int, set[int]]:
    """`children_visible_to`, for many people at once over a known set of children: the same rules
    in four queries whatever the number of people or children (the digests check every line with
    it). The users' role assignments should be loaded first (`load_role_assignments`)."""
    fields = ("pk", "authority_id", "restricted", "created_by_id")
    children = {row["pk"]: row for row in Child.objects.filter(pk__in=among(child_ids)).values(*fields)}
    restricted = [pk for pk, row in children.items() if row["restricted"]]
    named = set()
    if restricted:
        names = Child.restricted_to.through.objects.filter(child_id__in=restricted)
        named = set(names.values_list("child_id", "user_id"))
    by_team, by_worker = defaultdict(set), defaultdict(set)
    by_authority, by_creator = defaultdict(set), defaultdict(set)
    for pk, row in children.items():
        by_authority[row["authority_id"]].add(pk)
        by_creator[row["created_by_id"]].add(pk)
    cases = Case.objects.filter(child_id__in=among(children)).values_list("child_id", "team_id", "worker_id")
    for child_id, team_id, worker_id in cases:
        by_team[team_id].add(child_id)
        by_worker[worker_id].add(child_id)
    for child_id, team_id in Referral.objects.filter(child_id__in=among(children)).values_list("child_id", "team_id"):
        by_team[team_id].add(child_id)
    visible = {}
    for user in users:
        if user.authority_id is None or not can_see_children(user):
            visible[user.pk] = set()
            continue
        seen = by_authority[user.authority_id]
        if not has_role(user, *AUTHORITY_WIDE):
            seen = seen & by_creator[user.pk].union(by_worker[user.pk], *(by_team[team.pk] for team in teams_of(user)))
        visible[user.pk] = seen - {pk for pk in restricted if (pk, user.pk) not in named}
    return visible


def child_for(user, pk: int) -> Child:
    """The child, if this user may see them; otherwise 404, never 403 (a restricted or another
    authority's child must not be confirmed to exist)."""
    child = children_visible_to(user).filter(pk=pk).first()
    if child is None:
        raise Http404("No such child")
    return child


def children_search(user, *, text: str = "", born_on: date | None = None, nhs_number: str = "") -> QuerySet[Child]:
    """By any part of any name in any order (case and accents ignored), date of birth, NHS number
    or case ID (C000123)."""
    children = children_visible_to(user)
    text = text.strip()
    reference = text.upper().removeprefix("C")
    if text and reference.isdigit() and text.upper().startswith("C"):
        return children.filter(pk=int(reference))
    for word in searchable(text).split():
        children = children.filter(search_names__contains=word)
    if born_on:
        children = children.filter(Q(date_of_birth=born_on) | Q(expected_date_of_birth=born_on))
    if nhs_number:
        children = children.filter(nhs_number=nhs_number.replace(" ", ""))
    return children.order_by("last_name", "first_name", "pk")


def likely_matches(user, *, first_name: str, last_name: str, born_on: date | None, nhs_number: str = "") -> list:
    """Children this new record may duplicate: the same NHS number, or a similar name born within
    a month either side. Only among children the user may see."""
    visible = children_visible_to(user)
    found = []
    if nhs_number:
        found = list(visible.filter(nhs_number=nhs_number))
    names = [searchable(first_name)[:3], searchable(last_name)[:3]]
    similar = visible
    for part in names:
        if part:
            similar = similar.filter(search_names__contains=part)
    if born_on:
        window = (born_on - timedelta(days=31), born_on + timedelta(days=31))
        similar = similar.filter(Q(date_of_birth__range=window) | Q(expected_date_of_birth__range=window))
    found += [child for child in similar[:10] if child not in found]
    return found


CASE_HOLDING_ROLES = (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)


def workers_in(team) -> QuerySet:
    """Who a case in this team may be allocated to: its social workers and personal advisers."""
    return User.objects.filter(
        is_active=True, role_assignments__team=team, role_assignments__role__in=CASE_HOLDING_ROLES
    ).distinct().order_by("full_name")


def previous_worker_of(case: Case) -> User | None:
    """The last worker who held the case, even if a transfer has left it with nobody since: a
    new worker after them is a change of social worker, the first ever is not."""
    last = (Allocation.objects.filter(case=case, worker__isnull=False).select_related("worker")
            .order_by("-allocated_at", "-pk").first())  # fmt: skip
    return last.worker if last else None


def allocation_history(case: Case, limit: int = 10) -> list[Allocation]:
    """Who has held the case, latest first, with why each change of worker happened."""
    return list(case.allocations.select_related("worker", "team").order_by("-allocated_at", "-pk")[:limit])


def can_write_case(user, case: Case) -> bool:
    """The allocated worker writes on a case; so does a manager of the team that holds it."""
    return case.is_open and (case.worker_id == user.pk or case.team in teams_managed_by(user))


def manages_case(user, case: Case) -> bool:
    if case.authority_id != user.authority_id:
        return False
    return case.team in teams_managed_by(user) or has_role(user, Role.SERVICE_MANAGER)


def case_for(user, pk: int) -> Case:
    """The case, if the user may see its child; otherwise the same 404 as for the child."""
    case = (
        Case.objects.filter(pk=pk, child__in=children_visible_to(user))
        .select_related("child", "team", "worker", "authority")
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def open_case_for(child: Child) -> Case | None:
    return child.cases.filter(closed_at__isnull=True).select_related("team", "worker").first()


CURRENT_STATUSES = Prefetch(
    "statuses", queryset=LegalStatus.objects.filter(ended_on__isnull=True), to_attr="current_statuses"
)


def caseload_for(user) -> QuerySet[Case]:
    """The open cases allocated to this worker, with the child and their current statuses."""
    return (
        Case.objects.filter(authority_id=user.authority_id, worker=user, closed_at__isnull=True)
        .filter(not_restricted_from(user, "child"))
        .select_related("child", "team")
        .prefetch_related(CURRENT_STATUSES)
        .order_by("child__last_name", "child__first_name")
    )


def next_deadlines_for_cases(cases, now) -> dict[int, Deadline]:
    """Each case's soonest open deadline, with `overdue`: how many of the case's open deadlines
    are past due at `now`. One query, one pass over the cases' open deadlines, that loads one
    deadline per case and counts the rest in the database; a case with no open deadline is not in
    the result (and has none overdue)."""
    by_case = {"partition_by": F("case_id")}
    deadlines = (
        Deadline.objects.filter(case__in=cases, status=Deadline.Status.OPEN)
        .annotate(place=Window(RowNumber(), order_by=(F("due_at").asc(), F("pk").asc()), **by_case),
                  overdue=Window(Count("pk", filter=Q(due_at__lt=now)), **by_case))
        .filter(place=1)
    )  # fmt: skip
    return {deadline.case_id: deadline for deadline in deadlines}


def referral_for(user, pk: int) -> Referral:
    referral = Referral.objects.filter(pk=pk, child__in=children_visible_to(user)).select_related("child", "team")
    found = referral.first()
    if found is None:
        raise Http404("No such referral")
    return found


def team_caseloads(user, now) -> QuerySet[Case]:
    """Open cases in the teams this user manages, by worker, each with how many of its open
    deadlines are overdue at `now` (`overdue`, counted in the database)."""
    overdue = (Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OPEN, due_at__lt=now)
               .order_by().values("case").annotate(count=Count("pk")).values("count"))  # fmt: skip
    return (
        Case.objects.filter(authority_id=user.authority_id, team__in=teams_managed_by(user), closed_at__isnull=True)
        .filter(not_restricted_from(user, "child"))
        .select_related("child", "worker", "team")
        .prefetch_related(CURRENT_STATUSES)
        .annotate(overdue=Coalesce(Subquery(overdue), 0))
        .order_by("worker__full_name", "child__last_name")
    )
