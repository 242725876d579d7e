"""Reading audits. QA auditors read every audit of their authority and service managers its
results; a team manager reads the audits of the teams they manage; the audited worker reads an
audit of their case once it is graded (to respond and act). A restricted child's audit is seen
only by the people named on the record. Everyone else gets 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Deadline
from cases.roles import Role
from cases.selectors.children import not_restricted_from
from cases.selectors.people import has_role, teams_managed_by

from .models import Audit, AuditProgramme
from .services import ACTION_KEY

GRADED = (Audit.Status.SUBMITTED, Audit.Status.MODERATED, Audit.Status.COMPLETE)


def reads_every_audit(user) -> bool:
    return has_role(user, Role.QA_AUDITOR, Role.SERVICE_MANAGER)


def sees_audit_pages(user) -> bool:
    """The Audits pages: QA auditors and managers (the worker reaches their audits from My work)."""
    return has_role(user, Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.TEAM_MANAGER)


def audits_visible_to(user) -> QuerySet[Audit]:
    if user.authority_id is None:
        return Audit.objects.none()
    audits = Audit.objects.filter(authority_id=user.authority_id)
    if not reads_every_audit(user):
        managed = [team.pk for team in teams_managed_by(user)]
        audits = audits.filter(Q(team_id__in=managed) | Q(worker=user, status__in=GRADED))
    return audits.filter(not_restricted_from(user, "child"))


def audit_for(user, pk: int) -> Audit:
    audit = (
        audits_visible_to(user)
        .filter(pk=pk)
        .select_related("version__template", "case", "child", "team", "worker", "auditor", "moderator", "authority",
                        "programme", "manager_responded_by", "locked_by")  # fmt: skip
        .first()
    )
    if audit is None:
        raise Http404("No such audit")
    return audit


def audit_list(user, *, status: str = "", mine: bool = False) -> QuerySet[Audit]:
    # The children of the page only, by id: joined, PostgreSQL hashes every child of the
    # authority before it sorts the audits and keeps a page of them.
    audits = audits_visible_to(user).select_related("team", "auditor", "version").prefetch_related("child")
    if status:
        audits = audits.filter(status=status)
    if mine:
        audits = audits.filter(auditor=user)
    return audits.order_by("-assigned_at", "-pk")


def programmes_of(user) -> QuerySet[AuditProgramme]:
    return AuditProgramme.objects.filter(authority_id=user.authority_id).select_related("created_by")


def programme_for(user, pk: int) -> AuditProgramme:
    programme = programmes_of(user).filter(pk=pk).first()
    if programme is None or not has_role(user, Role.QA_AUDITOR):
        raise Http404("No such programme")
    return programme


def audit_actions_for(user) -> QuerySet[Deadline]:
    """Open actions from audits that this person owns, soonest first."""
    return (
        Deadline.objects.filter(assignee=user, key=ACTION_KEY, status=Deadline.Status.OPEN)
        .filter(not_restricted_from(user, "child"))
        .select_related("child")
        .order_by("due_at")
    )
