"""The Returns pages, for the performance and data officer (and service managers): produce and
check a return, read its findings by child and team, download it (on the access log). Every role,
another authority, and a restricted child."""

import uuid
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from cases.models import AccessLog, Authority
from cases.roles import Role
from returns.models import ReturnRun
from tests.factories import TeamFactory, staff
from tests.returns.cin_world import world

pytestmark = pytest.mark.django_db

USERS = {Role.DATA_OFFICER, Role.SERVICE_MANAGER}


@pytest.fixture
def york(timescales_loaded):
    york = world("york")
    # One clean episode, and one with a DfE query.
    case = york.referral(york.child(first_name="Ava"), date(2025, 6, 2)).case
    york.assessment(case, date(2025, 6, 3), date(2025, 7, 14))
    # Ben, 10, has neither a UPN nor the reason he has none: a DfE query on him.
    york.referral(york.child(first_name="Ben", sex="M", upn_unknown=""), date(2025, 8, 4))
    return york


@pytest.fixture
def produce(django_capture_on_commit_callbacks):
    """Ask for a return as the page does; the task queued once the run is committed then runs
    (eagerly, as in the quick start without Redis; tests/test_celery.py runs a real worker)."""

    def asked(client, kind="cin", year="2026") -> ReturnRun:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/returns/", {"kind": kind, "year_ending": year, "submission": str(uuid.uuid4())})
        assert response.status_code == 302, response.content.decode()[:2000]
        return ReturnRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))

    return asked


@pytest.mark.parametrize("role", list(Role))
def test_each_role(client, york, role):
    client.force_login(york.people[role])
    allowed = role in USERS
    assert client.get("/returns/").status_code == (200 if allowed else 403)
    response = client.post("/returns/", {"kind": "cin", "year_ending": "2026", "submission": str(uuid.uuid4())})
    assert response.status_code == (302 if allowed else 403)
    assert ReturnRun.objects.count() == (1 if allowed else 0)
    nav = client.get("/").content.decode()
    assert ('href="/returns/"' in nav) == allowed


def test_the_data_officer_produces_the_census_and_reads_what_to_correct(client, york, produce):
    client.force_login(york.people[Role.DATA_OFFICER])
    run = produce(client)
    assert (run.status, run.progress, run.children) == ("done", 100, 2)
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert "CIN census 2025-26" in page and "Download the return" in page
    assert "By child" in page and "Ben" in page and "8770Q" in page
    assert f'href="/children/{york.authority.children.get(first_name="Ben").pk}/' in page
    assert "Children in need" in page  # the team the findings sit with
    listed = client.get("/returns/").content.decode()
    assert f'href="/returns/runs/{run.pk}/"' in listed


def test_a_finding_about_an_assessment_links_to_that_assessment(client, york, produce):
    # Started in June and not finished by 31 March: the DfE queries it (8670Q).
    case = york.referral(york.child(first_name="Cal", sex="M"), date(2025, 6, 9)).case
    assessment = york.assessment(case, date(2025, 6, 10), None)
    client.force_login(york.people[Role.DATA_OFFICER])
    run = produce(client)
    assert any(finding["rule"] == "8670Q" and finding["record"][:2] == ["assessment", assessment.pk]
               for finding in run.findings)  # fmt: skip
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert f'href="/assessments/{assessment.pk}/">open the assessment</a>' in page


def test_a_download_is_the_checked_file_and_is_on_the_access_log(client, york, produce):
    client.force_login(york.people[Role.DATA_OFFICER])
    run = produce(client)
    response = client.get(f"/returns/runs/{run.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert 'filename="cin_2025_26_816.xml"' in response["Content-Disposition"]
    assert response.content == bytes(run.document)
    logged = AccessLog.objects.get(subject_type=ContentType.objects.get_for_model(ReturnRun), subject_id=run.pk)
    assert logged.user == york.people[Role.DATA_OFFICER]


def test_the_ssda903_downloads_as_a_zip_of_its_tables(client, york, produce):
    import io
    import zipfile

    from tests.support import looked_after

    looked_after(york.people, york.authority.children.get(first_name="Ava").cases.get(), on=date(2026, 2, 2))
    client.force_login(york.people[Role.SERVICE_MANAGER])
    run = produce(client, kind="ssda903")
    assert run.status == "done"
    response = client.get(f"/returns/runs/{run.pk}/download/")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "header.csv" in names and "episodes.csv" in names and response["Content-Type"] == "application/zip"


def test_a_double_submit_produces_one_run(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    token = str(uuid.uuid4())
    first = client.post("/returns/", {"kind": "cin", "year_ending": "2026", "submission": token})
    second = client.post("/returns/", {"kind": "cin", "year_ending": "2026", "submission": token})
    assert ReturnRun.objects.count() == 1 and first["Location"] == second["Location"]


def test_a_missing_choice_is_named(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    page = client.post("/returns/", {"kind": "", "year_ending": "2019", "submission": str(uuid.uuid4())})
    text = page.content.decode()
    assert page.status_code == 200 and "Select the return" in text and "Select the collection year" in text
    assert not ReturnRun.objects.exists()


def test_a_run_still_going_refreshes_itself_and_shows_how_far_it_has_got(client, york):
    officer = york.people[Role.DATA_OFFICER]
    run = ReturnRun.objects.create(authority=york.authority, kind="cin", year_ending=2026, requested_by=officer,
                                   status="running", progress=40, stage="Read 800 of 2000 children's records")
    client.force_login(officer)
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and 'value="40"' in page and "800 of 2000" in page
    assert client.get(f"/returns/runs/{run.pk}/download/").status_code == 403
    run.status = "failed"
    run.save()
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert "could not be finished" in page and "refresh" not in page.split("<body")[0]


def test_another_authority_s_run_is_404(client, york):
    officer = york.people[Role.DATA_OFFICER]
    run = ReturnRun.objects.create(authority=york.authority, kind="cin", year_ending=2026, requested_by=officer)
    leeds = Authority.objects.get(slug="leeds")
    elsewhere = staff(Role.DATA_OFFICER, authority=leeds, team=TeamFactory(authority=leeds))
    client.force_login(elsewhere)
    assert client.get(f"/returns/runs/{run.pk}/").status_code == 404
    assert client.get(f"/returns/runs/{run.pk}/download/").status_code == 404
    assert f"/returns/runs/{run.pk}/" not in client.get("/returns/").content.decode()


def test_a_restricted_child_s_findings_show_no_name_to_someone_not_named(client, york, produce):
    ben = york.authority.children.get(first_name="Ben")
    ben.restricted = True
    ben.save()
    ben.restricted_to.add(york.people[Role.SOCIAL_WORKER])
    client.force_login(york.people[Role.DATA_OFFICER])
    run = produce(client)
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert "A restricted record" in page and "Ben" not in page and f"/children/{ben.pk}/" not in page


def test_the_run_page_takes_the_same_queries_for_more_findings(client, york, produce, django_assert_max_num_queries):
    client.force_login(york.people[Role.DATA_OFFICER])
    few = produce(client)
    with django_assert_max_num_queries(14):
        client.get(f"/returns/runs/{few.pk}/")
    for number in range(6):
        york.referral(york.child(first_name=f"Cy{number}", upn_unknown=""), date(2025, 9, 1 + number))
    many = produce(client)
    assert many.children == few.children + 6
    with django_assert_max_num_queries(14):
        client.get(f"/returns/runs/{many.pk}/")
