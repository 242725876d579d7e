"""Every PDF Casework makes (assessment, plan, conference record, visit record, chronology, audit
report) carries the protective marking OFFICIAL-SENSITIVE at the top and the foot of every page,
read back from the PDF's own text on its first and last pages."""

import html
import re
from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from assessments.services.assessments import assessment_approve, assessment_save, assessment_start, assessment_submit
from audits.models import TemplateItem
from cases.models import Authority, ChronologyEntry, Deadline
from cases.roles import Role
from cases.selectors.timescales import policy_for
from cases.services.children import chronology_write
from planning.services.conferences import icpc_record
from tests.audits.helpers import submitted as audit_submitted
from tests.clock import DEFAULT
from tests.factories import ASSESSMENT_SECTIONS
from tests.plain_english import machine_text_in
from visits.models import Visit

pytestmark = pytest.mark.django_db

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture(autouse=True)
def opened_last_week(case):
    """The case opened a week ago, so its records can have happened in the last days."""
    type(case).objects.filter(pk=case.pk).update(opened_at=DEFAULT - timedelta(days=7))
    case.refresh_from_db()


def marking_per_page(response) -> list[int]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text().count(MARKING) for page in PdfReader(BytesIO(response.content)).pages]


def every_kind_of_pdf(people, case) -> dict[str, str]:
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    assessment = assessment_start(case=case, started_by=worker)
    assessment = assessment_save(assessment=assessment, saved_by=worker, version=assessment.version,
                                 **ASSESSMENT_SECTIONS | {"analysis": "Needs met at school", "child_views": "Fine"},
                                 outcome="cin", factors=["4B"])  # fmt: skip
    assessment_submit(assessment=assessment, submitted_by=worker)
    assessment_approve(assessment=assessment, manager=manager, view="Agreed")
    meeting = icpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=DEFAULT - timedelta(hours=3),
                          attendees="Mother", decision="cp_plan", categories=["NEG"], summary="Plan agreed.")
    visited = DEFAULT - timedelta(days=1)
    visit = Visit.objects.create(authority=case.authority, case=case, child=case.child, kind="cp", visited_at=visited,
                                 visitor=worker, recorded_by=worker, status="recorded", recorded_at=visited,
                                 child_seen=True, observations="Calm and settled.")  # fmt: skip
    for day in range(80):  # a chronology long enough to run over several pages
        chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.OTHER, title=f"Event {day}",
                         occurred_at=DEFAULT - timedelta(days=7, hours=day), written_by=worker)
    audit = audit_submitted(people, case)
    return {
        "assessment": f"/assessments/{assessment.pk}.pdf",
        "plan": f"/plans/{meeting.plan.pk}/pdf/",
        "conference record": f"/meetings/{meeting.pk}/pdf/",
        "visit record": f"/visits/{visit.pk}.pdf",
        "chronology": f"/children/{case.child_id}/chronology.pdf",
        "audit report": f"/audits/{audit.pk}/report.pdf",
    }


def test_every_pdf_is_marked_at_the_top_and_foot_of_its_first_and_last_page(client, people, case):
    paths = every_kind_of_pdf(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    marks = {kind: marking_per_page(client.get(path)) for kind, path in paths.items()}
    # Twice on each page (header and footer); a template that marks its own footer the same way (the
    # chronology) does not mark it twice.
    assert {kind: (pages[0], pages[-1]) for kind, pages in marks.items()} == dict.fromkeys(paths, (2, 2))
    assert len(marks["chronology"]) > 1


def test_no_pdf_shows_a_timescale_key_a_slug_a_file_name_or_a_line_number(client, people, case):
    """The PDFs are read as the pages are (tests/plain_english.py): a printed record has no
    disclosure, so none of these may appear anywhere in it. An audit item's code ("leeds-fa.2") is
    the one identifier shown, as on the pages, beside its question."""
    paths = every_kind_of_pdf(people, case) | {"the whole record": f"/children/{case.child_id}/record.pdf"}
    client.force_login(people[Role.TEAM_MANAGER])
    slugs = set(Authority.objects.values_list("slug", flat=True))
    keys = set(policy_for(case.authority).all_keys()) | set(Deadline.objects.values_list("key", flat=True))
    for kind, path in paths.items():
        pdf = PdfReader(BytesIO(client.get(path).content))
        # A code broken over two lines of a table cell ("leeds-" then "t3.12") is joined again.
        text = re.sub(r"-\s+", "-", html.escape("\n".join(page.extract_text() for page in pdf.pages)))
        for code in TemplateItem.objects.values_list("code", flat=True).distinct():
            text = text.replace(code, " ")
        assert machine_text_in(text, slugs, keys) == [], kind
