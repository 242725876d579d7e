"""Demo visits: every child with a status has their visit schedule; Ruby Ahmed (child
protection) had a visit recorded, Tyler Evans (looked after) has his placement, and Ethan Doyle
(child in need) has a visit whose write-up is still a draft."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case

from .models import Visit
from .services import schedule_refresh, visit_record, visit_save, visit_start

RUBY_VISIT = {
    "place": "home", "announced": False, "present": "Ruby, her mother and her baby brother",
    "child_seen": True, "seen_alone": True, "bedroom_seen": True,
    "child_views": "Ruby showed me her drawings and said: 'Mummy is kind. My arm is better now.'",
    "observations": "Home warm and tidy; food in the cupboards. Ruby was relaxed with her mother.",
    "analysis": "No new concerns; the safety plan is being followed. Continue visits as planned.",
    "actions": [{"what": "Check Ruby's fracture clinic appointment was kept", "by_when": None}],
}  # fmt: skip


def _case(authority, first, last):
    return Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last,
                               closed_at=None).first()  # fmt: skip


def _at(day, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now() - timedelta(minutes=5))


@transaction.atomic
def seed_demo_visits(authority, staff) -> None:
    if Visit.objects.filter(authority=authority).exists():
        return
    worker = staff["social_worker"]
    for case in Case.objects.filter(authority=authority, closed_at=None, statuses__ended_on=None).distinct():
        schedule_refresh(case=case, reason="Demo schedule")
    ruby = _case(authority, "Ruby", "Ahmed")
    if ruby is not None:
        visited_at = _at(ruby.statuses.get(ended_on=None).started_on + timedelta(days=2), 15)
        visit = visit_start(case=ruby, recorded_by=worker, kind="cp", visited_at=visited_at)
        actions = [action | {"owner": worker, "by_when": visited_at.date() + timedelta(days=7)}
                   for action in RUBY_VISIT["actions"]]  # fmt: skip
        visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **(RUBY_VISIT | {"actions": actions}))
        visit_record(visit=visit, recorded_by=worker)
    ethan = _case(authority, "Ethan", "Doyle")
    if ethan is not None:
        visit = visit_start(case=ethan, recorded_by=worker, kind="cin",
                            visited_at=_at(timezone.localdate() - timedelta(days=1), 16))  # fmt: skip
        visit_save(visit=visit, saved_by=worker, version=visit.version, place="home",
                   child_views="Ethan said football practice is the best part of his week.")  # fmt: skip
