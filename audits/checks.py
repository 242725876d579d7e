"""System checks: items the record itself can answer, pre-answered from the data with the
evidence shown, which the auditor may override with a reason (reference §1.2, Wiltshire's "S"
items). Each check reads one case and returns an answer and the evidence; ITEM_CHECKS says which
items (by code, across every authority's template) each check answers.

Timeliness is read from the deadline ledger, never recomputed: a deadline met on time counts as
met, met late counts as late (with how many working days, on the authority's own calendar), and
one still open after its due moment is missing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from assessments.models.assessments import Assessment
from assessments.services.assessments import COMPLETION_KEYS
from cases.models import Case, CaseSummary, ChronologyEntry, Deadline
from cases.rules.timescales import add_months
from cases.selectors.timescales import policy_for
from visits.schedule import VISIT_KEYS

from .models import Answer

RECORDING_KEYS = ("case_recording", "significant_event_recording", "visit_recording")
CASE_SUPERVISION_KEY = "case_supervision_interval"
NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


@dataclass(frozen=True)
class CheckResult:
    answer: str  # an Answer value
    evidence: str


def _count(n: int) -> str:
    return NUMBERS.get(n, str(n))


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %-d %b %Y}"


def ledger_timeliness(case: Case, keys, what: str, now: datetime | None = None) -> CheckResult:
    """How the case's deadlines of `keys` went: each that fell due was met on time, met late or
    is missing (still open after it was due)."""
    now = now or timezone.now()
    deadlines = list(Deadline.objects.filter(case=case, key__in=list(keys)).exclude(status=Deadline.Status.CANCELLED)
                     .order_by("due_at"))  # fmt: skip
    counted = [d for d in deadlines if d.status != Deadline.Status.OPEN or d.due_at < now]
    if not counted:
        upcoming = [d for d in deadlines if d.status == Deadline.Status.OPEN]
        later = f"; the next is due {_day(upcoming[0].due_at)}" if upcoming else ""
        return CheckResult(Answer.NOT_APPLICABLE, f"{what}: none has fallen due yet{later}.")
    calendar = policy_for(case.authority).calendar
    on_time = [d for d in counted if d.status == Deadline.Status.MET]
    late = [d for d in counted if d.status == Deadline.Status.MET_LATE]
    missing = [d for d in counted if d.status == Deadline.Status.OPEN]
    parts = [f"{what}: {len(on_time)} of {len(counted)} met"]
    if late:
        days = [calendar.working_days_between(timezone.localdate(d.due_at), timezone.localdate(d.met_at)) for d in late]
        if len(late) == 1:
            parts.append(f"one {days[0]} working day{'s' if days[0] != 1 else ''} late")
        else:
            parts.append(f"{_count(len(late))} late ({', '.join(str(n) for n in days)} working days)")
    if missing:
        due = ", ".join(_day(d.due_at) for d in missing[:3])
        parts.append(f"{_count(len(missing))} overdue and not done (due {due})")
    evidence = ", ".join(parts) + "."
    if missing:
        return CheckResult(Answer.NOT_MET, evidence)
    if late:
        return CheckResult(Answer.PARTLY_MET, evidence)
    return CheckResult(Answer.MET, evidence)


def statutory_visits(case: Case, now=None) -> CheckResult:
    return ledger_timeliness(case, VISIT_KEYS, "Statutory visits within timescale", now)


def case_supervision(case: Case, now=None) -> CheckResult:
    return ledger_timeliness(case, [CASE_SUPERVISION_KEY], "Case supervision at the authority's frequency", now)


def recording_timely(case: Case, now=None) -> CheckResult:
    return ledger_timeliness(case, RECORDING_KEYS, "Case notes and visits written up within timescale", now)


def assessment_on_time(case: Case, now=None) -> CheckResult:
    return ledger_timeliness(case, COMPLETION_KEYS, "Assessments completed within timescale", now)


def assessment_approved(case: Case, now=None) -> CheckResult:
    latest = Assessment.objects.filter(case=case).select_related("approved_by").order_by("-created_at", "-pk").first()
    if latest is None:
        return CheckResult(Answer.NOT_APPLICABLE, "No assessment on this case.")
    if latest.status == Assessment.Status.APPROVED and latest.approved_by_id:
        return CheckResult(Answer.MET, f"Assessment approved by a manager, {latest.approved_by}, on "
                                       f"{_day(latest.approved_at)}.")  # fmt: skip
    status = latest.get_status_display().lower()
    return CheckResult(Answer.NOT_MET, f"The latest assessment (started {_day(latest.created_at)}) is {status}: "
                                       "not approved by a manager.")  # fmt: skip


def chronology_current(case: Case, now=None) -> CheckResult:
    now = now or timezone.now()
    since = add_months(timezone.localdate(now), -1)
    latest = (ChronologyEntry.objects.filter(child_id=case.child_id, struck_at__isnull=True)
              .order_by("-recorded_at").first())  # fmt: skip
    if latest is None:
        return CheckResult(Answer.NOT_MET, "No chronology entry on the child's record.")
    when = _day(latest.recorded_at)
    if timezone.localdate(latest.recorded_at) >= since:
        return CheckResult(Answer.MET, f"Chronology updated in the last month: latest entry {when}.")
    return CheckResult(Answer.NOT_MET, f"Chronology not updated in the last month: latest entry {when}.")


def case_summary_current(case: Case, now=None) -> CheckResult:
    now = now or timezone.now()
    latest = CaseSummary.objects.filter(case=case).order_by("-written_at").first()
    if latest is None:
        return CheckResult(Answer.NOT_MET, "No case summary on this case.")
    when = _day(latest.written_at)
    if timezone.localdate(latest.written_at) >= add_months(timezone.localdate(now), -3):
        return CheckResult(Answer.MET, f"Case summary written in the last three months ({when}).")
    return CheckResult(Answer.PARTLY_MET, f"A case summary exists but is older than three months ({when}).")


CHECKS: dict[str, Callable[..., CheckResult]] = {
    "statutory_visits": statutory_visits,
    "case_supervision": case_supervision,
    "recording_timely": recording_timely,
    "assessment_on_time": assessment_on_time,
    "assessment_approved": assessment_approved,
    "chronology_current": chronology_current,
    "case_summary_current": case_summary_current,
}

# Item code -> check. Each item says, in the reference's paraphrase, what the check measures.
ITEM_CHECKS: dict[str, str] = {
    # Visits at the authority's statutory frequency (the visit schedule's keys).
    "wilts-8.1": "statutory_visits", "leeds-2.1": "statutory_visits", "leeds-t2.5": "statutory_visits",
    "barnet-9.8.7": "statutory_visits", "barnet-9.14.10": "statutory_visits",
    "sthelens-cp-visits.1": "statutory_visits", "sthelens-cic-visits.1": "statutory_visits",
    "york-s1.e1": "statutory_visits", "york-s4.e19": "statutory_visits", "york-s4.e27": "statutory_visits",
    # Case supervision at the authority's frequency for the child's status.
    "wilts-7.1": "case_supervision", "york-s6.e3": "case_supervision", "barnet-9.8.22": "case_supervision",
    # Recording within the authority's timescale.
    "wilts-6.3": "recording_timely", "leeds-5.1": "recording_timely", "leeds-t6.1": "recording_timely",
    "york-s5.e2": "recording_timely",
    # The assessment: on time, and approved by a manager.
    "wilts-2.4": "assessment_on_time", "leeds-3.1": "assessment_on_time", "sthelens-assessment.1": "assessment_on_time",
    "york-s23.e21": "assessment_on_time",
    "wilts-2.15": "assessment_approved", "york-s23.e20": "assessment_approved",
    "sthelens-assessment.24": "assessment_approved",
    # The chronology is current (updated in the last month).
    "leeds-fa.2": "chronology_current", "sthelens-recording.10": "chronology_current",
    "wilts-6.2": "chronology_current",
    # A current case summary (quarterly).
    "leeds-fa.8": "case_summary_current", "york-s23.e7": "case_summary_current",
}  # fmt: skip


def check_for(code: str) -> Callable[..., CheckResult] | None:
    kind = ITEM_CHECKS.get(code)
    return CHECKS[kind] if kind else None
