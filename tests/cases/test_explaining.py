"""Every deadline in one plain sentence (cases/explaining.py), the working behind "How this date was
worked out", and the words they are built from: names, descriptions, citations and anchors in the
authority files."""

import re
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from cases.explaining import how_worked_out, reason_for
from cases.models import Authority, Deadline
from cases.roles import Role
from cases.rules.citations import plain_citation, plain_note
from cases.rules.config import ConfigError, load_file, parse
from cases.rules.timescales import STAGES
from cases.rules.words import ANCHORS
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_add_note, deadline_open, deadline_open_agreed
from cases.services.timescales import timescale_change
from tests.clock import LONDON
from tests.factories import TeamFactory, staff
from tests.plain_english import machine_text_in
from tests.support import on_plan, team_of

pytestmark = pytest.mark.django_db

AUTHORITIES = Path(__file__).resolve().parents[2] / "config" / "authorities"
SLUGS = ["barnet", "england", "leeds", "st-helens", "wiltshire", "york"]
MACHINE = re.compile(r"\bL\d|\.md\b|\.txt\b|\.toml\b|§|landscape|timescales\.md|seeds/")


def opened(slug: str, key: str, start, conditions=()) -> Deadline:
    authority = Authority.objects.get(slug=slug)
    return deadline_open(authority=authority, key=key, subject=TeamFactory(authority=authority), start=start,
                         conditions=conditions)  # fmt: skip


def at(day: int, month: int, year: int = 2026, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# --- the sentence ------------------------------------------------------------------------------------


def test_the_issues_own_example(timescales_loaded):
    deadline = opened("york", "cp_visit_interval", at(19, 11))
    assert reason_for(deadline) == (
        "Next child protection visit due by Thu 17 Dec: City of York Council visits every 20 working days, counted "
        "from the last visit on Thu 19 Nov (skipping no holidays).")


def test_working_days_across_the_bank_holidays_name_the_days_skipped(timescales_loaded):
    deadline = opened("leeds", "icpc", at(14, 12))
    assert reason_for(deadline) == (
        "Initial child protection conference due by Thu 7 Jan 2027: Leeds City Council allows 15 working days, "
        "counted from the strategy discussion on Mon 14 Dec (skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan 2027).")


def test_hours_are_told_to_the_minute(timescales_loaded):
    deadline = opened("york", "assessment_allocation", at(24, 12, hour=10, minute=15))
    assert reason_for(deadline) == (
        "Assessment allocation due by 10:15 on Fri 25 Dec: City of York Council allows 24 hours, counted from the "
        "decision on the referral at 10:15 on Thu 24 Dec.")


def test_hours_from_a_day_with_no_time_end_at_the_end_of_a_day(timescales_loaded):
    deadline = opened("york", "assessment_allocation", date(2026, 12, 24))
    assert reason_for(deadline) == (
        "Assessment allocation due by the end of Thu 24 Dec: City of York Council allows 24 hours, counted from the "
        "decision on the referral on Thu 24 Dec.")


def test_months_say_when_the_month_is_too_short(timescales_loaded):
    deadline = opened("york", "rcpc_interval", at(31, 8))
    assert reason_for(deadline) == (
        "Next review child protection conference due by Sun 28 Feb 2027: City of York Council expects one every "
        "6 months, counted from the review child protection conference on Mon 31 Aug (February has no 31st, so the "
        "last day of the month).")


def test_a_before_rule_counts_back_from_the_meeting(timescales_loaded):
    deadline = opened("york", "icpc_report_to_family", at(31, 12))
    assert reason_for(deadline) == (
        "Conference report shared with the family due by Thu 24 Dec: City of York Council expects it 3 working days "
        "before the initial child protection conference on Thu 31 Dec (skipping Fri 25 Dec and Mon 28 Dec).")


def test_a_condition_is_said_in_words(timescales_loaded):
    deadline = opened("wiltshire", "contact_decision", at(24, 12, hour=15, minute=30), conditions=("cp_referral",))
    assert reason_for(deadline) == ("Decision on a contact due by 17:30 on Thu 24 Dec: Wiltshire Council allows "
                                    "2 hours, counted from the contact coming in at 15:30 on Thu 24 Dec, because it is "
                                    "a child-protection referral.")  # fmt: skip


def test_the_statutory_floor_is_said_plainly(timescales_loaded):
    york = Authority.objects.get(slug="york")
    timescale_change(authority=york, key="icpc", duration="20 working_days", effective_from=date(2026, 1, 1),
                     reason="A test of the floor", changed_by=staff(Role.AUTHORITY_ADMIN, authority=york))  # fmt: skip
    deadline = opened("york", "icpc", at(14, 12))
    assert deadline.statutory_floor_applied
    assert reason_for(deadline) == (
        "Initial child protection conference due by Thu 7 Jan 2027: the law allows 15 working days, counted from the "
        "strategy discussion on Mon 14 Dec (skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan 2027), sooner than "
        "City of York Council's own 20 working days.")
    worked = how_worked_out(deadline)
    assert worked.floor_citation == "Working Together to Safeguard Children"
    assert "The law sets an earlier date, which applies: 15 working days" in worked.arithmetic


def test_a_national_value_is_the_laws_not_the_authoritys(timescales_loaded):
    deadline = opened("barnet", "assessment_completion", at(14, 12))
    assert reason_for(deadline).startswith("Assessment completion due by Thu 18 Feb 2027: the law allows "
                                           "45 working days, counted from the referral on Mon 14 Dec")  # fmt: skip
    worked = how_worked_out(deadline)
    assert worked.inherited and worked.config_file == "config/authorities/england.toml"
    assert worked.authority == "London Borough of Barnet"


def test_a_first_visit_counts_from_the_start_of_the_status_not_a_last_visit(timescales_loaded):
    people, case = team_of("york")
    on_plan(people, case, kind="cin")  # today, Fri 20 Nov
    first = Deadline.objects.get(case=case, key="cin_visit_interval", status="open")
    assert first.counted_from == "cin_decision"
    assert reason_for(first) == (
        "Next child in need visit due by Fri 18 Dec: City of York Council visits every 20 working days, counted "
        "from the decision that the child is in need on Fri 20 Nov (skipping no holidays).")


def test_an_agreed_date_and_a_note_added_later(timescales_loaded):
    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york)
    deadline = deadline_open_agreed(authority=york, key="visit_action", subject=team, due_on=date(2026, 12, 2),
                                    what="Action from the visit on Thu 19 Nov 2026: Call the school",
                                    agreed_at=at(19, 11))  # fmt: skip
    deadline = deadline_add_note(deadline=deadline, note="A visit on Mon 23 Nov 2026 did not meet this deadline.")
    assert reason_for(deadline) == ("Action from the visit on Thu 19 Nov 2026: Call the school: agreed on "
                                    "Thu 19 Nov 2026, due by the end of Wed 2 Dec 2026.")  # fmt: skip
    worked = how_worked_out(deadline)
    assert worked.notes == ["A visit on Mon 23 Nov 2026 did not meet this deadline."] and worked.config_file == ""


def test_how_it_was_worked_out_names_the_rule_the_authority_its_file_and_the_citation(timescales_loaded):
    worked = how_worked_out(opened("york", "cp_visit_interval", at(14, 12)))
    assert worked.rule_key == "cp_visit_interval" and worked.authority == "City of York Council"
    assert worked.config_file == "config/authorities/york.toml" and not worked.inherited
    assert worked.citation == "Standard 4, CP visits"
    assert worked.arithmetic == ("20 working days from Mon 14 Dec 2026, skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan: "
                                 "due end of Thu 14 Jan 2027.")  # fmt: skip


def test_neither_shows_the_developers_source(timescales_loaded):
    deadline = opened("york", "cp_visit_interval", at(14, 12))
    assert "L570" in deadline.explanation  # the ledger keeps the developer's source
    worked = how_worked_out(deadline)
    assert not MACHINE.search(reason_for(deadline))
    assert not MACHINE.search(" ".join([worked.citation, worked.arithmetic]))


# --- on a page ---------------------------------------------------------------------------------------

INCLUDE = Template('{% for deadline in deadlines %}{% include "includes/deadline_reason.html" %}{% endfor %}')


def rendered(deadlines, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return INCLUDE.render(Context({"deadlines": deadlines, "request": request}))


def test_the_include_shows_the_sentence_and_keeps_the_working_behind_the_disclosure(timescales_loaded):
    york = Authority.objects.get(slug="york")
    deadline = opened("york", "cp_visit_interval", at(14, 12))
    html = rendered([deadline], staff(Role.SOCIAL_WORKER, authority=york))
    assert reason_for(deadline) in html
    assert '<details class="govuk-details casework-how-worked-out' in html and "How this date was worked out" in html
    disclosure = html[html.index("<details"):]
    assert "cp_visit_interval" in disclosure and "config/authorities/york.toml" in disclosure
    assert "Standard 4, CP visits" in disclosure and "skipping Fri 25 Dec" in disclosure
    assert machine_text_in(html, SLUGS, policy_for("york").all_keys()) == []


@pytest.mark.parametrize("rows", [2, 12])
def test_a_list_of_deadlines_asks_the_database_nothing_more(timescales_loaded, django_assert_num_queries, rows):
    york = Authority.objects.get(slug="york")
    user = staff(Role.SOCIAL_WORKER, authority=york)
    team = TeamFactory(authority=york)
    for day in range(rows):
        deadline_open(authority=york, key="cp_visit_interval", subject=team, start=at(1 + day, 12))
    deadlines = list(Deadline.objects.filter(authority=york))  # as a page's selector reads them: no authority
    user.authority  # noqa: B018 (the signed-in reader's authority, which every page has already loaded)
    with django_assert_num_queries(0):
        html = rendered(deadlines, user)
    assert html.count("How this date was worked out") == rows


# --- the words in the files --------------------------------------------------------------------------


def shipped():
    return {path.stem: tomllib.loads(path.read_text()) for path in sorted(AUTHORITIES.glob("*.toml"))}


def test_every_key_of_the_catalogue_has_a_name_a_description_and_a_stage():
    catalogue = shipped()["england"]["timescales"]
    for key, entry in catalogue.items():
        name, description = entry.get("name", ""), entry.get("description", "")
        assert name and len(name) <= 70 and name[0].isupper() and not name.endswith("."), key
        assert description.endswith(".") and description.count(". ") == 0 and len(description) <= 120, key
        assert entry.get("stage") in STAGES, key
        assert key not in name and key not in description, key
    names = [entry["name"] for entry in catalogue.values()]
    assert len(names) == len(set(names)), "two timescales share a name"


def test_every_timescale_of_every_authority_has_a_citation_a_reader_may_see():
    england = load_file(AUTHORITIES / "england.toml")
    for slug in SLUGS:
        config = load_file(AUTHORITIES / f"{slug}.toml")
        for key, timescale in config.timescales.items():
            assert timescale.citation and not MACHINE.search(timescale.citation), (slug, key, timescale.citation)
            for variant in timescale.variants:
                assert variant.citation and not MACHINE.search(variant.citation), (slug, key, variant.citation)
    assert england.timescales["cp_visit_interval"].source.startswith("Common practice")  # sources are kept as written


def test_every_anchor_in_the_files_has_words():
    anchors = set()
    for data in shipped().values():
        for entry in data["timescales"].values():
            anchors |= {entry.get("anchor"), (entry.get("phase") or {}).get("anchor")} - {None}
    assert anchors <= ANCHORS.keys(), anchors - ANCHORS.keys()


@pytest.mark.parametrize(
    ("source", "citation"),
    [
        ("Standards 2 and 3, assessment allocation, L310–311", "Standards 2 and 3, assessment allocation"),
        ("Working Together to Safeguard Children (landscape.md §D 'Decision on a referral')",
         "Working Together to Safeguard Children"),
        ("Working Together to Safeguard Children (landscape.md §D 'Child & family (single) assessment')",
         "Working Together to Safeguard Children"),
        ("CPPCR 2010 reg 28(4) (landscape.md §D 'reg 28(4)')",
         "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28(4)"),
        ("Practice standard 9.9 CP planning, first core group, L2514–2516 (restated L2529–2533)",
         "Practice standard 9.9 CP planning, first core group"),
        ("Practice standard 9.4 Initial contacts (MASH), L1592", "Practice standard 9.4 Initial contacts (MASH)"),
        ("Quality Standards §2.4, L40; §2.2, L36", "Quality Standards, section 2.4; section 2.2"),
        ("Practice Standards Manual, Section 4, core group meetings, L3571–3572; chair responsibilities, L3507–3511",
         "Practice Standards Manual, Section 4, core group meetings; chair responsibilities"),
        ("No national timescale (landscape.md §D silent)", "No national timescale"),
    ],
)  # fmt: skip
def test_a_citation_is_the_source_without_line_numbers_or_reference_files(source, citation):
    assert plain_citation(source) == citation


def test_a_source_of_line_numbers_alone_is_cited_by_the_document():
    assert plain_citation("L1120–1122", "Practice standards") == "Practice standards"


def test_a_note_loses_its_line_references():
    assert plain_note("Stricter than the general 7 working day rule (L1484).") == (
        "Stricter than the general 7 working day rule.")
    assert plain_note("More often where complex (no figure, L422–423).") == "More often where complex."
    assert plain_note("Inferred from clues (seed-003_quality_standards.md §1.1).") == "Inferred from clues."


def test_a_file_may_write_its_own_citation_and_a_stage_must_be_one_of_the_stages():
    data = {"authority": {"slug": "york", "name": "York", "effective_from": date(2019, 1, 1)},
            "timescales": {"icpc": {"duration": "15 working_days", "source": "Standard 4, L483",
                                    "citation": "Standard 4, conferences"}}}  # fmt: skip
    assert parse(data, "york.toml").timescales["icpc"].citation == "Standard 4, conferences"
    data["timescales"]["icpc"]["stage"] = "court"
    with pytest.raises(ConfigError, match="stage 'court' is not one of"):
        parse(data, "york.toml")
