"""Importing a past return on the page (a CIN census, or an SSDA903 as a ZIP of its tables):
upload, see exactly what it would add (nothing kept yet), confirm; a refused file names the line
and child. Every role, and another authority."""

import uuid
from datetime import UTC, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Authority, Child
from cases.roles import Role
from returns.models import ImportRun, StagedImport
from returns.tasks import clear_old_staged_files
from tests.clock import DEFAULT
from tests.factories import TeamFactory, staff
from tests.returns.cin_world import world
from tests.returns.test_cin_import import FIXTURES

pytestmark = pytest.mark.django_db

CLEAN, BROKEN = FIXTURES / "cin_2025_26_front_door.xml", FIXTURES / "cin_2025_26_rule_error.xml"


@pytest.fixture
def york(timescales_loaded):
    return world("york")


def upload(client, path):
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/xml")
    return client.post("/returns/import/", {"file": file, "submission": str(uuid.uuid4())})


@pytest.mark.parametrize("role", list(Role))
def test_each_role(client, york, role):
    client.force_login(york.people[role])
    allowed = role in (Role.DATA_OFFICER, Role.SERVICE_MANAGER)
    assert client.get("/returns/import/").status_code == (200 if allowed else 403)
    assert upload(client, CLEAN).status_code == (302 if allowed else 403)
    assert StagedImport.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_confirming_a_staged_import(client, york, role):
    client.force_login(york.people[Role.DATA_OFFICER])
    staged = StagedImport.objects.get(pk=int(upload(client, CLEAN)["Location"].rstrip("/").split("/")[-1]))
    confirm = f"/returns/import/{staged.pk}/confirm/"
    # The same role in another authority is not told the import exists, whatever the role may do at home.
    leeds = Authority.objects.get(slug="leeds")
    client.force_login(staff(role, authority=leeds, team=TeamFactory(authority=leeds)))
    assert client.post(confirm).status_code == 404
    assert not ImportRun.objects.exists()
    client.force_login(york.people[role])
    allowed = role in (Role.DATA_OFFICER, Role.SERVICE_MANAGER)
    # A role without the returns pages meets a 404, as on every page that fetches one staged import.
    assert client.get(f"/returns/import/{staged.pk}/").status_code == (200 if allowed else 404)
    response = client.post(confirm)
    assert response.status_code == (302 if allowed else 404)
    if allowed:
        assert response["Location"] == f"/returns/import/{staged.pk}/"
    assert ImportRun.objects.count() == (1 if allowed else 0)
    staged.refresh_from_db()
    assert (staged.import_run_id is not None) == allowed


def test_the_preview_adds_nothing_until_confirmed_and_confirming_twice_imports_once(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    before = Child.objects.count()
    response = upload(client, CLEAN)
    staged = StagedImport.objects.get()
    assert response["Location"] == f"/returns/import/{staged.pk}/"
    assert Child.objects.count() == before and not ImportRun.objects.exists()  # the preview was rolled back
    page = client.get(response["Location"]).content.decode()
    assert "What importing it would do" in page and "Import these records" in page
    assert staged.preview["children_created"] == 7
    client.post(f"/returns/import/{staged.pk}/confirm/")
    client.post(f"/returns/import/{staged.pk}/confirm/")
    assert Child.objects.count() == before + 7 and ImportRun.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "What was imported" in page and "Import these records" not in page
    again = upload(client, CLEAN)
    assert "Importing it again would change nothing" in client.get(again["Location"]).content.decode()


def test_a_refused_file_names_line_and_child_and_cannot_be_confirmed(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    response = upload(client, BROKEN)
    page = client.get(response["Location"]).content.decode()
    assert "This file cannot be imported" in page and "Line " in page and "Import these records" not in page
    staged = StagedImport.objects.get()
    client.post(f"/returns/import/{staged.pk}/confirm/")
    assert not ImportRun.objects.exists()


def test_an_empty_or_missing_file_is_named(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    page = client.post("/returns/import/", {"submission": str(uuid.uuid4())}).content.decode()
    assert "Select the CIN census or SSDA903 file" in page
    empty = SimpleUploadedFile("empty.xml", b"", content_type="application/xml")
    page = client.post("/returns/import/", {"file": empty, "submission": str(uuid.uuid4())}).content.decode()
    assert "empty" in page and not StagedImport.objects.exists()


def test_an_uploaded_file_is_cleared_after_30_days_and_must_be_uploaded_again(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    old, recent = (StagedImport.objects.get(pk=int(upload(client, CLEAN)["Location"].rstrip("/").split("/")[-1]))
                   for _ in range(2))  # fmt: skip
    # In UTC: thirty days back from London's November is across the clocks' change, and an aware
    # London time's arithmetic is the wall clock's.
    now = DEFAULT.astimezone(UTC)
    StagedImport.objects.filter(pk=old.pk).update(uploaded_at=now - timedelta(days=30, minutes=1))
    StagedImport.objects.filter(pk=recent.pk).update(uploaded_at=now - timedelta(days=29, hours=23))

    assert clear_old_staged_files.delay().get() == 1  # the nightly job, run eagerly without Redis

    old.refresh_from_db()
    recent.refresh_from_db()
    # The row stays, with what its preview found; only the file's bytes are gone.
    assert bytes(old.document) == b"" and old.preview["children_created"] == 7
    assert bytes(recent.document) == CLEAN.read_bytes()
    page = client.get(f"/returns/import/{old.pk}/").content.decode()
    assert "This file is no longer kept" in page and "upload it again" in page and "Import these records" not in page
    assert "File no longer kept" in client.get("/returns/import/").content.decode()
    client.post(f"/returns/import/{old.pk}/confirm/")
    assert not ImportRun.objects.exists()
    assert "Import these records" in client.get(f"/returns/import/{recent.pk}/").content.decode()
    assert clear_old_staged_files.delay().get() == 0


def test_another_authority_s_upload_is_404(client, york):
    client.force_login(york.people[Role.DATA_OFFICER])
    staged = StagedImport.objects.get(pk=int(upload(client, CLEAN)["Location"].rstrip("/").split("/")[-1]))
    leeds = Authority.objects.get(slug="leeds")
    client.force_login(staff(Role.DATA_OFFICER, authority=leeds, team=TeamFactory(authority=leeds)))
    assert client.get(f"/returns/import/{staged.pk}/").status_code == 404
    assert client.post(f"/returns/import/{staged.pk}/confirm/").status_code == 404
    assert not ImportRun.objects.exists()


def test_an_ssda903_zip_is_previewed_and_imported_on_the_page(client, timescales_loaded):
    from tests.returns.test_ssda903_import import RETURNS, files_of, zipped

    leeds = Authority.objects.get(slug="leeds")
    client.force_login(staff(Role.DATA_OFFICER, authority=leeds))
    file = SimpleUploadedFile("leeds_ssda903_2025_26.zip", zipped(files_of(RETURNS[2026])),
                              content_type="application/zip")  # fmt: skip
    response = client.post("/returns/import/", {"file": file, "submission": str(uuid.uuid4())})
    page = client.get(response["Location"]).content.decode()
    assert "SSDA903 return" in page and "What importing it would do" in page
    assert Child.objects.filter(authority=leeds).count() == 0
    client.post(f"{response['Location']}confirm/")
    assert Child.objects.filter(authority=leeds).count() == 7
    assert "What was imported" in client.get(response["Location"]).content.decode()
