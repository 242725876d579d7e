"""Children whose CIN episodes cover the cases the census distinguishes, recorded through the
services at the dates they happened (time travel), in one authority (York)."""

from dataclasses import dataclass
from datetime import date, datetime

import time_machine

from assessments.models.assessments import Assessment
from assessments.services.assessments import assessment_approve, assessment_save, assessment_start, assessment_submit
from assessments.services.enquiries import s47_child_seen_record, s47_outcome_record, strategy_discussion_record
from cases.models import Authority, Case, Referral
from cases.roles import Role
from cases.services.children import case_allocate, referral_decide, referral_record
from cases.services.closure import closure_decide, closure_request
from cases.services.family import legal_status_end, legal_status_start
from planning.services.conferences import icpc_record, rcpc_record
from tests.factories import ChildFactory, TeamFactory, referral_fields, staff
from tests.support import LONDON

ASSESSMENT_TEXT = dict.fromkeys(("developmental_needs", "parenting_capacity", "family_environment", "child_views",
                                 "parent_views", "diversity", "risks", "protective_factors", "analysis"),
                                "Written.")  # fmt: skip


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@dataclass
class World:
    authority: Authority
    people: dict

    def child(self, **fields):
        defaults = {"date_of_birth": date(2015, 5, 4), "sex": "F", "ethnicity": "WBRI", "disabilities": ["NONE"],
                    "upn": "", "upn_unknown": "UN2"}  # fmt: skip
        return ChildFactory(authority=self.authority, **(defaults | fields))

    def referral(self, child, on: date, decision: str | None = "assessment", **fields) -> Referral:
        with time_machine.travel(moment(on), tick=False):
            referral = referral_record(recorded_by=self.people[Role.BUSINESS_SUPPORT], child=child,
                                       team=self.people["team"],
                                       **referral_fields(received_at=moment(on, 9), **fields))  # fmt: skip
            if decision:
                referral_decide(referral=referral, decided_by=self.people[Role.TEAM_MANAGER], decision=decision,
                                rationale="Decided.")  # fmt: skip
        if decision == "assessment":
            with time_machine.travel(moment(on, 11), tick=False):
                case_allocate(case=Case.objects.get(referral=referral), worker=self.people[Role.SOCIAL_WORKER],
                              team=self.people["team"], allocated_by=self.people[Role.TEAM_MANAGER])  # fmt: skip
        return referral

    def assessment(self, case, started: date, approved: date | None, factors=("2B",)) -> Assessment:
        with time_machine.travel(moment(started), tick=False):
            assessment = assessment_start(case=case, started_by=self.people[Role.SOCIAL_WORKER],
                                          clock_started_at=moment(started))  # fmt: skip
            assessment = assessment_save(assessment=assessment, saved_by=self.people[Role.SOCIAL_WORKER],
                                         version=assessment.version, factors=list(factors), outcome="cin",
                                         child_seen_on=started, child_seen_alone_on=started,
                                         **ASSESSMENT_TEXT)  # fmt: skip
        if approved:
            with time_machine.travel(moment(approved), tick=False):
                assessment = assessment_submit(assessment=assessment, submitted_by=self.people[Role.SOCIAL_WORKER])
                assessment = assessment_approve(assessment=assessment, manager=self.people[Role.TEAM_MANAGER],
                                                view="Agreed.", lateness_reason="Late: the family moved.")  # fmt: skip
        return assessment

    def status(self, case, kind: str, started: date, ended: date | None = None, **extra):
        with time_machine.travel(moment(started, 12), tick=False):
            status = legal_status_start(case=case, kind=kind, started_on=started,
                                        recorded_by=self.people[Role.TEAM_MANAGER], **extra)  # fmt: skip
        if ended:
            with time_machine.travel(moment(ended, 12), tick=False):
                legal_status_end(status=status, ended_on=ended, ended_by=self.people[Role.TEAM_MANAGER])
        return status

    def enquiry(self, case, on: date, outcome: str | None = "icpc", concluded: date | None = None):
        """A strategy discussion deciding on a section 47 enquiry, the child seen that day, and its outcome."""
        with time_machine.travel(moment(on, 14), tick=False):
            discussion = strategy_discussion_record(
                case=case, recorded_by=self.people[Role.TEAM_MANAGER], held_at=moment(on, 11),
                chair=self.people[Role.TEAM_MANAGER], decision="s47", rationale="Risk of significant harm.",
                participants=[{"name": "DC Shah", "agency": "police", "role": "Investigating officer"}],
                information_shared="Bruising seen at school.")  # fmt: skip
            enquiry = discussion.enquiries.get()
            s47_child_seen_record(enquiry=enquiry, recorded_by=self.people[Role.SOCIAL_WORKER],
                                  seen_at=moment(on, 13))  # fmt: skip
        if outcome:
            with time_machine.travel(moment(concluded or on, 16), tick=False):
                s47_outcome_record(enquiry=enquiry, recorded_by=self.people[Role.SOCIAL_WORKER], outcome=outcome,
                                   findings="Concerns substantiated.")  # fmt: skip
        return enquiry

    def conference(self, case, on: date, categories=("PHY",)):
        with time_machine.travel(moment(on, 15), tick=False):
            return icpc_record(case=case, chair=self.people[Role.CONFERENCE_CHAIR], held_at=moment(on, 10),
                               attendees="Family and agencies", decision="cp_plan", categories=list(categories),
                               summary="A plan to keep the child safe.")  # fmt: skip

    def review(self, case, on: date, decision: str = "continue"):
        with time_machine.travel(moment(on, 15), tick=False):
            return rcpc_record(case=case, chair=self.people[Role.CONFERENCE_CHAIR], held_at=moment(on, 10),
                               attendees="Family and agencies", decision=decision, summary="Reviewed.")  # fmt: skip

    def end_status(self, case, kind: str, on: date) -> None:
        with time_machine.travel(moment(on, 12), tick=False):
            legal_status_end(status=case.statuses.get(kind=kind, ended_on=None), ended_on=on,
                             ended_by=self.people[Role.TEAM_MANAGER])  # fmt: skip

    def close(self, case, on: date, reason: str = "RC7") -> None:
        with time_machine.travel(moment(on, 15), tick=False):
            request = closure_request(case=case, requested_by=self.people[Role.SOCIAL_WORKER], reason=reason,
                                      summary="Needs met.", gate_override="The test's case has no visits.")  # fmt: skip
            closure_decide(request=request, decided_by=self.people[Role.SERVICE_MANAGER], approve=True)


def world(slug: str = "york") -> World:
    authority = Authority.objects.get(slug=slug)
    team = TeamFactory(authority=authority, name="Children in need")
    people = {role: staff(role, authority=authority, team=team) for role in Role} | {"team": team}
    return World(authority=authority, people=people)
