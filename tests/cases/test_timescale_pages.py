"""The Timescales page, the Deadline calculator and changing a timescale: every role, every bad input."""

import re
from datetime import date

import pytest

from cases.models import Deadline, TimescaleVersion
from cases.roles import Role
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_open
from tests.factories import AuthorityFactory, TeamFactory, staff
from tests.plain_english import machine_text_in

pytestmark = pytest.mark.django_db

LEEDS_AND_THE_REST = ["barnet", "england", "leeds", "st-helens", "wiltshire", "york"]


@pytest.fixture
def leeds_staff(leeds):
    team = TeamFactory(authority=leeds)
    return {role: staff(role, authority=leeds, team=team) for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_authoritys_timescales_by_stage_in_plain_words(client, leeds_staff, role):
    client.force_login(leeds_staff[role])
    body = client.get("/timescales/").content.decode()
    row = body[body.index('id="cp_visit_interval"'):body.index("</tr>", body.index('id="cp_visit_interval"'))]
    assert "Child protection visit" in row and "How often a child on a child protection plan is visited." in row
    assert "Every 15 working days" in row  # Leeds CP visits
    # The citation and the key behind "How this is set"; the line numbers nowhere.
    assert "Practice Standards Manual, Section 2, visit frequency (CP plans)" in row and "L994" not in body
    assert machine_text_in(body, LEEDS_AND_THE_REST, policy_for("leeds").all_keys()) == []
    assert ('href="/timescales/cp_visit_interval/change/"' in body) == (role == Role.AUTHORITY_ADMIN)


def test_the_stages_come_in_the_order_a_case_moves_through_them(client, leeds_staff):
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    body = client.get("/timescales/").content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-m[^"]*" id="([a-z_]+)">', body)
    assert headings == ["front_door", "assessment", "child_protection", "child_in_need", "looked_after",
                        "care_leavers", "supervision", "other"]  # fmt: skip
    in_stage = body[body.index('id="child_protection"'):body.index('id="child_in_need"')]
    assert 'id="icpc"' in in_stage and 'id="cp_visit_interval"' in in_stage and 'id="lac_first_review"' not in in_stage
    # The duties Leeds sets no timescale for are one line under their stage, names and descriptions inside.
    assert "more with no timescale set" in in_stage


@pytest.mark.parametrize("role", list(Role))
def test_a_search_finds_timescales_by_the_words_of_their_name_or_description(client, leeds_staff, role):
    client.force_login(leeds_staff[role])
    body = client.get("/timescales/", {"q": "Core GROUP"}).content.decode()
    assert 'value="Core GROUP"' in body and "match ‘Core GROUP’" in body
    assert 'id="first_core_group"' in body and 'id="core_group_interval"' in body
    assert 'id="cp_visit_interval"' not in body and 'id="looked_after"' not in body  # nor an empty stage
    both = client.get("/timescales/", {"q": "visit baby"}).content.decode()  # every word must be there
    assert "Child protection visit to a baby" in both and 'id="cin_visit_interval"' not in both


def test_a_search_that_matches_nothing_says_so(client, leeds_staff):
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    body = client.get("/timescales/", {"q": "zebra crossing"}).content.decode()
    assert "No timescales match ‘zebra crossing’" in body and "Show every timescale" in body
    assert "govuk-table" not in body


def test_a_timescale_this_authority_sets_no_value_for_is_named_but_not_given_one(client, leeds_staff):
    policy = policy_for("leeds")
    unset = next(policy.timescale(key) for key in policy.all_keys() if not policy.timescale(key).is_deadline
                 and not policy.timescale(key).count and not policy.timescale(key).variants)  # fmt: skip
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    everything = client.get("/timescales/").content.decode()
    assert f"<li><strong>{unset.name}</strong>: {unset.description}</li>" in everything  # in its stage's list
    found = client.get("/timescales/", {"q": unset.name}).content.decode()
    assert f"<strong>{unset.name}</strong>: {unset.description} " in found and "No timescale set." in found


def test_each_authority_sees_its_own_values(client, timescales_loaded):
    from cases.models import Authority

    york = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=Authority.objects.get(slug="york")))
    client.force_login(york)
    body = client.get("/timescales/").content.decode()
    assert "20 working days" in body and "City of York" in body


def test_wiltshire_page_says_the_attribution_is_inferred(client, timescales_loaded):
    from cases.models import Authority

    user = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=Authority.objects.get(slug="wiltshire")))
    client.force_login(user)
    assert "Attribution inferred" in client.get("/timescales/").content.decode()


@pytest.mark.parametrize("path", ["/timescales/", "/timescales/?q=visit", "/timescales/calculator/"])
def test_pages_have_a_bounded_query_count(client, leeds_staff, django_assert_max_num_queries, path):
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    client.get(path)  # warm the per-process policy cache
    # Session, user, authority, configuration revision and record, roles, closure days, and the
    # session's idle-timeout stamp (an UPDATE inside a savepoint), and the bell's unread count.
    with django_assert_max_num_queries(11):
        assert client.get(path).status_code == 200


def test_calculator_answers_with_the_date_and_its_explanation(client, leeds_staff):
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    body = client.get(
        "/timescales/calculator/",
        {"key": "icpc", "start_date_0": "10", "start_date_1": "12", "start_date_2": "2026"},
    ).content.decode()
    assert "Due by the end of Tue 5 Jan 2027" in body
    explanation = body[body.index('id="explanation"'):]
    assert ("Initial child protection conference due by Tue 5 Jan 2027: Leeds City Council allows 15 working days, "
            "counted from the strategy discussion on Thu 10 Dec (skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan 2027)."
            ) in explanation  # fmt: skip
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in explanation  # the working, behind the disclosure
    assert '<option value="icpc" selected>Initial child protection conference</option>' in body  # by name, not key


def test_calculator_applies_a_condition_and_an_hours_rule(client, timescales_loaded):
    from cases.models import Authority

    user = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=Authority.objects.get(slug="wiltshire")))
    client.force_login(user)
    body = client.get(
        "/timescales/calculator/",
        {"key": "contact_decision", "start_date_0": "24", "start_date_1": "12", "start_date_2": "2026",
         "start_time": "15:30", "conditions": "cp_referral"},
    ).content.decode()  # fmt: skip
    assert "Due Thu 24 Dec 2026, 17:30" in body


@pytest.mark.parametrize(
    ("params", "message", "anchor"),
    [
        ({}, None, None),
        ({"key": "", "start_date_0": "1", "start_date_1": "1", "start_date_2": "2027"}, "Select a timescale", "id_key"),
        ({"key": "icpc"}, "Enter the start date", "id_start_date_0"),
        ({"key": "icpc", "start_date_0": "31", "start_date_1": "2", "start_date_2": "2027"},
         "The start date must be a real date", "id_start_date_0"),
        ({"key": "icpc", "start_date_0": "3", "start_date_2": "2027"}, "The start date must include a month",
         "id_start_date_0"),
        ({"key": "icpc", "start_date_0": "3", "start_date_1": "2", "start_date_2": "2027", "start_time": "25:99"},
         "Enter the start time as hours and minutes", "id_start_time"),
    ],
)  # fmt: skip
def test_calculator_errors_name_the_field(client, leeds_staff, params, message, anchor):
    client.force_login(leeds_staff[Role.SOCIAL_WORKER])
    body = client.get("/timescales/calculator/", params).content.decode()
    if message is None:
        assert "There is a problem" not in body  # an empty form is a question, not an error
        return
    assert "There is a problem" in body
    assert f'<a href="#{anchor}">{message}' in body


def test_timescale_pages_need_an_authority(client, db):
    from cases.models import User

    root = User.objects.create_superuser("root@casework.test", "a-long-enough-passphrase", full_name="Root")
    client.force_login(root)
    assert client.get("/timescales/").status_code == 404


def test_only_an_authority_admin_may_change_a_timescale(client, leeds_staff):
    for role, user in leeds_staff.items():
        client.force_login(user)
        status = client.get("/timescales/cp_visit_interval/change/").status_code
        assert status == (200 if role == Role.AUTHORITY_ADMIN else 403), role


def test_unknown_key_is_404(client, leeds_staff):
    client.force_login(leeds_staff[Role.AUTHORITY_ADMIN])
    assert client.get("/timescales/not_a_key/change/").status_code == 404


def test_a_change_applies_from_its_date_and_never_moves_earlier_clocks(client, leeds, leeds_staff):
    admin = leeds_staff[Role.AUTHORITY_ADMIN]
    subject = TeamFactory(authority=leeds)
    before = deadline_open(authority=leeds, key="cp_visit_interval", subject=subject, start=date(2026, 12, 16))
    assert before.due_at.date() == date(2027, 1, 11)
    client.force_login(admin)
    response = client.post(
        "/timescales/cp_visit_interval/change/",
        {"duration": "10 working_days", "effective_from_0": "1", "effective_from_1": "12",
         "effective_from_2": "2026", "reason": "New practice standard agreed by the board"},
    )  # fmt: skip
    assert response.status_code == 302
    version = TimescaleVersion.objects.get(key="cp_visit_interval", origin="admin")
    assert version.changed_by == admin and version.history.count() == 1
    before.refresh_from_db()
    assert before.due_at.date() == date(2027, 1, 11)  # untouched until an explicit recalculation
    after = deadline_open(authority=leeds, key="cp_visit_interval", subject=subject, start=date(2026, 12, 16))
    assert after.due_at.date() == date(2027, 1, 4)
    assert Deadline.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"duration": "", "reason": "x"}, "Enter the new value"),
        ({"duration": "ten days", "reason": "x"}, "Enter the value as a number and a unit"),
        ({"duration": "-10 working_days", "reason": "x"}, "a negative value"),
        ({"duration": "10 working_days", "reason": ""}, "Enter why the timescale is changing"),
    ],
)
def test_a_bad_change_is_refused_with_the_field_named_and_nothing_saved(client, leeds_staff, data, message):
    client.force_login(leeds_staff[Role.AUTHORITY_ADMIN])
    payload = {"effective_from_0": "1", "effective_from_1": "1", "effective_from_2": "2027", **data}
    response = client.post("/timescales/cp_visit_interval/change/", payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimescaleVersion.objects.filter(origin="admin").exists()


def test_another_authoritys_admin_cannot_change_this_authoritys_timescales(client, leeds, timescales_loaded):
    other = AuthorityFactory(slug="york")
    admin = staff(Role.AUTHORITY_ADMIN, authority=other)
    client.force_login(admin)
    client.post(
        "/timescales/cp_visit_interval/change/",
        {"duration": "1 working_days", "effective_from_0": "1", "effective_from_1": "1",
         "effective_from_2": "2027", "reason": "attempt"},
    )  # fmt: skip
    assert not TimescaleVersion.objects.filter(configuration__scope="leeds", origin="admin").exists()


def test_closure_days_show_on_the_page_and_are_managed_in_the_scoped_admin(client, leeds, leeds_staff):
    from cases.models import ClosureDay

    york = AuthorityFactory(slug="york")
    ClosureDay.objects.create(authority=york, date=date(2099, 12, 29), reason="York closure")
    admin = leeds_staff[Role.AUTHORITY_ADMIN]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/cases/closureday/add/", {"date": "2099-12-30", "reason": "Office closed between Christmas and New Year"}
    )
    assert response.status_code == 302, response.content.decode()
    assert response.url == "/admin/cases/closureday/"
    closure = ClosureDay.objects.get(authority=leeds)
    assert closure.history.count() == 1
    body = client.get("/timescales/").content.decode()
    assert "Wednesday 30 December 2099: Office closed between Christmas and New Year" in body
    assert "York closure" not in body
    assert "York closure" not in client.get("/admin/cases/closureday/").content.decode()


def test_only_an_authority_admin_may_recalculate(client, leeds_staff):
    for role, user in leeds_staff.items():
        client.force_login(user)
        expected = 200 if role == Role.AUTHORITY_ADMIN else 403
        assert client.get("/timescales/recalculate/").status_code == expected, role
        if role != Role.AUTHORITY_ADMIN:
            assert client.post("/timescales/recalculate/").status_code == 403, role


def test_recalculation_previews_then_moves_only_this_authoritys_deadlines(
    client, leeds, leeds_staff, django_assert_max_num_queries
):
    from cases.models import Authority
    from cases.services.timescales import timescale_change

    york = Authority.objects.get(slug="york")
    admin = leeds_staff[Role.AUTHORITY_ADMIN]
    running = deadline_open(authority=leeds, key="cp_visit_interval", subject=TeamFactory(authority=leeds),
                            start=date(2026, 12, 16))  # fmt: skip
    elsewhere = deadline_open(authority=york, key="cp_visit_interval", subject=TeamFactory(authority=york),
                              start=date(2026, 12, 16))  # fmt: skip
    timescale_change(authority=leeds, key="cp_visit_interval", duration="10 working_days",
                     effective_from=date(2026, 12, 1), reason="Board decision", changed_by=admin)  # fmt: skip
    client.force_login(admin)
    with django_assert_max_num_queries(16):
        preview = client.get("/timescales/recalculate/").content.decode()
    assert "1 open deadline checked" in preview and "<strong>1</strong> would move" in preview
    assert "Mon 11 Jan 2027" in preview and "Mon 4 Jan 2027" in preview
    running.refresh_from_db()
    assert running.due_at.date() == date(2027, 1, 11)  # the preview changes nothing
    response = client.post("/timescales/recalculate/", follow=True)
    assert "1 open deadline moved to the current timescales" in response.content.decode()
    running.refresh_from_db()
    elsewhere.refresh_from_db()
    assert running.due_at.date() == date(2027, 1, 4)
    assert running.history.first().history_user == admin
    assert elsewhere.due_at.date() == date(2027, 1, 18)  # York's 20 working days, untouched


@pytest.mark.parametrize("slug", ["england", "barnet", "st-helens", "leeds", "wiltshire", "york"])
def test_the_pages_work_for_a_user_of_each_shipped_authority(client, timescales_loaded, slug):
    client.force_login(staff(Role.SOCIAL_WORKER, authority=AuthorityFactory(slug=slug)))
    body = client.get("/timescales/").content.decode()
    assert "timescales" in body and "Source" in body
    answer = client.get("/timescales/calculator/", {"key": "contact_decision", "start_date_0": "24",
                                                    "start_date_1": "12", "start_date_2": "2026"})  # fmt: skip
    assert answer.status_code == 200 and "24 Dec 2026" in answer.content.decode()
    assert 'id="explanation"' in answer.content.decode()
    keys = policy_for(slug).all_keys()
    for page in (body, answer.content.decode(), client.get("/timescales/?q=visit").content.decode()):
        assert machine_text_in(page, LEEDS_AND_THE_REST, keys) == []
