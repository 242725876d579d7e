"""A worker's own supervision cadence follows their record in the admin (Leeds: monthly, or
fortnightly in a newly qualified worker's first year): marking or unmarking the newly qualified
year recalculates the open deadline from the same start, and a new social worker's first
supervision falls due a cadence after they join."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import Deadline, User
from cases.roles import Role
from cases.rules.timescales import LONDON
from supervision.services import worker_cadence_open
from tests.factories import staff

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, tzinfo=LONDON)
LAST_SESSION = datetime(2026, 11, 20, 9, tzinfo=LONDON)  # a Friday


def day(deadline) -> str:
    return timezone.localtime(deadline.due_at).date().isoformat()


def change_form_data(response) -> dict:
    """What the admin's change page would post back unchanged: the user's fields and the roles."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {name: value for name, value in data.items() if name not in {"password", "last_login", "date_joined"}}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for each in formset.initial_forms:
            data.update({each.add_prefix(name): each[name].value() for name in each.fields
                         if each[name].value() is not None})  # fmt: skip
    return {name: value for name, value in data.items() if value is not False}


@pytest.fixture(autouse=True)
def now():
    # Before the sign-in, so the session is not timed out by the travel.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin_client(now, client, people, leeds):
    client.force_login(staff(Role.AUTHORITY_ADMIN, authority=leeds, is_staff=True))
    return client


def open_supervision(worker) -> Deadline:
    return Deadline.objects.get(key__startswith="supervision_interval", status="open", assignee=worker)


def test_marking_a_worker_newly_qualified_in_the_admin_moves_their_next_supervision(admin_client, people):
    worker = people[Role.SOCIAL_WORKER]
    monthly = worker_cadence_open(worker=worker, since=LAST_SESSION)
    assert day(monthly) == "2026-12-20"
    url = f"/admin/cases/user/{worker.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data |= {"newly_qualified": "on", "newly_qualified_from": "01/09/2026"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    monthly.refresh_from_db()
    assert monthly.status == "cancelled" and "newly qualified" in monthly.cancelled_reason
    fortnightly = open_supervision(worker)
    assert fortnightly.key == "supervision_interval_nqsw" and day(fortnightly) == "2026-12-04"  # 2 weeks on
    assert fortnightly.anchor_at == LAST_SESSION

    data = change_form_data(admin_client.get(url))
    data.pop("newly_qualified")
    data["newly_qualified_from"] = ""
    assert admin_client.post(url, data).status_code == 302
    back_to_monthly = open_supervision(worker)
    assert back_to_monthly.key == "supervision_interval" and day(back_to_monthly) == "2026-12-20"


def test_an_unrelated_change_in_the_admin_leaves_the_deadline_alone(admin_client, people):
    worker = people[Role.SOCIAL_WORKER]
    monthly = worker_cadence_open(worker=worker, since=LAST_SESSION)
    url = f"/admin/cases/user/{worker.pk}/change/"
    data = change_form_data(admin_client.get(url)) | {"full_name": "Sam Renamed"}
    assert admin_client.post(url, data).status_code == 302
    assert open_supervision(worker).pk == monthly.pk


def test_a_new_social_worker_is_due_supervision_a_month_after_joining(admin_client, people, leeds):
    team = people["team"]
    response = admin_client.post("/admin/cases/user/add/", {
        "email": "new.worker@leeds.test", "full_name": "New Worker", "authority": leeds.pk,
        "password1": "a-long-enough-passphrase-2026", "password2": "a-long-enough-passphrase-2026",
        "usable_password": "true", "role_assignments-TOTAL_FORMS": "1", "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-0-role": Role.SOCIAL_WORKER, "role_assignments-0-team": team.pk,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    joined = User.objects.get(email="new.worker@leeds.test")
    assert day(open_supervision(joined)) == "2026-12-25"  # a month after joining, on a bank holiday


def test_an_administrator_or_manager_without_casework_gets_no_cadence_of_their_own(admin_client, leeds):
    response = admin_client.post("/admin/cases/user/add/", {
        "email": "clerk@leeds.test", "full_name": "Office Clerk", "authority": leeds.pk,
        "password1": "a-long-enough-passphrase-2026", "password2": "a-long-enough-passphrase-2026",
        "usable_password": "true", "role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 302
    assert not Deadline.objects.filter(assignee__email="clerk@leeds.test").exists()
