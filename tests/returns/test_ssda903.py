"""The SSDA903 return derived from the records: a small Leeds caseload recorded through the services
the pages use, each child placed to test one table's inclusion rule for 2025-26, derived, written as
the DfE's CSV files and checked by the DfE's own validator with no errors. Then 2026-27's extra
table (deprivation of liberty orders), the headers of every table against the validator's own, and
a bounded number of queries at two sizes of caseload."""

from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lac_validator.config import column_names

from cases.models import Child, User
from cases.models.children import upn_check_letter
from cases.roles import Role
from cases.services.family import address_add, legal_status_end, legal_status_start
from planning.models import Meeting, Placement
from planning.services.adoption import adoption_step_record
from planning.services.liberty import liberty_order_end, liberty_order_start
from planning.services.looked_after import lac_review_record
from planning.services.missing import missing_episode_end, missing_episode_record
from planning.services.outcomes import care_leaver_contact_record, health_outcome_record
from planning.services.permanence import previous_permanence_record
from planning.services.placements import placement_end, placement_start
from returns.children import la_child_id
from returns.models import ReturnRun
from returns.services import return_run_produce
from returns.ssda903.derive import Row, derive
from returns.ssda903.produce import record_pages
from returns.ssda903.tables import FILE_NAMES, columns_for
from returns.ssda903.validate import CRASH, validate_directory, validate_tables
from returns.ssda903.writer import read_tables, write_tables
from returns.years import CollectionYear
from tests.factories import allocate_new_child
from tests.support import at, looked_after, team_of

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026
NEXT_YEAR = CollectionYear(2027)
LEEDS_ONS = "E08000035"
# Real Leeds postcodes (in the ONS postcode directory the validator reads), so the validator can
# place each placement inside the authority and measure its distance from home.
HOME, FOSTER_HOME, CHILDRENS_HOME, SECOND_FOSTER_HOME, ADOPTERS = "LS1 1AZ", "LS1 1AW", "LS1 1BA", "LS1 1BD", "LS1 1BL"
FOSTERING_URN, HOME_URN = "SC056789", "SC071234"
# Rules of the pinned validator (csc-validator-be-903 0.1.17) that raise on every return instead of
# judging it: 231 reads a Header column UASC_STATUS its own reading of the files never makes (it
# adds UASC), 233 an Episodes column DATE_EPISODE_CEASED (the table's is DEC), 709 and 710 a
# column PLACEMENT (the table's is PLACE), and 706 last year's DoLo table, which no earlier year
# has. Listed exactly, so a new crash, or one of these mended, fails here.
CRASHES = {2026: {"231", "233"}, 2027: {"231", "233", "706", "709", "710"}}
# A rule of the pinned validator that fails rows its own message says are right. SW12STG2 ("if a
# child is looked after on 31 March, all their social worker episodes for the year should be
# reported, even those before they were looked after") fails, for every social worker episode of
# the child, each first episode of a period of care that began before that social worker episode
# did, and each later episode still open at 31 March whatever the social worker episodes are: so
# every child still in care after a move, and every child whose worker was allocated before they
# came into care, is failed. Its findings are pinned row by row, not ignored.
WRONG_RULES = {"SW12STG2"}


def upn(serial: int) -> str:
    """A UPN issued in Leeds (383), with its check letter (CIN rule 1510)."""
    digits = f"38320011{serial:04d}"
    return upn_check_letter(f"?{digits}") + digits


@contextmanager
def on(day: date, hour: int = 17):
    """Record as on the day, as the practitioner would have at the time."""
    with time_machine.travel(at(day, hour), tick=False):
        yield


def into_care(people, case, *, on_day: date, legal_status: str, postcode: str = FOSTER_HOME):
    with on(on_day):
        status = legal_status_start(case=case, kind="lac", legal_status=legal_status, started_on=on_day,
                                    recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        placement = placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6",
                                    carer="The Shaws (foster carers)", started_on=on_day, provider="PR1",
                                    postcode=postcode, urn=FOSTERING_URN)  # fmt: skip
    return status, placement


def leave_care(people, case, status, *, on_day: date, reason: str):
    with on(on_day):
        placement = Placement.objects.get(case=case, ended_on=None)
        placement_end(placement=placement, ended_on=on_day, end_reason=reason, recorded_by=people[Role.SOCIAL_WORKER])
        status.refresh_from_db()
        if status.ended_on is None:
            legal_status_end(status=status, ended_on=on_day, ended_by=people[Role.TEAM_MANAGER])


def review(people, case, *, on_day: date, participation: str):
    with on(on_day):
        lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(on_day, 11),
                          attendees="Child, carers, social worker", summary="The plan meets their needs.",
                          participation=participation)  # fmt: skip


def new_child(people, authority, *, allocated_on: date, **fields) -> Child:
    with on(allocated_on):
        child = allocate_new_child(people, authority, disabilities=["NONE"], **fields)
        address_add(child=child, added_by=people[Role.SOCIAL_WORKER], address="1 Park Row, Leeds",
                    lived_from=fields["date_of_birth"], postcode=HOME)  # fmt: skip
    return child


@pytest.fixture
def caseload(people, leeds):
    """Five Leeds children, each recorded as the pages record them:

    - Amy, in care since January 2024 (so continuously for the year: OC2), moved from foster care
      to a children's home in September 2025, reviewed, missing one night, home again in June 2026
      (after the year, so the 2025-26 return shows her still in care), after a deprivation of
      liberty order in April and May 2026 (2026-27's DoLo table);
    - Ben, an unaccompanied asylum-seeking boy, in care from May to December 2025 (a new period of
      care: previous permanence), whose record is restricted;
    - Cara, who left care at 17 in March 2025 and turned 18 in October 2025 (OC3 only), her
      adviser in touch around that birthday and the next;
    - Dan, placed for adoption in February 2025 and adopted in November 2025 (AD1, PlacedAdoption);
    - Eve, looked after for a year when she was five, long before this one (in no table)."""
    worker = people[Role.SOCIAL_WORKER]
    User.objects.filter(pk=worker.pk).update(swe_registration_number="SW123456")
    amy = new_child(people, leeds, allocated_on=date(2023, 12, 1), first_name="Amy", sex="F", ethnicity="WBRI",
                    date_of_birth=date(2012, 5, 10), upn=upn(1))  # fmt: skip
    amy_case = amy.cases.get()
    amy_status, _ = into_care(people, amy_case, on_day=date(2024, 1, 10), legal_status="C2")
    review(people, amy_case, on_day=date(2025, 6, 2), participation="PN1")
    with on(date(2025, 7, 1), 21):
        missing = missing_episode_record(case=amy_case, recorded_by=worker, kind="M",
                                         started_at=at(date(2025, 7, 1), 21))
    with on(date(2025, 7, 2), 9):
        missing_episode_end(episode=missing, recorded_by=worker, ended_at=at(date(2025, 7, 2), 8))
    with on(date(2025, 9, 1)):
        placement_start(case=amy_case, recorded_by=worker, placement_type="K2", carer="Oak House (children's home)",
                        started_on=date(2025, 9, 1), provider="PR4", postcode=CHILDRENS_HOME, urn=HOME_URN,
                        change_reason="Her foster carers could no longer meet her needs.", move_reason="CARPL")
    with on(date(2026, 2, 1)):
        health_outcome_record(case=amy_case, recorded_by=worker, recorded_on=date(2026, 2, 1), sdq_score=12,
                              sdq_reason="", immunisations_up_to_date=True, teeth_checked=True,
                              health_assessment_up_to_date=True, substance_misuse=False, intervention_received=None,
                              intervention_refused=None, convicted=False)  # fmt: skip
    with on(date(2026, 4, 10)):
        order = liberty_order_start(case=amy_case, started_on=date(2026, 4, 10), recorded_by=worker)
    with on(date(2026, 5, 20)):
        liberty_order_end(order=order, ended_on=date(2026, 5, 20), recorded_by=worker)
    leave_care(people, amy_case, amy_status, on_day=date(2026, 6, 1), reason="E4A")

    ben = new_child(people, leeds, allocated_on=date(2025, 4, 20), first_name="Ben", sex="M", ethnicity="BAFR",
                    date_of_birth=date(2010, 3, 3), upn_unknown="UN2", uasc=True)  # fmt: skip
    ben_case = ben.cases.get()
    ben_status, _ = into_care(people, ben_case, on_day=date(2025, 5, 1), legal_status="V2", postcode=SECOND_FOSTER_HOME)
    with on(date(2025, 5, 2)):
        previous_permanence_record(case=ben_case, code="Z1", recorded_by=worker)
    review(people, ben_case, on_day=date(2025, 5, 20), participation="PN1")
    leave_care(people, ben_case, ben_status, on_day=date(2025, 12, 1), reason="E13")
    Child.objects.filter(pk=ben.pk).update(restricted=True)

    cara = new_child(people, leeds, allocated_on=date(2021, 12, 1), first_name="Cara", sex="F", ethnicity="WBRI",
                     date_of_birth=date(2007, 10, 15), upn=upn(2))  # fmt: skip
    cara_case = cara.cases.get()
    cara_status, _ = into_care(people, cara_case, on_day=date(2022, 1, 1), legal_status="V2")
    leave_care(people, cara_case, cara_status, on_day=date(2025, 3, 1), reason="E5")
    with on(date(2025, 3, 1)):
        legal_status_start(case=cara_case, kind="care_leaver", started_on=date(2025, 3, 1),
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    for contacted, activity in ((date(2025, 10, 20), "F2"), (date(2026, 10, 16), "F5")):
        with on(contacted):
            care_leaver_contact_record(case=cara_case, recorded_by=worker, done_on=contacted,
                                       notes="Settled in her flat.", in_touch="YES", activity=activity,
                                       accommodation="U", accommodation_suitable=True)  # fmt: skip

    dan = new_child(people, leeds, allocated_on=date(2024, 5, 20), first_name="Dan", sex="M", ethnicity="WBRI",
                    date_of_birth=date(2022, 2, 2), upn_unknown="UN1")  # fmt: skip
    dan_case = dan.cases.get()
    into_care(people, dan_case, on_day=date(2024, 6, 1), legal_status="C2")
    for kind, day in (("plan", date(2024, 8, 1)), ("best_interest", date(2024, 9, 1)),
                      ("placement_order", date(2024, 10, 1))):  # fmt: skip
        with on(day):
            # The placement order is his legal status from the day it was granted (E1).
            adoption_step_record(case=dan_case, kind=kind, happened_on=day, recorded_by=worker)
    with on(date(2025, 1, 10)):
        adoption_step_record(case=dan_case, kind="match", happened_on=date(2025, 1, 10), recorded_by=worker,
                             adopters_asked=True, adopters_number=2, adopters_sex="MF", adopters_legal_status="L11",
                             adopters_were_foster_carers=False)  # fmt: skip
    with on(date(2025, 2, 1)):
        adoption_step_record(case=dan_case, kind="placed", happened_on=date(2025, 2, 1), recorded_by=worker,
                             carer="Jo and Sam Patel", provider="PR1", postcode=ADOPTERS, urn=FOSTERING_URN,
                             move_reason="CARPL")  # fmt: skip
    review(people, dan_case, on_day=date(2025, 4, 10), participation="PN0")
    with on(date(2025, 11, 3)):
        adoption_step_record(case=dan_case, kind="hearing", happened_on=date(2025, 11, 3), recorded_by=worker,
                             order_opposed="E11")  # fmt: skip

    eve = new_child(people, leeds, allocated_on=date(2018, 12, 1), first_name="Eve", sex="F", ethnicity="WBRI",
                    date_of_birth=date(2014, 2, 2), upn=upn(3))  # fmt: skip
    eve_case = eve.cases.get()
    eve_status, _ = into_care(people, eve_case, on_day=date(2019, 1, 1), legal_status="V2")
    leave_care(people, eve_case, eve_status, on_day=date(2020, 1, 1), reason="E4A")
    return {"amy": amy, "ben": ben, "cara": cara, "dan": dan, "eve": eve}


def rows_of(tables, name, child) -> list[dict]:
    return [row for row in tables[name] if row["CHILD"] == la_child_id(child)]


def test_each_table_holds_the_children_the_dfe_asks_for(caseload, leeds):
    amy, ben, cara, dan, eve = (caseload[name] for name in ("amy", "ben", "cara", "dan", "eve"))
    with on(date(2025, 5, 1)):
        york_people, york_case = team_of("york")
    with on(date(2025, 6, 1)):
        looked_after(york_people, york_case, on=date(2025, 6, 1))

    tables = derive(authority=leeds, year=YEAR)

    assert list(tables) == ["Header", "Episodes", "Reviews", "UASC", "OC2", "OC3", "AD1", "PlacedAdoption",
                            "PrevPerm", "Missing", "SWEpisodes"]  # fmt: skip
    # Header: every child looked after at some time in the year, and the care leavers of OC3;
    # nobody looked after only before it, nobody from another authority; the restricted child too.
    assert [row["CHILD"] for row in tables["Header"]] == [la_child_id(child) for child in (amy, ben, cara, dan)]
    assert rows_of(tables, "Header", amy) == [{"CHILD": la_child_id(amy), "SEX": "F", "DOB": "10/05/2012",
                                               "ETHNIC": "WBRI", "UPN": amy.upn, "MOTHER": "0", "MC_DOB": ""}]
    assert rows_of(tables, "Header", ben) == [{"CHILD": la_child_id(ben), "SEX": "M", "DOB": "03/03/2010",
                                               "ETHNIC": "BAFR", "UPN": "UN2", "MOTHER": "", "MC_DOB": ""}]
    # A care leaver not looked after in the year is asked nothing about motherhood (rule 628).
    assert rows_of(tables, "Header", cara)[0]["MOTHER"] == ""
    assert not rows_of(tables, "Header", eve)

    # Episodes open at any time in the year; Amy's last is still open at 31 March, though it ended
    # since, and carries no end date or reason in this year's return.
    assert rows_of(tables, "Episodes", amy) == [
        {"CHILD": la_child_id(amy), "DECOM": "10/01/2024", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U6",
         "PLACE_PROVIDER": "PR1", "DEC": "01/09/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL",
         "HOME_POST": HOME, "PL_POST": FOSTER_HOME, "URN": FOSTERING_URN},
        {"CHILD": la_child_id(amy), "DECOM": "01/09/2025", "RNE": "P", "LS": "C2", "CIN": "N1", "PLACE": "K2",
         "PLACE_PROVIDER": "PR4", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "", "HOME_POST": HOME,
         "PL_POST": CHILDRENS_HOME, "URN": HOME_URN},
    ]  # fmt: skip
    assert [(row["DECOM"], row["DEC"], row["REC"]) for row in rows_of(tables, "Episodes", ben)] == [
        ("01/05/2025", "01/12/2025", "E13")]
    # Dan's foster placement ended before the year; his adoptive placement ended with the order.
    assert [(row["DECOM"], row["RNE"], row["LS"], row["PLACE"], row["DEC"], row["REC"])
            for row in rows_of(tables, "Episodes", dan)] == [("01/02/2025", "P", "E1", "A6", "03/11/2025", "E11")]
    assert not rows_of(tables, "Episodes", cara)

    # Reviews held in the year, with the child's participation.
    assert rows_of(tables, "Reviews", amy) == [{"CHILD": la_child_id(amy), "DOB": "10/05/2012",
                                                "REVIEW": "02/06/2025", "REVIEW_CODE": "PN1"}]
    assert [row["REVIEW_CODE"] for row in rows_of(tables, "Reviews", dan)] == ["PN0"]
    # UASC: Ben, still unaccompanied and asylum-seeking (no date it ceased).
    assert tables["UASC"] == [{"CHILD": la_child_id(ben), "SEX": "M", "DOB": "03/03/2010", "DUC": ""}]
    # OC2: only Amy was looked after for the whole year; she is 13, so convictions are asked.
    assert tables["OC2"] == [{"CHILD": la_child_id(amy), "DOB": "10/05/2012", "SDQ_SCORE": "12", "SDQ_REASON": "",
                              "CONVICTED": "0", "HEALTH_CHECK": "", "IMMUNISATIONS": "1", "TEETH_CHECK": "1",
                              "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "",
                              "INTERVENTION_OFFERED": ""}]  # fmt: skip
    # OC3: Cara's 18th birthday fell in the year; the adviser's contact five days after it.
    assert tables["OC3"] == [{"CHILD": la_child_id(cara), "DOB": "15/10/2007", "IN_TOUCH": "YES", "ACTIV": "F2",
                              "ACCOM": "U1"}]  # fmt: skip
    # AD1: adopted in the year, with the decision, the match and the adopters.
    assert tables["AD1"] == [{"CHILD": la_child_id(dan), "DOB": "02/02/2022", "DATE_INT": "01/09/2024",
                              "DATE_MATCH": "10/01/2025", "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF",
                              "LS_ADOPTR": "L11"}]  # fmt: skip
    assert tables["PlacedAdoption"] == [{"CHILD": la_child_id(dan), "DOB": "02/02/2022", "DATE_PLACED": "01/09/2024",
                                         "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""}]  # fmt: skip
    # PrevPerm: asked of the child whose period of care began in the year.
    assert tables["PrevPerm"] == [{"CHILD": la_child_id(ben), "DOB": "03/03/2010", "PREV_PERM": "Z1",
                                   "LA_PERM": "", "DATE_PERM": ""}]  # fmt: skip
    assert tables["Missing"] == [{"CHILD": la_child_id(amy), "DOB": "10/05/2012", "MISSING": "M",
                                  "MIS_START": "01/07/2025", "MIS_END": "02/07/2025"}]  # fmt: skip
    # Social worker episodes open in the year, from the day each worker was allocated, before the
    # child came into care too (the DfE asks for the whole year's).
    assert [(row["CHILD"], row["SW_ID"], row["SW_DECOM"], row["SW_DEC"], row["SW_REASON"])
            for row in tables["SWEpisodes"]] == [
        (la_child_id(amy), "SW123456", "01/12/2023", "", "FCONTA"),
        (la_child_id(ben), "SW123456", "20/04/2025", "", "FCONTA"),
        (la_child_id(dan), "SW123456", "20/05/2024", "", "FCONTA"),
    ]  # fmt: skip


def test_the_written_return_passes_the_dfe_validator(caseload, leeds, tmp_path):
    tables = derive(authority=leeds, year=YEAR)
    written = write_tables(tables=tables, year=YEAR, directory=tmp_path)

    assert sorted(path.name for path in written.values()) == sorted(FILE_NAMES[name] for name in tables)
    header = (tmp_path / "header.csv").read_bytes()
    assert header.startswith(b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n")
    assert b"10/05/2012" in header
    assert read_tables(directory=tmp_path, year=YEAR) == tables

    validation = validate_directory(directory=tmp_path, year=YEAR, local_authority=leeds.ons_code)

    assert [(finding.rule, finding.table, finding.child, finding.message) for finding in validation.errors
            if finding.rule not in WRONG_RULES] == []  # fmt: skip
    # Amy: her first episode began after her worker was allocated; her second is open at 31 March.
    assert [(finding.rule, finding.table, finding.row, finding.child) for finding in validation.errors
            if finding.rule in WRONG_RULES] == [("SW12STG2", "Episodes", 0, la_child_id(caseload["amy"])),
                                                ("SW12STG2", "Episodes", 1, la_child_id(caseload["amy"]))]  # fmt: skip
    assert {finding.rule for finding in validation.crashes} == CRASHES[2026]
    assert validation.rules_run > 300


def test_a_finding_names_the_rule_the_row_the_child_and_the_fields(caseload, leeds):
    tables = derive(authority=leeds, year=YEAR)
    amy = caseload["amy"]
    for row in tables["Header"]:
        if row["CHILD"] == la_child_id(amy):
            row["SEX"] = "U"

    validation = validate_tables(tables=tables, year=YEAR, local_authority=LEEDS_ONS)

    unknown_sex = [finding for finding in validation.errors if finding.rule == "232"]
    assert [(finding.table, finding.row, finding.child, finding.fields) for finding in unknown_sex] == [
        ("Header", 0, la_child_id(amy), ("SEX",))]
    assert "unknown" in unknown_sex[0].message
    crash = next(finding for finding in validation.crashes if finding.rule == "233")
    assert crash.kind == CRASH and "DATE_EPISODE_CEASED" in crash.message and crash.child is None


def test_oc2_gives_the_health_check_of_a_child_under_5_at_31_march(people, leeds):
    """HEALTH_CHECK, as the social worker recorded it, for a child under 5 at 31 March (rule 545);
    blank for a child 5 by then (rule 546), though they were 4 when it was recorded and asked."""
    worker = people[Role.SOCIAL_WORKER]
    children = {}
    for name, born, score, check in (("Fay", date(2022, 6, 1), None, False), ("Gus", date(2021, 3, 15), 10, True)):
        child = new_child(people, leeds, allocated_on=date(2023, 12, 1), first_name=name, sex="M", ethnicity="WBRI",
                          date_of_birth=born, upn_unknown="UN1")  # fmt: skip
        case = child.cases.get()
        into_care(people, case, on_day=date(2024, 1, 10), legal_status="C2")
        with on(date(2026, 2, 1)):
            health_outcome_record(case=case, recorded_by=worker, recorded_on=date(2026, 2, 1), sdq_score=score,
                                  sdq_reason="" if score else "SDQ1", immunisations_up_to_date=True,
                                  teeth_checked=True, health_assessment_up_to_date=True, substance_misuse=False,
                                  intervention_received=None, intervention_refused=None, convicted=False,
                                  health_check=check)  # fmt: skip
        children[name] = child

    tables = derive(authority=leeds, year=YEAR)

    assert [row["HEALTH_CHECK"] for row in rows_of(tables, "OC2", children["Fay"])] == ["0"]
    assert [row["HEALTH_CHECK"] for row in rows_of(tables, "OC2", children["Gus"])] == [""]
    validation = validate_tables(tables=tables, year=YEAR, local_authority=LEEDS_ONS)
    assert [finding for finding in validation.errors if finding.rule in ("545", "546")] == []


def test_2026_27_adds_deprivation_of_liberty_orders(caseload, leeds, tmp_path):
    tables = derive(authority=leeds, year=NEXT_YEAR)

    assert tables["DoLo"] == [{"CHILD": la_child_id(caseload["amy"]), "DOB": "10/05/2012",
                               "DOLO_START": "10/04/2026", "DOLO_END": "20/05/2026"}]  # fmt: skip
    # Amy left care in June 2026: the year's return now carries her last episode's end.
    assert [(row["DEC"], row["REC"]) for row in rows_of(tables, "Episodes", caseload["amy"])] == [("01/06/2026", "E4A")]
    assert "DoLo" not in derive(authority=leeds, year=YEAR)
    write_tables(tables=tables, year=NEXT_YEAR, directory=tmp_path)
    validation = validate_directory(directory=tmp_path, year=NEXT_YEAR, local_authority=leeds.ons_code)
    assert [(finding.rule, finding.table, finding.child, finding.message) for finding in validation.errors] == []
    assert {finding.rule for finding in validation.crashes} == CRASHES[2027]
    # With last year's return too, the rules comparing the two years run and pass, but for two
    # that say themselves they can only see those two years: Cara left care before either, so
    # 1001 and 1002 cannot find the care that makes her a care leaver.
    with_last_year = validate_tables(tables=tables, year=NEXT_YEAR, local_authority=LEEDS_ONS,
                                     previous=derive(authority=leeds, year=YEAR))  # fmt: skip
    cara = la_child_id(caseload["cara"])
    assert [(finding.rule, finding.table, finding.row, finding.child) for finding in with_last_year.errors] == [
        ("1001", "OC3", 0, cara), ("1002", "OC3", 0, cara)]
    assert {finding.rule for finding in with_last_year.crashes} == CRASHES[2027]
    # Cara's 19th birthday fell in this year, the adviser in touch the day after it.
    assert tables["OC3"] == [{"CHILD": la_child_id(caseload["cara"]), "DOB": "15/10/2007", "IN_TOUCH": "YES",
                              "ACTIV": "F5", "ACCOM": "U1"}]  # fmt: skip


@pytest.mark.parametrize("ending", [2026, 2027])
def test_every_table_has_the_validators_own_headers(ending):
    assert {name: list(headers) for name, headers in columns_for(CollectionYear(ending)).items()} == {
        name: headers for name, headers in column_names.items() if name != "DoLo" or ending >= 2027}


def queries_to_derive(authority) -> int:
    with CaptureQueriesContext(connection) as queries:
        derive(authority=authority, year=YEAR)
    return len(queries)


def test_deriving_takes_a_bounded_number_of_queries(people, leeds):
    def more_in_care(count: int, first_serial: int) -> None:
        for serial in range(first_serial, first_serial + count):
            child = new_child(people, leeds, allocated_on=date(2025, 4, 1), first_name=f"Child{serial}", sex="F",
                              ethnicity="WBRI", date_of_birth=date(2014, 1, 1), upn=upn(serial))  # fmt: skip
            into_care(people, child.cases.get(), on_day=date(2025, 4, 10), legal_status="C2")

    more_in_care(2, 10)
    fewer = queries_to_derive(leeds)
    more_in_care(6, 20)
    more = queries_to_derive(leeds)

    assert fewer == more <= 14
    # Chunked (here three children at a time), the rows are the same.
    assert derive(authority=leeds, year=YEAR, chunk_size=3) == derive(authority=leeds, year=YEAR)


def test_a_finding_leads_to_the_page_of_the_record_its_row_came_from(caseload, leeds, people, client):
    amy, ben = caseload["amy"], caseload["ben"]
    # Reviews recorded before the return asked how the child took part: the DfE's rule 167 fails them.
    Meeting.objects.filter(child__in=[amy, ben], kind=Meeting.Kind.LAC_REVIEW).update(participation="")
    amy_review = Meeting.objects.get(child=amy, kind=Meeting.Kind.LAC_REVIEW)
    foster, home = Placement.objects.filter(child=amy).order_by("started_on")
    officer = people[Role.DATA_OFFICER]
    run = ReturnRun.objects.create(authority=leeds, kind="ssda903", year_ending=YEAR.ending, requested_by=officer)

    run = return_run_produce(run_id=run.pk)

    assert run.status == "done"
    about_amy = {(finding["rule"], finding["table"], finding["row"]): finding["record"] for finding in run.findings
                 if finding["child_id"] == amy.pk}  # fmt: skip
    # Her two episodes (SW12STG2, pinned above), each spent in its own placement.
    assert about_amy[("SW12STG2", "Episodes", 0)] == ["placement-correct", foster.pk, "the placement's details"]
    assert about_amy[("SW12STG2", "Episodes", 1)] == ["placement-correct", home.pk, "the placement's details"]
    assert about_amy[("167", "Reviews", 0)] == ["meeting-participation", amy_review.pk,
                                                "the child's participation in the review"]  # fmt: skip
    client.force_login(officer)
    page = client.get(f"/returns/runs/{run.pk}/").content.decode()
    assert f'href="/placements/{home.pk}/correct/">open the placement&#x27;s details</a>' in page
    assert f'href="/meetings/{amy_review.pk}/participation/">open the child&#x27;s participation' in page
    # Ben's record is restricted and the officer is not named on it: his finding shows neither his
    # name nor the way to his review.
    ben_review = Meeting.objects.get(child=ben, kind=Meeting.Kind.LAC_REVIEW)
    assert any(finding["rule"] == "167" and finding["child_id"] == ben.pk and finding["record"][:2] == [
        "meeting-participation", ben_review.pk] for finding in run.findings)  # fmt: skip
    assert "A restricted record" in page and "Ben" not in page
    assert f"/meetings/{ben_review.pk}/" not in page and f"/children/{ben.pk}/" not in page


def test_a_row_whose_record_has_no_page_of_its_own_leaves_the_finding_on_the_tab():
    back, still_missing = SimpleNamespace(pk=7, is_open=False), SimpleNamespace(pk=8, is_open=True)
    ended, in_force = SimpleNamespace(pk=3, ended_on=date(2025, 5, 1)), SimpleNamespace(pk=4, ended_on=None)
    tables = {"Missing": [Row({"CHILD": "1"}, back), Row({"CHILD": "1"}, still_missing)],
              "DoLo": [Row({"CHILD": "1"}, ended), Row({"CHILD": "1"}, in_force)],
              "PrevPerm": [Row({"CHILD": "1"}, SimpleNamespace(pk=9))], "Header": [{"CHILD": "1"}]}  # fmt: skip

    assert record_pages(tables) == {("Missing", 1): ("missing-episode-end", 8, "the missing episode"),
                                    ("DoLo", 1): ("liberty-order-end", 4, "the deprivation of liberty order")}
