"""Every URL of the app, generated from the URL resolver, with real records to name: for the sweeps
that must cover a new page without anyone remembering it (tests/test_authority_sweep.py,
tests/test_form_fuzz.py). Seeds the York and Leeds demo once for a module."""

from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests import clock

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
    "missing-episodes/": "planning.MissingEpisode",
    "meetings/": "planning.Meeting",
    "plans/": "planning.Plan",
    "plan-actions/": "planning.PlanAction",
    "liberty-orders/": "planning.DeprivationOfLiberty",
    "pre-proceedings/": "planning.PreProceedings",
    "visits/": "visits.Visit",
    "supervision/new/": "cases.User",
    "supervision/sessions/": "supervision.SupervisionSession",
    "audits/programmes/": "audits.AuditProgramme",
    "audits/actions/": "audits.AuditAction",
    "audits/templates/sections/": "audits.TemplateSection",
    "audits/templates/items/": "audits.TemplateItem",
    "audits/": "audits.Audit",
    "returns/runs/": "returns.ReturnRun",
    "returns/import/": "returns.StagedImport",
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


def records_in(label: str, authority_slug: str):
    model = apps.get_model(label)
    for path in AUTHORITY_PATHS:
        try:
            return model.objects.filter(**{f"{path}__slug": authority_slug}).order_by("pk")
        except FieldError:
            continue
    raise AssertionError(f"{label} names no authority this file knows of")


def record_in(label: str, authority_slug: str):
    return records_in(label, authority_slug).first()


@contextmanager
def two_authorities_seeded(node, django_db_blocker):
    """For a module-scoped fixture: York and Leeds's demo at the module's instant, flushed after."""
    from cases.selectors.timescales import clear_policy_cache

    with django_db_blocker.unblock(), clock.held(node):
        clear_policy_cache()
        call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_audit_templates", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", quiet_logins=True, authorities=["york", "leeds"])
        york_records_the_demo_lacks()
        yield
        call_command("flush", interactive=False, verbosity=0)
        clear_policy_cache()


def york_records_the_demo_lacks():
    """A case note, a family member, a professional and a closure request on a York demo child; a
    return produced and a file uploaded for import by York's data officer."""
    from django.utils import timezone

    from cases.codes import ClosureReason
    from cases.models import Case, User
    from cases.services.closure import closure_request
    from cases.services.family import professional_add, relationship_add
    from cases.services.records import case_note_add
    from returns.services import import_stage, return_run_request

    case = Case.objects.filter(authority__slug="york", closed_at=None, worker__isnull=False).order_by("pk").first()
    worker = case.worker
    case_note_add(case=case, author=worker, kind="note", event_at=timezone.now(), title="Call", text="Spoke to school")
    relationship_add(child=case.child, added_by=worker, kind="mother", name="A Parent")
    professional_add(child=case.child, added_by=worker, role="gp", name="Dr Who")
    closure_request(case=case, requested_by=worker, reason=ClosureReason.values[0], summary="Needs met",
                    gate_override="Swept for isolation only")  # fmt: skip
    officer = User.objects.get(email="data-officer@york.casework.test")
    return_run_request(requested_by=officer, kind="cin", year_ending=2026)
    import_stage(uploaded_by=officer, file_name="not-a-census.xml", document=b"<Message/>")


def path_for(route: str, pattern, authority_slug: str = "york") -> str:
    """The route with its words filled: a record's number from the authority, or a plausible word."""
    path = "/" + route
    record = record_in(model_for(route), authority_slug) if "<int:" in route else None
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        value = record.pk if kind == "int" else OTHER_WORDS[name]
        path = path.replace(f"<{kind}:{name}>", str(value))
    return path
