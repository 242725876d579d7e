"""Every object URL, generated from the URL resolver, answered for another authority's record: a
Leeds user in every role, GET and POST, on each URL naming a York record gets a 404, 403 or 405,
never the page and never a write. A new URL naming a record is swept as soon as it exists; one whose
record tests/sweeps.py cannot find fails `test_every_object_url_is_swept` until it is added to RECORDS."""

import pytest

from cases.models import User
from tests.sweeps import model_for, object_routes, path_for, record_in, two_authorities_seeded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def two_authorities(request, django_db_setup, django_db_blocker):
    with two_authorities_seeded(request.node, django_db_blocker):
        yield


def test_every_object_url_is_swept():
    unmapped = [route for route, _ in object_routes() if not model_for(route)]
    assert not unmapped, f"add these routes' records to RECORDS in tests/sweeps.py: {unmapped}"
    missing = sorted({model_for(route) for route, _ in object_routes() if record_in(model_for(route), "york") is None})
    assert not missing, f"the York demo has none of: {missing}"


def test_another_authoritys_records_are_404_to_every_role_on_every_url(client):
    leeds_staff = list(User.objects.filter(authority__slug="leeds", role_assignments__isnull=False).distinct())
    assert len(leeds_staff) >= 9
    targets = [path_for(route, pattern) for route, pattern in object_routes()]
    leaks = []
    for user in leeds_staff:
        client.force_login(user)
        for path in targets:
            for method in (client.get, client.post):
                status = method(path).status_code
                if status not in (403, 404, 405):
                    leaks.append(f"{user.email} {method.__name__.upper()} {path}: {status}")
    assert not leaks, "\n".join(leaks)
    print(f"{len(leeds_staff)} people x {len(targets)} URLs x GET and POST: no leak")
