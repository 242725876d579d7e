"""The DfE's yearly questions where the practitioner works: the social worker's health and
wellbeing record and the personal adviser's birthday contact (shown on Plans and meetings), and a
looked-after child's missing and away episodes (shown on Placements): recording one, the child's
return, and the return interview."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.models import LegalStatus
from cases.selectors.children import child_for, open_case_for
from cases.view_helpers import require, show_errors
from planning.forms import (
    CareLeaverContactForm,
    HealthOutcomeForm,
    MissingEpisodeForm,
    MissingReturnForm,
    ReturnInterviewForm,
)
from planning.models import CareCheck
from planning.selectors import care_leaver_contacts_of, health_outcomes_of, missing_episode_for, missing_episodes_of
from planning.services.looked_after import may_record_care_check
from planning.services.missing import (
    can_record_missing,
    missing_episode_end,
    missing_episode_record,
    missing_interview_record,
)
from planning.services.outcomes import care_leaver_contact_record, health_check_shown, health_outcome_record
from planning.services.plans import can_write_plan

# The service names the moment; the page asks its date and time.
MOMENT_FIELDS = {"started_at": "started_on", "ended_at": "ended_on"}


def _case_of(request, pk):
    child = child_for(request.user, pk)
    return child, open_case_for(child)


def can_record_contact(user, case) -> bool:
    """Whoever may record an adviser contact: care_check_record's own rule."""
    return case is not None and may_record_care_check(user, case, CareCheck.Kind.ADVISER_CONTACT)


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y, %H:%M}"


def yearly_outcomes(user, child, case, *, writes: bool, looked_after: bool) -> dict:
    """For the Plans and meetings tab: the health records and birthday contacts, and who may add them
    (the birthday contact is offered for a child in or leaving care)."""
    in_or_leaving_care = looked_after or (case is not None and case.statuses.filter(
        kind=LegalStatus.Kind.CARE_LEAVER, ended_on=None).exists())  # fmt: skip
    return {"health_outcomes": health_outcomes_of(child), "leaver_contacts": care_leaver_contacts_of(child),
            "can_record_health": writes and looked_after,
            "can_record_contact": in_or_leaving_care and can_record_contact(user, case)}


def missing_episodes(user, child, case) -> dict:
    """For the Placements tab: the child's missing and away episodes, and whether this user records them."""
    return {"missing_episodes": missing_episodes_of(child),
            "can_record_missing": case is not None and can_record_missing(user, case)
            and case.statuses.filter(kind="lac", ended_on=None).exists()}


def _page(request, *, form, title, child, template="planning/meeting_form.html", **extra):
    return render(request, template, {"form": form, "child": child, "title": title, **extra})


@require_http_methods(["GET", "POST"])
def health_outcome_new(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_write_plan(request.user, case))
    form = HealthOutcomeForm(request.POST or None, health_check=health_check_shown(case))
    if request.method == "POST" and form.is_valid():
        try:
            health_outcome_record(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Health and wellbeing recorded")
            return redirect("child-plans", pk=child.pk)
    intro = ("Once a year, for the DfE's return on looked-after children. A score recorded here with no SDQ "
             "recorded in the last year also records the SDQ.")  # fmt: skip
    return _page(request, form=form, title="Record the year's health and wellbeing", child=child, intro=intro)


@require_http_methods(["GET", "POST"])
def care_leaver_contact_new(request, pk):
    child, case = _case_of(request, pk)
    require(can_record_contact(request.user, case))
    form = CareLeaverContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            care_leaver_contact_record(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Personal adviser contact recorded")
            return redirect("child-plans", pk=child.pk)
    intro = ("For the contact around the young person's birthday: the DfE asks each year whether you are in "
             "touch, what they are doing and where they live.")  # fmt: skip
    return _page(request, form=form, title="Record a personal adviser contact around the birthday", child=child,
                 intro=intro)  # fmt: skip


@require_http_methods(["GET", "POST"])
def missing_episode_new(request, pk):
    child, case = _case_of(request, pk)
    require(case is not None and can_record_missing(request.user, case))
    form = MissingEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = missing_episode_record(case=case, recorded_by=request.user, **form.values())
        except ValidationError as error:
            show_errors(form, error, MOMENT_FIELDS)
        else:
            messages.success(request, f"{episode} recorded")
            return redirect("child-placements", pk=child.pk)
    return _page(request, form=form, title="Record the child missing or away", child=child,
                 template="planning/placement_form.html", case=case)  # fmt: skip


@require_http_methods(["GET", "POST"])
def missing_episode_end_page(request, pk):
    episode = missing_episode_for(request.user, pk)
    require(episode.is_open and can_record_missing(request.user, episode.case))
    form = MissingReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            missing_episode_end(episode=episode, recorded_by=request.user, **form.values())
        except ValidationError as error:
            show_errors(form, error, MOMENT_FIELDS)
        else:
            messages.success(request, "The child's return recorded")
            return redirect("child-placements", pk=episode.child_id)
    intro = f"{episode} since {_when(episode.started_at)}."
    return _page(request, form=form, title="Record the child's return", child=episode.child,
                 template="planning/placement_form.html", intro=intro)  # fmt: skip


@require_http_methods(["GET", "POST"])
def missing_interview_page(request, pk):
    episode = missing_episode_for(request.user, pk)
    waiting = not episode.is_open and not episode.interview_offered
    require(waiting and can_record_missing(request.user, episode.case))
    form = ReturnInterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            missing_interview_record(episode=episode, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Return interview recorded")
            return redirect("child-placements", pk=episode.child_id)
    intro = f"{episode} from {_when(episode.started_at)}; came back {_when(episode.ended_at)}."
    return _page(request, form=form, title="Record the return interview", child=episode.child,
                 template="planning/placement_form.html", intro=intro)  # fmt: skip
