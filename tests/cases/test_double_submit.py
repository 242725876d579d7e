"""A create form submitted twice, one after the other or at the same moment (a double click, a retry
on a weak signal), makes one record, and the second submit answers with the first's page."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import CaseNote, Child, Referral, Submission
from cases.roles import Role
from planning.models import PlanAction
from planning.plans import plan_start
from visits.models import Visit

pytestmark = pytest.mark.django_db


def day_parts(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def forms(people, case):
    """(who, path, form, model counted) for every create form that makes a record people write."""
    today, child = timezone.localdate(), case.child
    plan = plan_start(case=case, kind="cin", started_on=today, written_by=people[Role.SOCIAL_WORKER],
                      outcomes="Zoë goes to school every day.", contingency="A strategy discussion.")  # fmt: skip
    received = timezone.localtime() - timedelta(hours=1)
    return {
        "child": (Role.BUSINESS_SUPPORT, "/children/new/", {
            "first_name": "Noor", "last_name": "Haddad", **day_parts("date_of_birth", today - timedelta(days=900)),
            "sex": "F", "ethnicity": "NOBT", "confirmed_new": "on"}, Child),  # fmt: skip
        "referral": (Role.BUSINESS_SUPPORT, f"/children/{child.pk}/referrals/new/", {
            "team": people["team"].pk, **day_parts("received_date", received),
            "received_time": received.strftime("%H:%M"), "referrer_name": "School", "source": "2A",
            "reasons": "Hungry at school", "category_of_need": "N1", "consent": "given", "consent_by": "Mother"},
            Referral),  # fmt: skip
        "case note": (Role.SOCIAL_WORKER, f"/children/{child.pk}/notes/new/", {
            "kind": "note", **day_parts("event_date", today), "event_time": "00:01", "title": "Call with school",
            "text": "Attendance is up."}, CaseNote),  # fmt: skip
        "visit": (Role.SOCIAL_WORKER, f"/children/{child.pk}/visits/new/", {
            "kind": "cin", **day_parts("visited_on", today), "visited_time": "00:01"}, Visit),  # fmt: skip
        "plan action": (Role.SOCIAL_WORKER, f"/plans/{plan.pk}/actions/", {
            "what": "Book the dentist", "owner": people[Role.SOCIAL_WORKER].pk,
            **day_parts("due_on", today + timedelta(days=7))}, PlanAction),  # fmt: skip
    }


@pytest.mark.parametrize("form_name", ["child", "referral", "case note", "visit", "plan action"])
def test_the_same_form_sent_twice_makes_one_record(client, people, case, form_name):
    role, path, data, model = forms(people, case)[form_name]
    client.force_login(people[role])
    if form_name != "plan action":  # the action form sits on the plan's page
        page = client.get(path).content.decode()
        assert re.search(r'name="submission" value="[0-9a-f-]{36}"', page)
    data = data | {"submission": str(uuid.uuid4())}
    before = model.objects.count()
    first = client.post(path, data)
    second = client.post(path, data)
    assert first.status_code == 302, re.findall(r"govuk-error-message[^>]*>(.*?)</p>", first.content.decode(), re.S)
    assert model.objects.count() == before + 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    # A new page (a new token) records again: only the same form sent twice is one record.
    assert client.post(path, data | {"submission": str(uuid.uuid4())}).status_code == 302
    assert model.objects.count() == before + 2


def test_a_refused_submit_leaves_the_token_for_the_corrected_form(client, people, case):
    role, path, data, model = forms(people, case)["case note"]
    client.force_login(people[role])
    token = str(uuid.uuid4())
    refused = client.post(path, data | {"title": "", "submission": token})
    assert refused.status_code == 200 and not Submission.objects.exists()
    assert client.post(path, data | {"submission": token}).status_code == 302
    assert model.objects.filter(title="Call with school").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_make_one_visit(people, case):
    """Two requests in parallel on PostgreSQL: the second waits on the token the first holds."""
    _, path, data, _ = forms(people, case)["visit"]
    data = data | {"submission": str(uuid.uuid4())}
    barrier, answers = threading.Barrier(2), []

    def submit():
        try:
            browser = Client()
            browser.force_login(people[Role.SOCIAL_WORKER])
            barrier.wait()
            answers.append(browser.post(path, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Visit.objects.filter(case=case).count() == 1
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
