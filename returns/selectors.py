"""Reading the returns' runs and findings, scoped to the person asking."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404

from cases.models import Case, Child
from cases.roles import Role
from cases.selectors.children import children_visible_to
from cases.selectors.people import has_role
from returns.links import where_recorded
from returns.models import ReturnRun, StagedImport

# The performance and data officer's work; a service manager answers for the returns too.
USES_RETURNS = (Role.DATA_OFFICER, Role.SERVICE_MANAGER)


def may_use_returns(user) -> bool:
    return user.is_authenticated and user.authority_id is not None and has_role(user, *USES_RETURNS)


def runs_for(user):
    if not may_use_returns(user):
        return ReturnRun.objects.none()
    return ReturnRun.objects.filter(authority_id=user.authority_id).select_related("requested_by")


def run_for(user, pk: int) -> ReturnRun:
    return get_object_or_404(runs_for(user), pk=pk)


def staged_imports_for(user):
    if not may_use_returns(user):
        return StagedImport.objects.none()
    # Whether the file has been cleared (services.staged_files_clear), worked out in the query so a
    # list that leaves the bytes unread can still say so.
    cleared = ExpressionWrapper(Q(document=b""), output_field=BooleanField())
    return (StagedImport.objects.filter(authority_id=user.authority_id).select_related("uploaded_by", "import_run")
            .annotate(file_cleared=cleared))  # fmt: skip


def staged_import_for(user, pk: int) -> StagedImport:
    return get_object_or_404(staged_imports_for(user), pk=pk)


@dataclass
class ChildFindings:
    child: Child | None  # None: a restricted record this person is not named on
    la_child_id: str
    findings: list[dict]
    link: tuple[str, str] | None  # (URL name, label) of where the first finding is recorded

    @property
    def errors(self) -> int:
        return sum(finding["is_error"] for finding in self.findings)


def findings_by_child(user, run: ReturnRun) -> tuple[list[ChildFindings], list[dict]]:
    """Each child's findings (errors first), and those about the return as a whole. A restricted
    child the person may not see is shown without name or link."""
    whole, grouped = [], {}
    for finding in run.findings:
        if finding.get("child_id"):
            grouped.setdefault(finding["child_id"], []).append(finding)
        else:
            whole.append(finding)
    visible = children_visible_to(user).filter(pk__in=grouped).in_bulk()
    rows = []
    for child_id, found in grouped.items():
        found.sort(key=lambda finding: (not finding["is_error"], finding["rule"]))
        child = visible.get(child_id)
        for finding in found:
            finding["where"] = where_recorded(run.kind, finding.get("table", ""))[1]
        link = where_recorded(run.kind, found[0].get("table", "")) if child else None
        rows.append(ChildFindings(child=child, la_child_id=found[0].get("la_child_id", ""), findings=found,
                                  link=link))  # fmt: skip
    rows.sort(key=lambda row: (-row.errors, row.la_child_id))
    return rows, whole


@dataclass(frozen=True)
class TeamCount:
    team: str
    worker: str
    errors: int
    queries: int


def findings_by_team(run: ReturnRun) -> list[TeamCount]:
    """Where the findings sit: each child's team and worker on their latest case."""
    child_ids = {finding["child_id"] for finding in run.findings if finding.get("child_id")}
    holder = {}
    for case in (Case.objects.filter(child_id__in=child_ids).select_related("team", "worker")
                 .order_by("child_id", "-opened_at")):  # fmt: skip
        holder.setdefault(case.child_id, (case.team.name, case.worker.full_name if case.worker else "Not allocated"))
    errors, queries = Counter(), Counter()
    for finding in run.findings:
        if finding.get("child_id") in holder:
            (errors if finding["is_error"] else queries)[holder[finding["child_id"]]] += 1
    return sorted((TeamCount(team=team, worker=worker, errors=errors[key], queries=queries[key])
                   for key in errors.keys() | queries.keys() for team, worker in [key]),
                  key=lambda row: (-row.errors, -row.queries, row.team, row.worker))  # fmt: skip
