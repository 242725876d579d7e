"""The page benchmark's generator (scripts/scale_data.py) at a tiny size: everything in proportion
to the children, and records the pages open as the people who use them."""

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F

from cases.models import Case, Child, Deadline, RoleAssignment
from cases.roles import Role
from tests.clock import DEFAULT

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("scale_data", ROOT / "scripts" / "scale_data.py")
scale_data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scale_data)

CHILDREN = 400


@pytest.fixture
def generated(leeds):
    call_command("load_audit_templates", "leeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    scale_data.build(CHILDREN, vacuum=False)
    return leeds


def test_every_table_in_proportion_to_the_children(generated):
    counts = scale_data.counts(generated)

    assert counts["children"] == CHILDREN
    # Beside the returns benchmark's few (its section 47 enquiries' conference deadlines).
    made = Deadline.objects.filter(authority=generated, rule="20 working_days")
    assert made.count() == 1_000_000 * CHILDREN // 50_000
    assert counts["chronology entries"] == 500_000 * CHILDREN // 50_000
    assert counts["visits"] == round(86_000 * CHILDREN / 50_000)
    assert counts["case notes"] == 250_000 * CHILDREN // 50_000
    # Two teams of a manager and ten workers (the least), and one of each other role.
    assert counts["staff"] == 2 * 11 + len(scale_data.OTHER_STAFF)
    assert counts["audit programmes"] == scale_data.AUDIT_MONTHS
    assert counts["audits"] == scale_data.AUDIT_MONTHS * 2
    assert counts["restricted children"] in range(CHILDREN // 100 - 1, CHILDREN // 100 + 2)
    assert 0 < counts["plans"] <= counts["open cases"]


def test_open_deadlines_are_on_open_cases_some_overdue_some_not(generated):
    open_ones = Deadline.objects.filter(authority=generated, status="open")

    assert not open_ones.exclude(case__closed_at=None).exists()
    assert open_ones.filter(due_at__lt=DEFAULT).exists()
    assert open_ones.filter(due_at__gt=DEFAULT).exists()
    assert not Deadline.objects.filter(authority=generated).exclude(assignee=F("case__worker")).exists()


def test_every_case_is_held_by_a_worker_of_its_team(generated):
    workers = RoleAssignment.objects.filter(role=Role.SOCIAL_WORKER)

    for case in Case.objects.filter(authority=generated):
        assert workers.filter(user=case.worker_id, team=case.team_id).exists(), case
    for child in Child.objects.filter(authority=generated, restricted=True, cases__isnull=False).distinct():
        assert child.restricted_to.filter(cases__child=child).exists(), child


def test_the_pages_open_on_the_generated_records(generated, client):
    worker = RoleAssignment.objects.filter(role=Role.SOCIAL_WORKER, user__email__endswith="@scale.test").first().user
    manager = RoleAssignment.objects.get(role=Role.TEAM_MANAGER, team__role_assignments__user=worker).user
    child = Case.objects.filter(worker=worker, closed_at=None, child__restricted=False).first().child

    client.force_login(worker)
    for path in ("/", f"/children/{child.pk}/", f"/children/{child.pk}/visits/", f"/children/{child.pk}/chronology/",
                 f"/children/{child.pk}/plans/", "/visits/due/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    client.force_login(manager)
    assert client.get("/team/").status_code == 200
