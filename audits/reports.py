"""Audit results: per team and grade, per item (which standards are most often not met), the
trend by month, and a CSV, over the graded audits of a period that the reader may see. Each
figure is one aggregate query whatever the number of audits."""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.http import HttpResponse
from django.utils import timezone

from cases.models import Team
from cases.roles import Role
from cases.rules.timescales import add_months
from cases.selectors.people import has_role, teams_managed_by

from .models import Answer, Audit, AuditResponse, TemplateItem
from .selectors import GRADED, audits_visible_to

FINAL_GRADE = Coalesce(NullIf(F("moderated_grade"), Value("")), F("grade"))
ANSWERS = [Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET, Answer.NOT_APPLICABLE]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def from_dates(cls, start: date | None, end: date | None) -> "Period":
        """Twelve months to today unless chosen."""
        end = end or timezone.localdate()
        return cls(start or add_months(end, -12) + timedelta(days=1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        return (timezone.make_aware(datetime.combine(self.start, time.min)),
                timezone.make_aware(datetime.combine(self.end, time.max)))  # fmt: skip


def report_teams(user):
    if has_role(user, Role.QA_AUDITOR, Role.SERVICE_MANAGER):
        return Team.objects.filter(authority_id=user.authority_id)
    return Team.objects.filter(pk__in=[team.pk for team in teams_managed_by(user)])


def graded_audits(user, *, period: Period, team: Team | None = None):
    audits = audits_visible_to(user).filter(status__in=GRADED, submitted_at__range=period.bounds())
    return audits.filter(team=team) if team is not None else audits


def _grade_labels(audits) -> dict[str, str]:
    """Grade labels from the versions used (a custom scale keeps its own words)."""
    labels = {}
    for scale in audits.values_list("version__grade_scale", flat=True).distinct():
        labels.update({g["value"]: g["label"] for g in (scale or {}).get("grades", [])})
    return labels


def results(user, *, period: Period, team: Team | None = None) -> dict:
    audits = graded_audits(user, period=period, team=team)
    labels = _grade_labels(audits)
    by_team: dict[str, dict[str, int]] = {}
    for name, grade, n in audits.annotate(final=FINAL_GRADE).values_list("team__name", "final").annotate(n=Count("pk")):
        by_team.setdefault(name, {})[grade] = n
    grades = list(labels)
    by_grade = {grade: sum(row.get(grade, 0) for row in by_team.values()) for grade in grades}
    months: dict[date, dict[str, int]] = {}
    trend = audits.annotate(month=TruncMonth("submitted_at"), final=FINAL_GRADE).values_list("month", "final")
    for month, grade, n in trend.annotate(n=Count("pk")).order_by("month"):
        months.setdefault(timezone.localdate(month) if isinstance(month, datetime) else month, {})[grade] = n
    items = list(AuditResponse.objects.filter(audit__in=audits, included=True)
                 .values("item__code").annotate(
                     not_met=Count("pk", filter=Q(answer=Answer.NOT_MET)),
                     partly=Count("pk", filter=Q(answer=Answer.PARTLY_MET)),
                     met=Count("pk", filter=Q(answer=Answer.MET)))
                 .filter(Q(not_met__gt=0) | Q(partly__gt=0))
                 .order_by("-not_met", "-partly", "item__code")[:20])  # fmt: skip
    # An item keeps its code across versions; show the wording of the latest version it appears in.
    texts = dict(TemplateItem.objects.filter(code__in=[row["item__code"] for row in items],
                                             version__template__authority_id=user.authority_id)
                 .order_by("code", "version__number").values_list("code", "text"))  # fmt: skip
    for row in items:
        row["text"] = texts.get(row["item__code"], "")
    return {
        "total": sum(by_grade.values()),
        "grades": [(grade, labels[grade]) for grade in grades],
        "by_team": [(name, [row.get(grade, 0) for grade in grades], sum(row.values()))
                    for name, row in sorted(by_team.items())],
        "by_grade": [(labels[grade], n) for grade, n in by_grade.items()],
        "by_month": [(month, [row.get(grade, 0) for grade in grades], sum(row.values()))
                     for month, row in sorted(months.items())],
        "items": items,
    }  # fmt: skip


def audit_findings(audit: Audit) -> dict:
    """How the audit's items were answered, counted (one query)."""
    counts = dict(audit.responses.filter(included=True).values_list("answer").annotate(n=Count("pk")))
    return {"counts": [(label, counts.get(value, 0)) for value, label in Answer.choices],
            "overrides": audit.responses.filter(included=True).exclude(system_answer="")
                         .exclude(answer=F("system_answer")).exclude(answer="").count()}  # fmt: skip


def responses_by_section(audit: Audit) -> list[dict]:
    """Each audited section's answered items, in template order, with its items answered not
    applicable only counted (one line in the report instead of a row each)."""
    rows = audit.responses.filter(included=True).select_related("item__section").order_by("item__section__order",
                                                                                         "item__order")  # fmt: skip
    grouped: list[dict] = []
    for response in rows:
        if not grouped or grouped[-1]["section"] != response.item.section:
            grouped.append({"section": response.item.section, "rows": [], "not_applicable": 0})
        if response.answer == Answer.NOT_APPLICABLE:
            grouped[-1]["not_applicable"] += 1
        else:
            grouped[-1]["rows"].append(response)
    return grouped


def csv_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def csv_response(user, *, period: Period, team: Team | None = None) -> HttpResponse:
    audits = (graded_audits(user, period=period, team=team).select_related("team", "child", "auditor", "moderator")
              .annotate(final=FINAL_GRADE, **{f"n_{a}": Count("responses", filter=Q(responses__answer=a,
                                                                                  responses__included=True))
                                             for a in ANSWERS})
              .order_by("submitted_at", "pk"))  # fmt: skip
    labels = _grade_labels(audits)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"audits-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["Graded on", "Team", "Child ID", "Auditor", "Auditor's grade", "Moderator", "Moderated grade",
                     "Final grade", "Status", "Met", "Partly met", "Not met", "Not applicable"])  # fmt: skip
    for audit in audits:
        writer.writerow([f"{timezone.localdate(audit.submitted_at):%Y-%m-%d}", csv_safe(audit.team.name),
                         audit.child.reference, csv_safe(audit.auditor.full_name), labels.get(audit.grade, ""),
                         csv_safe(audit.moderator.full_name) if audit.moderator else "",
                         labels.get(audit.moderated_grade, ""), labels.get(audit.final, ""),
                         audit.get_status_display(), *(getattr(audit, f"n_{a}") for a in ANSWERS)])  # fmt: skip
    return response
