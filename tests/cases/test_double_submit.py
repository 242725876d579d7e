"""A create form submitted twice, one after the other or at the same moment (a double click, a retry
on a weak signal), makes one record, and the second submit answers with the first's page."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponseServerError
from django.test import Client
from django.utils import timezone

from cases.models import Address, CaseNote, Child, ChronologyEntry, Professional, Referral, Submission
from cases.roles import Role
from cases.submissions import submit_once
from planning.models import PlanAction
from planning.services import plan_start
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
            "version": 0, "kind": "cin", **day_parts("visited_on", today), "visited_time": "00:01"},
            Visit),  # fmt: skip
        "plan action": (Role.SOCIAL_WORKER, f"/plans/{plan.pk}/actions/", {
            "what": "Book the dentist", "owner": people[Role.SOCIAL_WORKER].pk,
            **day_parts("due_on", today + timedelta(days=7))}, PlanAction),  # fmt: skip
        "chronology entry": (Role.SOCIAL_WORKER, f"/children/{child.pk}/chronology/new/", {
            "kind": "other", **day_parts("occurred_date", today - timedelta(days=30)), "occurred_time": "",
            "title": "Moved school", "detail": ""}, ChronologyEntry),  # fmt: skip
        "address": (Role.SOCIAL_WORKER, f"/children/{child.pk}/addresses/new/", {
            "address": "4 Mill Lane, York", "postcode": "YO1 7HH",
            **day_parts("lived_from", today - timedelta(days=3))}, Address),  # fmt: skip
        "professional": (Role.SOCIAL_WORKER, f"/children/{child.pk}/professionals/new/", {
            "role": "gp", "name": "Dr Amara Okafor", "organisation": "", "phone": "", "email": ""}, Professional),
    }


FORMS = ["child", "referral", "case note", "visit", "plan action", "chronology entry", "address", "professional"]


@pytest.mark.parametrize("form_name", FORMS)
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
    # A new page (a new token) records again: only the same form sent twice is one record. (A second
    # address must start later than the first.)
    again = day_parts("lived_from", timezone.localdate()) if form_name == "address" else {}
    assert client.post(path, data | again | {"submission": str(uuid.uuid4())}).status_code == 302
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


def test_a_change_form_sent_twice_saves_once_and_is_not_called_a_conflict(client, people, case):
    """A double click on a change form's button: the second submit follows the first, rather than
    reporting the first as somebody else's change."""
    professional = Professional.objects.create(child=case.child, role="gp", name="Dr Amara Okafor")
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/professionals/{professional.pk}/change/"
    page = client.get(path).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)
    data = {"role": "gp", "name": "Dr Amara Okafor", "organisation": "Clifton Surgery", "phone": "", "email": "",
            "version": professional.version, "submission": token}  # fmt: skip
    first, second = client.post(path, data), client.post(path, data)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    professional.refresh_from_db()
    assert professional.organisation == "Clifton Surgery" and professional.version == 2


def test_a_submit_that_fails_on_the_server_keeps_nothing_it_wrote(rf, people):
    """A server error half-way through a create rolls back what the view wrote, and frees the token
    so the person can send the form again."""
    token = uuid.uuid4()
    request = rf.post("/children/new/", {"submission": str(token)})
    request.user = people[Role.SOCIAL_WORKER]

    def fails_half_way():
        Submission.objects.create(user=request.user, token=uuid.uuid4())  # stands for the record written
        return HttpResponseServerError()

    assert submit_once(request, token, fails_half_way).status_code == 500
    assert not Submission.objects.exists()
