"""Reading placements, always through the children the user may see."""

from django.shortcuts import get_object_or_404

from cases.models import Deadline
from cases.rules.citations import plain_note
from cases.selectors.children import children_visible_to
from cases.selectors.timescales import policy_for

from .models import (
    CareCheck,
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcome,
    Meeting,
    MissingEpisode,
    Placement,
    Plan,
    PlanAction,
    PreProceedings,
    PrivateFosteringAbsence,
    PrivateFosteringNotification,
)


def placements_of(child) -> list[Placement]:
    return list(Placement.objects.filter(child=child).select_related("recorded_by"))


def has_current_placement(case) -> bool:
    return Placement.objects.filter(case=case, ended_on=None).exists()


def placement_for(user, pk: int) -> Placement:
    """The placement, if the user may see its child; otherwise the same 404 as for the child."""
    visible = Placement.objects.filter(child__in=children_visible_to(user)).select_related("case", "child")
    return get_object_or_404(visible, pk=pk)


# --- Plans, meetings and their clocks --------------------------------------------------------

# The clocks the "Plans and meetings" tab shows, in the order a reader meets them.
PLANNING_KEYS = (
    "icpc", "icpc_report_to_family", "icpc_report_to_chair", "first_core_group", "core_group_interval", "first_rcpc",
    "rcpc_interval", "rcpc_report_to_family", "rcpc_report_to_chair", "cp_plan_completion", "cp_plan_circulation",
    "icpc_outcome_circulation", "conference_minutes", "core_group_record_circulation",
    "cp_plan_update_after_core_group", "cin_plan_after_cp_end", "cin_first_meeting", "cin_review_interval_initial",
    "cin_review_interval", "cin_meeting_record", "cin_plan_circulation", "cin_plan_update", "care_plan",
    "placement_planning_meeting", "lac_first_review", "lac_second_review", "lac_review_interval",
    "lac_review_report_to_iro", "lac_review_report_to_family", "lac_review_decisions", "lac_review_full_record",
    "initial_health_assessment_request", "initial_health_assessment", "health_review_under_5", "health_review_5_plus",
    "pep_initial", "placement_plan", "iro_allocation", "permanence_plan", "personal_adviser_allocation",
    "pathway_needs_assessment", "pathway_plan", "pathway_plan_review_interval",
    "pathway_plan_review_after_move", "care_leaver_contact_interval", "pf_first_visit", "pf_visit_interval_first_year",
    "pf_visit_interval_after_first_year", "pf_absence_reset", "plan_action",
    # before a booked meeting, and the looked-after and child-in-need clocks issue 9 added last
    "icpc_agency_notice", "conference_exclusion_request", "lac_review_child_preparation",
    "lac_review_consultation_forms", "lac_review_sw_iro_discussion", "cin_review_invitations", "first_review_booking",
    "lac_legal_status_notice", "lac_review_manager_response", "lac_review_adjourned_completion", "sdq_initial",
    "sdq_interval", "leaving_care_planning_start", "cin_plan_completion", "cin_plan_drift_check",
    "placement_order_first_review", "placement_order_review_interval", "placement_order_not_placed_check",
    "adoptive_placement_first_review", "adoptive_placement_second_review", "adoptive_placement_review_interval",
    "adoption_application_prompt", "adoption_best_interest_decision", "adoption_match", "adoption_move_in",
    "later_life_letter",
)  # fmt: skip


def plans_of(child) -> list[Plan]:
    return list(Plan.objects.filter(child=child).select_related("written_by", "approved_by"))


def meetings_of(child) -> list[Meeting]:
    return list(Meeting.objects.filter(child=child).select_related("chair", "plan"))


def pf_notifications_of(child) -> list[PrivateFosteringNotification]:
    return list(PrivateFosteringNotification.objects.filter(child=child).select_related("recorded_by"))


def pf_absences_of(child) -> list[PrivateFosteringAbsence]:
    return list(child.pf_absences.all())


def pep_review_expected(authority):
    """The authority's expectation for PEP reviews where it sets a count (Barnet: once a school
    term). No term calendar is configured, so it is shown beside the reviews, not run as a clock."""
    timescale = policy_for(authority).timescale("pep_review_interval")
    if not timescale.count:
        return None
    number, _, unit = timescale.count.partition(" per ")
    times = "once" if number == "1" else f"{number} times"
    return {"phrase": f"{times} each {unit.replace('_', ' ')}", "note": plain_note(timescale.note),
            "source": timescale.citation}


def care_checks_of(child) -> list[CareCheck]:
    return list(CareCheck.objects.filter(child=child).select_related("recorded_by"))


def health_outcomes_of(child) -> list[HealthOutcome]:
    return list(HealthOutcome.objects.filter(child=child).select_related("recorded_by"))


def care_leaver_contacts_of(child) -> list[CareLeaverContact]:
    return list(CareLeaverContact.objects.filter(child=child).select_related("contact", "recorded_by")
                .order_by("-contact__done_on", "-pk"))  # fmt: skip


def missing_episodes_of(child) -> list[MissingEpisode]:
    return list(MissingEpisode.objects.filter(child=child).select_related("recorded_by"))


def missing_episode_for(user, pk: int) -> MissingEpisode:
    """The episode, if the user may see its child; otherwise the same 404 as for the child."""
    visible = MissingEpisode.objects.filter(child__in=children_visible_to(user))
    return get_object_or_404(visible.select_related("case__team", "case__worker", "child"), pk=pk)


def planning_deadlines_of(child) -> list[Deadline]:
    """The child's open planning clocks, soonest first, each with what it is for."""
    deadlines = list(Deadline.objects.filter(child=child, status=Deadline.Status.OPEN, key__in=PLANNING_KEYS)
                     .select_related("assignee", "child").order_by("due_at"))  # fmt: skip
    return described(deadlines, child.authority) if deadlines else deadlines


def described(deadlines: list[Deadline], authority) -> list[Deadline]:
    """Each deadline with `what` it is for, in the catalogue's words."""
    policy = policy_for(authority)
    for deadline in deadlines:
        is_action = deadline.key == "plan_action"
        deadline.what = "An action on the plan" if is_action else policy.timescale(deadline.key).what
    return deadlines


def conflicts_for(authority, keys=PLANNING_KEYS) -> list[tuple[str, object]]:
    """Where the authority's own document gives two readings of a planning timescale: (what, conflict)."""
    policy = policy_for(authority)
    found = []
    for key in keys:
        if key == "plan_action":
            continue
        timescale = policy.timescale(key)
        if timescale.conflict is not None and not timescale.inherited:
            found.append((timescale, timescale.conflict))
    return found


def plan_for(user, pk: int) -> Plan:
    visible = Plan.objects.filter(child__in=children_visible_to(user)).select_related(
        "case__team", "case__worker", "child", "authority", "written_by", "approved_by")
    return get_object_or_404(visible, pk=pk)


def meeting_for(user, pk: int) -> Meeting:
    visible = Meeting.objects.filter(child__in=children_visible_to(user)).select_related(
        "case__team", "case__worker", "child", "authority", "chair", "plan")
    return get_object_or_404(visible, pk=pk)


def action_for(user, pk: int) -> PlanAction:
    visible = PlanAction.objects.filter(plan__child__in=children_visible_to(user))
    visible = visible.select_related("plan__case", "plan__child", "plan__authority")
    return get_object_or_404(visible, pk=pk)


def versions_of(plan: Plan) -> list:
    """One row per version of the plan (the latest history row of each), newest first."""
    seen, rows = set(), []
    for row in plan.history.select_related("history_user").order_by("-history_date"):
        if row.version not in seen:
            seen.add(row.version)
            rows.append(row)
    return rows


# --- Deprivation of liberty orders and pre-proceedings ---------------------------------------


def liberty_orders_of(child) -> list[DeprivationOfLiberty]:
    return list(DeprivationOfLiberty.objects.filter(child=child))


def liberty_order_for(user, pk: int) -> DeprivationOfLiberty:
    """The order, if the user may see its child; otherwise the same 404 as for the child."""
    visible = DeprivationOfLiberty.objects.filter(child__in=children_visible_to(user)).select_related("case", "child")
    return get_object_or_404(visible, pk=pk)


def pre_proceedings_of(child) -> list[PreProceedings]:
    return list(PreProceedings.objects.filter(child=child))


def pre_proceedings_for(user, pk: int) -> PreProceedings:
    """The record, if the user may see its child; otherwise the same 404 as for the child."""
    visible = PreProceedings.objects.filter(child__in=children_visible_to(user)).select_related("case", "child")
    return get_object_or_404(visible, pk=pk)
