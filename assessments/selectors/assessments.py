"""Reading assessments: always through a child the user may see (404 otherwise)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from assessments.models.assessments import Assessment, AssessmentTransition
from cases.models import Deadline, RoleAssignment, User
from cases.roles import Role
from cases.selectors.children import children_visible_to, manages_case, not_restricted_from
from cases.selectors.people import has_role, teams_managed_by

COMPLETION_KEYS = ("assessment_completion", "assessment_brief_completion")


def assessment_for(user, pk: int) -> Assessment:
    found = (
        Assessment.objects.filter(pk=pk, child__in=children_visible_to(user))
        .select_related("child", "case__team", "case__worker", "author", "authority")
        .first()
    )
    if found is None:
        raise Http404("No such assessment")
    return found


def assessments_of_child(child) -> QuerySet[Assessment]:
    return child.assessments.select_related("author", "approved_by").order_by("-created_at")


def assessments_awaiting_sign_off(user) -> QuerySet[Assessment]:
    """Submitted assessments this user may sign off: in the teams they manage (every team, for a
    service manager), and never one they wrote any of or submitted. Each carries `submitted_at`
    (its latest submission) and `due_at` (its completion deadline); the soonest due first."""
    awaiting = Assessment.objects.filter(authority_id=user.authority_id, status=Assessment.Status.SUBMITTED)
    if not has_role(user, Role.SERVICE_MANAGER):
        awaiting = awaiting.filter(case__team__in=teams_managed_by(user))
    submitted = AssessmentTransition.objects.filter(assessment=OuterRef("pk"), to_status=Assessment.Status.SUBMITTED)
    completion = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Assessment),
                                         subject_id=OuterRef("pk"), key__in=COMPLETION_KEYS,
                                         status=Deadline.Status.OPEN)  # fmt: skip
    return (
        awaiting.filter(not_restricted_from(user, "child"))
        .exclude(Q(author=user) | Q(Exists(submitted.filter(by=user))) | Q(Exists(_text_saves_by(user))))
        .annotate(submitted_at=Subquery(submitted.order_by("-at", "-pk").values("at")[:1]),
                  due_at=Subquery(completion.order_by("due_at").values("due_at")[:1]))
        .select_related("child", "author", "case__team")
        .order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")
    )  # fmt: skip


def own_work_among(user, pks) -> set[int]:
    """Which of the assessments `pks` are this user's own work (they wrote any of it, or submitted
    it): the same rule as the sign-off queue's, for readers that gather many people's queues at
    once (the morning digest)."""
    submitted = AssessmentTransition.objects.filter(assessment=OuterRef("pk"), to_status=Assessment.Status.SUBMITTED,
                                                    by=user)  # fmt: skip
    return set(
        Assessment.objects.filter(pk__in=pks)
        .filter(Q(author=user) | Q(Exists(submitted)) | Q(Exists(_text_saves_by(user))))
        .values_list("pk", flat=True)
    )


def _text_saves_by(user) -> QuerySet:
    """History rows of an assessment (OuterRef "pk") where this user saved a new version of its
    text: the first row of each version after the first. A status change keeps the version, so a
    manager who returned it has not written it. The SQL form of `writers_of`."""
    history = Assessment.history.model
    earlier = history.objects.filter(id=OuterRef("id"), version=OuterRef("version"),
                                     history_id__lt=OuterRef("history_id"))  # fmt: skip
    return history.objects.filter(id=OuterRef("pk"), history_user=user, version__gt=1).exclude(Exists(earlier))


def writers_of(assessment: Assessment) -> set[int]:
    """Everyone who wrote any of it or submitted it: none of them may sign it off."""
    submitted = assessment.transitions.filter(to_status=Assessment.Status.SUBMITTED).values_list("by", flat=True)
    # A save of the text bumps the version; a status change does not, so a manager who returned it
    # has not written it.
    writers, last_version = set(), None
    for version, user in assessment.history.order_by("history_id").values_list("version", "history_user"):
        if version != last_version and last_version is not None and user is not None:
            writers.add(user)
        last_version = version
    return {assessment.author_id, *submitted, *writers}


def may_sign_off(user, assessment: Assessment, writers: set[int] | None = None) -> bool:
    """A manager of the team holding the case (or a service manager) who wrote none of it."""
    if assessment.status != Assessment.Status.SUBMITTED or not manages_case(user, assessment.case):
        return False
    return user.pk not in (writers if writers is not None else writers_of(assessment))


@dataclass
class Approvers:
    """Who may approve an assessment: the case's team managers and the authority's service
    managers, less anyone who wrote or submitted it."""

    team: str
    team_managers: list[User]
    service_managers: list[User]

    def __bool__(self) -> bool:
        return bool(self.team_managers or self.service_managers)


def approvers_of(assessment: Assessment, writers: set[int] | None = None) -> Approvers:
    writers = writers if writers is not None else writers_of(assessment)
    case = assessment.case
    assignments = (
        RoleAssignment.objects.filter(user__authority_id=assessment.authority_id, user__is_active=True)
        .filter(Q(role=Role.TEAM_MANAGER, team_id=case.team_id) | Q(role=Role.SERVICE_MANAGER))
        .exclude(user_id__in=writers)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    team_managers, service_managers = {}, {}
    for assignment in assignments:
        chosen = team_managers if assignment.role == Role.TEAM_MANAGER else service_managers
        chosen.setdefault(assignment.user_id, assignment.user)
    return Approvers(team=str(case.team), team_managers=list(team_managers.values()),
                     service_managers=[u for pk, u in service_managers.items() if pk not in team_managers])  # fmt: skip


def assessments_returned_to(user) -> QuerySet[Assessment]:
    """Returned work for the worker who holds the case: shown first on My work."""
    return Assessment.objects.filter(
        authority_id=user.authority_id, status=Assessment.Status.RETURNED, case__worker=user
    ).select_related("child")


def completion_deadline_of(assessment: Assessment) -> Deadline | None:
    return (
        Deadline.objects.filter(case=assessment.case, subject_id=assessment.pk, key__contains="completion")
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("-pk")
        .first()
    )
