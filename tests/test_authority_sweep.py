"""Every object URL, generated from the URL resolver, answered for another authority's record: a
Leeds user in every role, GET and POST, on each URL naming a York record gets a 404, 403 or 405,
never the page and never a write. A new URL naming a record is swept as soon as it exists; one whose
record this file cannot find fails `test_every_object_url_is_swept` until it is added to RECORDS."""

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import User
from tests import clock

pytestmark = pytest.mark.django_db

# The record a URL's number names, by the route's opening words.
RECORDS = {
    "children/": "cases.Child",
    "referrals/": "cases.Referral",
    "cases/": "cases.Case",
    "notes/": "cases.CaseNote",
    "chronology/": "cases.ChronologyEntry",
    "relationships/": "cases.Relationship",
    "professionals/": "cases.Professional",
    "statuses/": "cases.LegalStatus",
    "closure-requests/": "cases.CaseClosure",
    "notifications/": "cases.Notification",
    "assessments/": "assessments.Assessment",
    "strategy/": "assessments.StrategyDiscussion",
    "s47/": "assessments.Section47Enquiry",
    "placements/": "planning.Placement",
    "meetings/": "planning.Meeting",
    "plans/": "planning.Plan",
    "plan-actions/": "planning.PlanAction",
    "visits/": "visits.Visit",
    "supervision/new/": "cases.User",
    "supervision/sessions/": "supervision.SupervisionSession",
    "audits/programmes/": "audits.AuditProgramme",
    "audits/actions/": "audits.AuditAction",
    "audits/templates/sections/": "audits.TemplateSection",
    "audits/templates/items/": "audits.TemplateItem",
    "audits/": "audits.Audit",
}
# Where a record names its authority: the first of these paths its model has.
AUTHORITY_PATHS = ("authority", "case__authority", "child__authority", "plan__authority",
                   "version__template__authority", "section__version__template__authority")  # fmt: skip
# Words a route holds besides the record's number; any plausible value, since the record is not theirs.
OTHER_WORDS = {"kind": "cin_review", "code": "s1", "key": "icpc"}


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not prefix.startswith("admin"):
            yield prefix + str(pattern.pattern), pattern


def object_routes():
    return [(route, pattern) for route, pattern in routes() if "<int:" in route]


def model_for(route: str) -> str:
    return next((label for start, label in sorted(RECORDS.items(), key=lambda item: -len(item[0]))
                 if route.startswith(start)), "")  # fmt: skip


def record_in(label: str, authority_slug: str):
    model = apps.get_model(label)
    for path in AUTHORITY_PATHS:
        try:
            return model.objects.filter(**{f"{path}__slug": authority_slug}).order_by("pk").first()
        except FieldError:
            continue
    raise AssertionError(f"{label} names no authority this file knows of")


@pytest.fixture(scope="module", autouse=True)
def two_authorities(request, django_db_setup, django_db_blocker):
    from cases.selectors.timescales import clear_policy_cache

    with django_db_blocker.unblock(), clock.held(request.node):
        clear_policy_cache()
        call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_audit_templates", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", quiet_logins=True, authorities=["york", "leeds"])
        york_records_the_demo_lacks()
        yield
        call_command("flush", interactive=False, verbosity=0)
        clear_policy_cache()


def york_records_the_demo_lacks():
    """A case note, a family member, a professional and a closure request on a York demo child."""
    from django.utils import timezone

    from cases.codes import ClosureReason
    from cases.models import Case
    from cases.services.closure import closure_request
    from cases.services.family import professional_add, relationship_add
    from cases.services.records import case_note_add

    case = Case.objects.filter(authority__slug="york", closed_at=None, worker__isnull=False).order_by("pk").first()
    worker = case.worker
    case_note_add(case=case, author=worker, kind="note", event_at=timezone.now(), title="Call", text="Spoke to school")
    relationship_add(child=case.child, added_by=worker, kind="mother", name="A Parent")
    professional_add(child=case.child, added_by=worker, role="gp", name="Dr Who")
    closure_request(case=case, requested_by=worker, reason=ClosureReason.values[0], summary="Needs met",
                    gate_override="Swept for isolation only")  # fmt: skip


def test_every_object_url_is_swept():
    unmapped = [route for route, _ in object_routes() if not model_for(route)]
    assert not unmapped, f"add these routes' records to RECORDS: {unmapped}"
    missing = sorted({model_for(route) for route, _ in object_routes() if record_in(model_for(route), "york") is None})
    assert not missing, f"the York demo has none of: {missing}"


def test_another_authoritys_records_are_404_to_every_role_on_every_url(client):
    leeds_staff = list(User.objects.filter(authority__slug="leeds", role_assignments__isnull=False).distinct())
    assert len(leeds_staff) >= 9
    targets = []
    for route, pattern in object_routes():
        record = record_in(model_for(route), "york")
        words = {name: record.pk if converter.regex == "[0-9]+" else OTHER_WORDS[name]
                 for name, converter in pattern.pattern.converters.items()}  # fmt: skip
        path = "/" + route
        for name, value in words.items():
            path = path.replace(f"<{type(pattern.pattern.converters[name]).__name__.replace('Converter', '').lower()}"
                                f":{name}>", str(value))  # fmt: skip
        targets.append(path)
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
