"""Every form in the service, found from the URL resolver, sent hostile values: numbers too big for a
date, years 0001 and 9999, a NUL byte, markup, a spreadsheet formula, a very long text. Every list
page's query string gets the same. No answer is a server error, and a refused form saves nothing.

Each URL is filled with a York demo record (tests/sweeps.py) and opened as each York role until one
gets the form; the form's own field names are read from the page, so a new form is fuzzed as soon
as it exists. Each submit runs in a savepoint rolled back after it, so one cannot change the next."""

import re
from itertools import product
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import resolve

from cases.models import User
from cases.roles import Role
from planning.models import AdoptionStep
from planning.views.plans import MEETINGS
from tests.sweeps import model_for, path_for, records_in, routes, two_authorities_seeded

pytestmark = pytest.mark.django_db

HOSTILE = ["9" * 25, "0001", "9999", "-1", "\x00", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
           "' OR 1=1 --", "2026-13-40", "x" * 10_000, ""]  # fmt: skip
# Sign-in and sign-out change who the test client is, not any record.
SKIP = {"sign-in", "sign-out", "signed-out", "second-factor", "second-factor-setup", "keep-alive"}
LIST_PARAMETERS = ("q", "page", "month", "key", "team", "kind", "status", "worker", "programme")
ROLES = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CONFERENCE_CHAIR, Role.PERSONAL_ADVISER,
         Role.QA_AUDITOR, Role.BUSINESS_SUPPORT, Role.AUTHORITY_ADMIN]  # fmt: skip
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"')
POST_FORM = re.compile(r'<form([^>]*method="post"[^>]*)>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'action="([^"]+)"')


@pytest.fixture(scope="module", autouse=True)
def two_authorities(request, django_db_setup, django_db_blocker):
    with two_authorities_seeded(request.node, django_db_blocker):
        yield


def staff_of_york() -> list[User]:
    """One York demo person per role, in the order forms are tried."""
    return [User.objects.filter(authority__slug="york", role_assignments__role=role).order_by("pk").first()
            for role in ROLES]  # fmt: skip


def row_counts() -> tuple:
    """Every table of ours, counted in one query."""
    tables = [model._meta.db_table for label in ("cases", "assessments", "planning", "visits", "supervision", "audits")
              for model in apps.get_app_config(label).get_models() if model._meta.db_table != "cases_accesslog"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables))
        return cursor.fetchone()


def answer(client, method, path, data=None) -> int:
    """The status, or 500 where the view raised; rolled back either way."""
    with transaction.atomic():
        before = row_counts()
        try:
            status = getattr(client, method)(path, data or {}).status_code
        except Exception:  # noqa: BLE001 (any exception a view lets out is the 500 this test exists to find)
            status = 500
        changed = row_counts() != before
        transaction.set_rollback(True)
    return status if not (changed and status not in (301, 302, 303)) else -status


def page_of(response) -> str:
    """The text of a page that answered 200 (a streamed download, like the Performance CSV, read
    whole); nothing otherwise."""
    if response.status_code != 200:
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def forms_to_fuzz(client, york_staff):
    """(where it posts, field names, who opens it) for every form on every page, once each."""
    found, seen = [], set()
    for route, pattern in routes():
        if pattern.name in SKIP:
            continue
        path = path_for(route, pattern)
        for user in york_staff:
            client.force_login(user)
            response = client.get(path)
            page = page_of(response)
            forms = POST_FORM.findall(page)
            for attributes, body in forms:
                action = ACTION.search(attributes)
                target = action.group(1).replace("&amp;", "&") if action else path
                if target not in seen and target.startswith("/") and not target.startswith("/sign"):
                    seen.add(target)
                    found.append((target, sorted(set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}), user))
            if forms:
                break
    return found


def test_no_form_answers_a_server_error_or_saves_half_way(client):
    york_staff = staff_of_york()
    forms = forms_to_fuzz(client, york_staff)
    assert len(forms) >= 40, [path for path, _, _ in forms]
    failures, tried = [], 0
    for path, names, user in forms:
        client.force_login(user)
        for value in HOSTILE:
            status = answer(client, "post", path, dict.fromkeys(names, value))
            tried += 1
            if status == 500 or status < 0:
                failures.append(f"{user.email} POST {path} with {value[:30]!r}: "
                                f"{'server error' if status == 500 else 'saved half-way'}")  # fmt: skip
    assert not failures, "\n".join(failures)
    print(f"{len(forms)} forms x {len(HOSTILE)} values = {tried} submits: no server error, no half-save")


# The pages whose form makes a record (or, for a sample, several): each must carry the once-only
# token, so a double click or a retry on a weak signal makes one.
CREATES = {"child-new", "referral-new", "case-note-new", "chronology-new", "address-new", "relationship-new",
           "professional-new", "status-new", "case-close", "case-transfer", "assessment-start", "strategy-new",
           "placement-new", "plan-new", "icpc-new", "rcpc-new", "core-group-new", "pf-notification-new", "pf-absence",
           "meeting-book", "meeting-new", "lac-review-new", "adoption-step-new", "care-check-new", "plan-action-new",
           "visit-new", "supervision-new", "oversight-new", "audit-programme-new", "audit-programme-sample",
           "audit-programme-pick", "audit-action-new", "health-outcome-new",
           "care-leaver-contact-new", "missing-episode-new", "liberty-order-new", "previous-permanence-new",
           "pre-proceedings-new"}  # fmt: skip


# Words a create page's route holds, each a value that page draws a form for.
CREATE_WORDS = {"kind": [*MEETINGS, *AdoptionStep.Kind.values]}


def filled(route: str, number: str, pk: int, words: dict[str, str]) -> str:
    path = "/" + route.replace(f"<int:{number}>", str(pk))
    for name, value in words.items():
        path = path.replace(f"<slug:{name}>", value)
    return path


def create_forms_drawn(client, names: set[str], york_staff) -> dict[str, list[str]]:
    """URL name -> the field names of its form, for each page in names that any York demo record
    opens for any York role: most of these forms need a child at one stage."""
    found = {}
    for route, pattern in routes():
        if pattern.name not in names:
            continue
        number, *words = pattern.pattern.converters  # the record's number comes first in every create route
        paths = [filled(route, number, record.pk, dict(zip(words, values, strict=True)))
                 for record in records_in(model_for(route), "york")
                 for values in product(*[CREATE_WORDS[word] for word in words])]  # fmt: skip
        for path, user in product(paths, york_staff):
            client.force_login(user)
            response = client.get(path)
            page = page_of(response)
            forms = [body for attributes, body in POST_FORM.findall(page)
                     if ACTION.search(attributes) is None or ACTION.search(attributes).group(1) == path]  # fmt: skip
            if forms:
                found[pattern.name] = sorted(set(FIELD.findall(forms[0])))
                break
    return found


def test_every_form_that_makes_a_record_is_sent_once(client):
    names_of_creates = {pattern.name for _, pattern in routes() if pattern.name.endswith("-new")}
    assert names_of_creates <= CREATES, f"a new create page: add it to CREATES: {names_of_creates - CREATES}"
    york_staff = staff_of_york()
    found = {resolve(urlsplit(path).path).url_name: names for path, names, _ in forms_to_fuzz(client, york_staff)}
    found |= create_forms_drawn(client, CREATES - found.keys(), york_staff)
    assert found.keys() >= CREATES, f"no York page drew these forms: {CREATES - found.keys()}"
    assert not [name for name in CREATES if "submission" not in found[name]], "these draw no once-only token"


def test_no_list_page_answers_a_server_error_to_a_hostile_query(client):
    york_staff = staff_of_york()
    failures, tried = [], 0
    for route, pattern in routes():
        if pattern.name in SKIP or pattern.pattern.converters:
            continue
        for user in york_staff:
            client.force_login(user)
            for value in HOSTILE:
                status = answer(client, "get", "/" + route, dict.fromkeys(LIST_PARAMETERS, value))
                tried += 1
                if status == 500:
                    failures.append(f"{user.email} GET /{route} with {value[:30]!r}")
    assert not failures, "\n".join(failures)
    print(f"{tried} hostile queries on list pages: no server error")
