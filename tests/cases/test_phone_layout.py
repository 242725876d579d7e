"""What a phone relies on, checked without a browser: every table cell names its column (the
stylesheet stacks tables below 641 px), the record's sections fold into one menu, and the child's
overview leads with what the worker does next. tests/e2e/test_phone_widths.py measures the pages."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from cases.models import Case, Deadline
from cases.roles import Role
from cases.table_labels import label_cells
from tests import clock
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

TABLE = """<table class="govuk-table"><caption class="govuk-table__caption">Caseload</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Child</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Next <abbr>visit</abbr> &amp; "due"</th>
<th scope="col" class="govuk-table__header" colspan="2">Who</th>
<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
</tr></thead>
<tbody class="govuk-table__body">
<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Ann</th>
<td class="govuk-table__cell">1 Dec</td>
<td class="govuk-table__cell">Sam</td><td class="govuk-table__cell" data-label="Team">Duty</td>
<td class="govuk-table__cell"><a href="/x/">Change</a></td></tr>
</tbody></table>"""


def cells(html):
    return re.findall(r"<(?:td|th) ([^>]*)>", html)


def test_each_cell_is_labelled_with_its_columns_header():
    body = cells(label_cells(TABLE).split("<tbody")[1])
    assert body == [
        'scope="row" class="govuk-table__header" data-label="Child"',
        'class="govuk-table__cell" data-label="Next visit &amp; &quot;due&quot;"',
        'class="govuk-table__cell" data-label="Who"',
        # A label the template wrote itself is kept; a column a sighted reader is not shown labels nothing.
        'class="govuk-table__cell" data-label="Team"',
        'class="govuk-table__cell"',
    ]


def test_the_header_row_and_other_markup_are_untouched():
    labelled = label_cells("<p>Before</p>" + TABLE + "<table><tr><td>Not ours</td></tr></table>")
    assert labelled.split("<tbody")[0] == ("<p>Before</p>" + TABLE).split("<tbody")[0]
    assert labelled.endswith("<table><tr><td>Not ours</td></tr></table>")
    headless = '<table class="govuk-table"><tr><th scope="row">Name</th><td>Ann</td></tr></table>'
    assert label_cells(headless) == headless


def test_my_works_caseload_cells_carry_their_column_names(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get("/").content.decode()
    caseload = body[body.index('id="caseload"'):body.index("</table>", body.index('id="caseload"'))]
    labels = re.findall(r'<td [^>]*data-label="([^"]+)"', caseload)
    assert labels == ["Child", "Status", "Next deadline", "Overdue"]


def test_the_records_sections_are_tabs_and_a_menu_naming_the_current_one(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/children/{allocated.pk}/family/").content.decode()
    assert 'class="moj-sub-navigation casework-record-tabs"' in body
    menu = body[body.index('class="casework-record-menu"'):]
    assert "Sections of this record: Family, network and professionals</span></summary>" in menu
    assert menu.count('aria-current="page"') == 1


def visit_due(case, *, days):
    return Deadline.objects.create(
        authority_id=case.authority_id, team=case.team, assignee=case.worker, child=case.child, case=case,
        subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk, key="cin_visit_interval",
        anchor_at=clock.DEFAULT, due_at=clock.DEFAULT + timedelta(days=days), rule="10 working_days",
        explanation="Every 10 working days while the child is in need",
    )  # fmt: skip


def test_the_overview_leads_with_recording_a_visit_and_ends_with_closing_the_case(client, people, case):
    visit_due(case, days=3)
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/children/{case.child_id}/").content.decode()
    main = body[body.index('id="main-content"'):]
    record = main.index(f'href="/children/{case.child_id}/visits/new/">Record a visit</a>')
    assert record < main.index("Next visit due") < main.index('id="overdue"') < main.index("Latest in the chronology")
    assert main.index("Latest in the chronology") < main.index("Referrals") < main.index(">Close the case</a>")
    assert "Mon 23 Nov 2026" in main[main.index('id="next-visit"'):main.index('id="overdue"')]
    assert "govuk-button--warning" not in main


def test_an_overdue_visit_is_named_overdue_first(client, people, case):
    visit_due(case, days=-2)
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/children/{case.child_id}/").content.decode()
    next_visit = body[body.index('id="next-visit"'):body.index('id="overdue"')]
    assert "Wed 18 Nov 2026" in next_visit and "Overdue" in next_visit
    assert "Next child in need visit due by Wed 18 Nov" in body[body.index('id="overdue"'):]


@pytest.mark.parametrize("role", sorted(SEES_CHILDREN))
def test_record_a_visit_is_offered_to_whoever_may_record_one(client, people, case, role):
    client.force_login(people[role])
    body = client.get(f"/children/{case.child_id}/").content.decode()
    offered = "Record a visit</a>" in body
    may_record = client.get(f"/children/{case.child_id}/visits/new/").status_code == 200
    assert offered == may_record
