"""Visit pages for every role, through plain form posts (as without JavaScript): recording a
visit, its record and PDF, the child's visits, Visits due, and the manager's conditions."""

import re
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Authority, Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from tests.clock import DEFAULT
from tests.factories import allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import SEES_CHILDREN, on_plan
from visits.models import Visit
from visits.services import visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db

WRITE_UP = {"place": "home", "announced": "no", "present": "Zoë and her mother", "child_seen": "yes",
            "seen_alone": "yes", "bedroom_seen": "yes", "child_views": "I like my new bed.",
            "observations": "The home was warm.", "analysis": "Zoë is safe; the plan is working."}  # fmt: skip


def action_for(owner, days: int = 7) -> dict:
    return {"action_what_0": "Refer to the school nurse", "action_owner_0": owner.pk,
            **date_parts("action_by_0", timezone.localdate(DEFAULT) + timedelta(days=days))}  # fmt: skip




def visit_of(people, case, record=True):
    worker = people[Role.SOCIAL_WORKER]
    visit = visit_start(case=case, recorded_by=worker, kind="cp", visited_at=DEFAULT - timedelta(minutes=1))
    content = {"place": "home", "announced": True, "child_seen": True, "seen_alone": True, "bedroom_seen": True,
               "child_views": "Fine", "observations": "Calm", "analysis": "The plan is working for Zoë."}  # fmt: skip
    visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **content)
    return visit_record(visit=visit, recorded_by=worker) if record else visit


def date_parts(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.mark.parametrize("role", list(Role))
def test_every_visit_page_for_every_role(client, people, case, role):
    on_plan(people, case)
    visit = visit_of(people, case)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    writes = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)  # the allocated worker, a manager of the team
    manages = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    expected = {
        f"/children/{case.child_id}/visits/": 200 if sees else 404,
        f"/children/{case.child_id}/visits/new/": 200 if writes else 403 if sees else 404,
        f"/visits/{visit.pk}/": 200 if sees else 404,
        f"/visits/{visit.pk}/edit/": 302 if sees else 404,  # recorded: no one edits it; its record is shown
        f"/visits/{visit.pk}.pdf": 200 if sees else 404,
        "/visits/due/": 200 if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER) else 403,
        f"/cases/{case.pk}/visit-conditions/": 200 if manages else 403 if sees else 404,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


def test_another_authoritys_and_a_restricted_childs_visits_are_not_found(client, people, case):
    on_plan(people, case)
    visit = visit_of(people, case)
    outsider = staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="york"))
    client.force_login(outsider)
    for path in (f"/visits/{visit.pk}/", f"/visits/{visit.pk}.pdf", f"/children/{case.child_id}/visits/",
                 f"/cases/{case.pk}/visit-conditions/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/visits/{visit.pk}/autosave/", {"version": 1}).status_code == 404
    case.child.restricted = True
    case.child.save()
    case.child.restricted_to.add(people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.QA_AUDITOR])
    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    client.force_login(people[Role.TEAM_MANAGER])
    assert case.child.full_name not in client.get("/visits/due/").content.decode()


def finished(**fields):
    """A whole write-up, with no actions."""
    return WRITE_UP | fields


def input_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else None


def new_visit_form(**fields):
    """What the one recording page posts: its once-only token, no draft's version yet, the kind and when."""
    today = timezone.localdate(DEFAULT)
    return {"submission": str(uuid.uuid4()), "version": 0, "kind": "cp", **date_parts("visited_on", today),
            "visited_time": "00:01"} | fields  # fmt: skip


def test_recording_a_visit_through_the_pages_without_javascript(client, people, case):
    on_plan(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    new = f"/children/{case.child_id}/visits/new/"
    tomorrow = timezone.localdate(DEFAULT) + timedelta(days=1)
    refused = client.post(new, new_visit_form(**date_parts("visited_on", tomorrow)))
    assert "The visit must be in the past" in refused.content.decode() and not Visit.objects.exists()
    half = client.post(new, new_visit_form(record="1", child_views="Half written"))
    body = half.content.decode()
    assert "Select whether the child was seen" in body and "Half written" in body
    visit = Visit.objects.get()  # the refused record kept the draft, and the page goes on as its write-up
    assert visit.status == "draft" and visit.child_views == "Half written"
    assert f'action="/visits/{visit.pk}/edit/"' in body and f'data-autosave-url="/visits/{visit.pk}/autosave/"' in body
    form = {"version": visit.version, "kind": "cp", **date_parts("visited_on", timezone.localdate(DEFAULT)),
            "visited_time": "00:01"}  # fmt: skip
    done = client.post(f"/visits/{visit.pk}/edit/", form | {"record": "1", **WRITE_UP,
                       **action_for(people[Role.SOCIAL_WORKER])})  # fmt: skip
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.actions[0]["what"] == "Refer to the school nurse"
    record = client.get(f"/children/{case.child_id}/visits/").content.decode()
    next_due = Deadline.objects.get(case=case, key="cp_visit_interval", status="open")
    assert f"{next_due.due_at:%a} {timezone.localtime(next_due.due_at).day}" in record
    assert "15 working days from" in record  # Leeds's rule, explained
    pdf = client.get(f"/visits/{visit.pk}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "I like my new bed." in text and "Refer to the school nurse" in text


def test_the_one_page_presets_the_kind_and_now_and_asks_for_them_once(client, people, case):
    on_plan(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/children/{case.child_id}/visits/new/").content.decode()
    assert '<option value="cp" selected>' in page  # the child is on a child protection plan
    now = timezone.localtime(DEFAULT)
    assert input_value(page, "visited_on_0") == str(now.day) and input_value(page, "visited_time") == f"{now:%H:%M}"
    assert input_value(page, "visited_on_2") == str(now.year)
    assert page.count('name="kind"') == 1 and page.count('name="visited_on_0"') == 1
    assert 'name="child_views"' in page and 'data-autosave-url="/children/' in page and 'id="autosave-status"' in page
    done = client.post(f"/children/{case.child_id}/visits/new/", new_visit_form(record="1", **finished()))
    visit = Visit.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/visits/{visit.pk}/" and visit.status == "recorded"
    assert visit.kind == "cp"


def test_a_child_with_no_status_is_offered_an_assessment_visit(client, people, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/children/{case.child_id}/visits/new/").content.decode()
    assert '<option value="assessment" selected>' in page


def test_why_not_boxes_are_revealed_by_no_and_shown_without_javascript(client, people, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/children/{case.child_id}/visits/new/").content.decode()
    for question, box in (("child_seen", "not_seen_reason"), ("seen_alone", "not_seen_alone_reason"),
                          ("bedroom_seen", "bedroom_not_seen_reason")):  # fmt: skip
        assert (f'name="{question}" type="radio" value="no" data-aria-controls="conditional-id_{box}"') in page
        conditional = page.index(f'id="conditional-id_{box}"')
        assert page.index(f'name="{box}"') > conditional  # the box sits inside its "No"
        assert "govuk-radios__conditional--hidden" in page[conditional - 80:conditional]
    # A "No" already chosen shows its box from the start; the server still asks for the reason.
    refused = client.post(f"/children/{case.child_id}/visits/new/", new_visit_form(record="1", **finished(
                          child_seen="no", seen_alone="")))  # fmt: skip
    body = refused.content.decode()
    assert "Enter why the child was not seen" in body
    conditional = body.index('id="conditional-id_not_seen_reason"')
    assert "govuk-radios__conditional--hidden" not in body[conditional - 80:conditional]


def test_the_pages_automatic_saves_start_one_draft_that_its_submit_records(client, people, case):
    on_plan(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    form = new_visit_form()
    autosave = f"/children/{case.child_id}/visits/new/autosave/"
    first = client.post(autosave, form | {"analysis": "First minute"})
    assert first.status_code == 200 and first.json()["saved"]
    second = client.post(autosave, form | {"version": first.json()["version"], "analysis": "Second minute"})
    visit = Visit.objects.get()
    assert second.json()["version"] == visit.version and visit.analysis == "Second minute"
    stale = client.post(autosave, form | {"version": first.json()["version"], "analysis": "An older tab"})
    assert stale.status_code == 409 and Visit.objects.get().analysis == "Second minute"
    assert client.post(autosave, {k: v for k, v in form.items() if k != "submission"}).status_code == 400
    done = client.post(f"/children/{case.child_id}/visits/new/", form | {"version": visit.version, "record": "1",
                       **finished()})  # fmt: skip
    assert done.status_code == 302 and Visit.objects.get().status == "recorded"
    again = client.post(f"/children/{case.child_id}/visits/new/", form | {"version": visit.version, "record": "1",
                        **finished()})  # fmt: skip
    assert again["Location"] == done["Location"] and Visit.objects.count() == 1  # a double submit makes one


@pytest.mark.parametrize("role", list(Role))
def test_the_new_pages_automatic_save_for_every_role(client, people, case, role):
    on_plan(people, case)
    client.force_login(people[role])
    response = client.post(f"/children/{case.child_id}/visits/new/autosave/", new_visit_form())
    writes = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
    assert response.status_code == (200 if writes else 403 if role in SEES_CHILDREN else 404)
    assert Visit.objects.count() == (1 if writes else 0)


def test_seen_alone_without_seen_is_refused_by_the_page(client, people, case):
    visit = visit_of(people, case, record=False)
    client.force_login(people[Role.SOCIAL_WORKER])
    local = timezone.localtime(visit.visited_at)
    response = client.post(f"/visits/{visit.pk}/edit/", {"version": visit.version, "kind": "cp", "child_seen": "no",
                           "seen_alone": "yes", **date_parts("visited_on", local.date()),
                           "visited_time": f"{local:%H:%M}"})  # fmt: skip
    assert "The child cannot have been seen alone if they were not seen" in response.content.decode()


def test_autosave_and_a_stale_tab(client, people, case):
    visit = visit_of(people, case, record=False)
    client.force_login(people[Role.SOCIAL_WORKER])
    local = timezone.localtime(visit.visited_at)
    form = {"kind": "cp", **date_parts("visited_on", local.date()), "visited_time": f"{local:%H:%M}"}
    first = client.post(f"/visits/{visit.pk}/autosave/", form | {"version": visit.version, "analysis": "Tab one"})
    assert first.status_code == 200 and first.json()["version"] == visit.version + 1
    second = client.post(f"/visits/{visit.pk}/edit/", form | {"version": visit.version, "analysis": "Tab two"})
    html = second.content.decode()
    assert second.status_code == 409 and "Tab two</textarea>" in html and "Tab one" in html


def test_visits_due_for_a_worker_and_by_worker_for_a_manager(client, people, case, leeds):
    on_plan(people, case)
    overdue = Deadline.objects.get(case=case, key="cp_visit_interval")
    Deadline.objects.filter(pk=overdue.pk).update(due_at=DEFAULT - timedelta(days=2))
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get("/visits/due/").content.decode()
    assert 'id="overdue"' in page and case.child.full_name in page and "How this date was worked out" in page
    client.force_login(people[Role.TEAM_MANAGER])
    page = client.get("/visits/due/").content.decode()
    assert 'id="by-worker"' in page and people[Role.SOCIAL_WORKER].full_name in page
    client.force_login(staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"]))
    assert case.child.full_name not in client.get("/visits/due/").content.decode()  # not their visit


def test_the_manager_sets_conditions_through_the_page(client, people, case):
    client.force_login(people[Role.TEAM_MANAGER])
    page = client.get(f"/cases/{case.pk}/visit-conditions/").content.decode()
    assert "What the child" in page
    refused = client.post(f"/cases/{case.pk}/visit-conditions/", {"conditions": [], "reason": ""})
    assert "Enter the reason for the change" in refused.content.decode()


def test_pages_have_bounded_queries(client, people, case, leeds, django_assert_max_num_queries):
    on_plan(people, case)
    visit_of(people, case)
    client.force_login(people[Role.TEAM_MANAGER])
    paths = [f"/children/{case.child_id}/visits/", "/visits/due/", f"/visits/{Visit.objects.get().pk}/"]

    def counts():
        return page_query_counts(client, paths, django_assert_max_num_queries)

    small = counts()
    for index in range(6):  # more children on the plan, each with visits and deadlines
        other = allocate_new_child(people, leeds, first_name=f"Child{index}").cases.get()
        on_plan(people, other)
        visit_of(people, other)
        visit_of(people, case)
    assert counts() == small


def test_my_work_lists_visits_to_write_up(client, people, case):
    visit = visit_of(people, case, record=False)
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get("/").content.decode()
    assert "Visits to write up" in page and f"/visits/{visit.pk}/edit/" in page and "write-up due by" in page


def test_recording_a_placement_records_it_for_the_looked_after_child(client, people, case):
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=timezone.localdate(DEFAULT),
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    client.post(f"/children/{case.child_id}/placements/new/", {"placement_type": "U6", "carer": "The Shaws",
                **date_parts("started_on", DEFAULT.date()), "started_time": "09:00", "provider": "PR1",
                "urn": "SC100001"})  # fmt: skip
    assert Deadline.objects.filter(case=case, key="lac_first_visit", status="open").exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.QA_AUDITOR])
def test_back_to_the_write_up_after_recording_shows_the_record(client, people, case, role):
    visit = visit_of(people, case)
    client.force_login(people[role])
    response = client.get(f"/visits/{visit.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/visits/{visit.pk}/", 302)]
    assert "Your role does not allow this" not in response.content.decode() and "Recorded" in response.content.decode()
    again = client.post(f"/visits/{visit.pk}/edit/", {"version": visit.version, "analysis": "Sent twice"})
    assert again.status_code == 302 and again["Location"] == f"/visits/{visit.pk}/"
    visit.refresh_from_db()
    assert visit.analysis != "Sent twice"


def test_the_confirmation_says_when_the_next_visit_is_due_and_why_in_plain_english(client, people, case):
    on_plan(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    done = client.post(f"/children/{case.child_id}/visits/new/", new_visit_form(record="1", **finished()), follow=True)
    next_due = Deadline.objects.get(case=case, key="cp_visit_interval", status="open")
    due = timezone.localtime(next_due.due_at)
    page = done.content.decode()
    assert f"Visit recorded. The next visit is due by {due:%A} {due.day} {due:%B %Y}." in page
    shown = page.split('id="next-visit"')[1].split("</div></details>")[0]
    plain, worked_out = shown.split("How this date was worked out")
    assert f"{due:%A} {due.day} {due:%B %Y}" in plain and "15 working days, counted from" in plain
    assert "cp_visit_interval" not in plain and "working_days" not in plain and "leeds" not in plain
    assert "cp_visit_interval" in worked_out  # the rule's own words, key and source, only in the disclosure


def test_a_visit_where_the_child_was_not_seen_says_it_does_not_count(client, people, case):
    on_plan(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    not_seen = finished(child_seen="no", not_seen_reason="No answer at the door", seen_alone="", child_views="")
    done = client.post(f"/children/{case.child_id}/visits/new/", new_visit_form(record="1", **not_seen), follow=True)
    assert "The child was not seen, so this visit does not count" in done.content.decode()


def test_an_assessment_visit_says_no_statutory_visit_is_scheduled(client, people, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    done = client.post(f"/children/{case.child_id}/visits/new/", new_visit_form(record="1", kind="assessment",
                       **finished()), follow=True)  # fmt: skip
    page = done.content.decode()
    assert "Visit recorded." in page and "No statutory visit is scheduled" in page


def test_the_recording_and_write_up_pages_have_bounded_queries(client, people, case, leeds,
                                                                django_assert_max_num_queries):  # fmt: skip
    on_plan(people, case)
    draft = visit_of(people, case, record=False)
    client.force_login(people[Role.SOCIAL_WORKER])
    paths = [f"/children/{case.child_id}/visits/new/", f"/visits/{draft.pk}/edit/"]
    small = page_query_counts(client, paths, django_assert_max_num_queries)
    for index in range(6):  # more staff to give actions to, more visits and drafts
        staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
        visit_of(people, case, record=index % 2 == 0)
    worker = people[Role.SOCIAL_WORKER]
    draft = visit_save(visit=draft, saved_by=worker, version=draft.version, actions=[
        {"what": f"Task {index}", "owner": worker, "by_when": timezone.localdate(DEFAULT) + timedelta(days=index)}
        for index in range(4)])  # fmt: skip
    paths = [f"/children/{case.child_id}/visits/new/", f"/visits/{draft.pk}/edit/"]
    assert list(page_query_counts(client, paths, django_assert_max_num_queries).values()) == list(small.values())
