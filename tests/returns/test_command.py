"""`manage.py returns`: the command line is a contract (scripts and runbooks use its exact words):
exit 0 on success, 1 when the DfE's rules find an error, 2 on bad arguments with a one-line reason."""

import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command

from returns.cin.writer import schema_problems
from returns.years import CollectionYear
from tests.factories import AuthorityFactory
from tests.returns.cin_world import world

pytestmark = pytest.mark.django_db


def run(*words, capsys) -> tuple[int, str, str]:
    try:
        call_command("returns", *words)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    printed = capsys.readouterr()
    return code, printed.out, printed.err


@pytest.fixture
def york(timescales_loaded):
    york = world("york")
    case = york.referral(york.child(first_name="Ava"), date(2025, 6, 2)).case
    york.assessment(case, date(2025, 6, 3), date(2025, 7, 14))
    return york


def test_export_cin_writes_the_census_and_checks_it(york, tmp_path, capsys):
    target = tmp_path / "cin.xml"
    code, out, _ = run("export", "cin", "york", "2026", "--output", str(target), capsys=capsys)
    assert code == 0, out
    assert schema_problems(target.read_bytes(), CollectionYear(2026)) == []
    assert b"<LEA>816</LEA>" in target.read_bytes() and "0 errors" in out.splitlines()[-1]
    code, out, _ = run("validate", "cin", str(target), capsys=capsys)
    assert code == 0 and "as the 2025-26 CIN census" in out


def test_validate_cin_exits_1_naming_each_error(york, tmp_path, capsys):
    target = tmp_path / "cin.xml"
    run("export", "cin", "york", "2026", "--output", str(target), capsys=capsys)
    broken = target.read_bytes().replace(b"<ReferralSource>2A</ReferralSource>", b"<ReferralSource>ZZ</ReferralSource>")
    target.write_bytes(broken)
    code, out, _ = run("validate", "cin", str(target), capsys=capsys)
    assert code == 1
    assert "Error Schema" in out and "ReferralSource" in out and out.splitlines()[-1].startswith("1 error")


@pytest.mark.parametrize("words, reason", [
    (("export", "cin", "narnia", "2026", "--output", "{tmp}/x.xml"), "There is no authority called 'narnia'"),
    (("export", "cin", "york", "2019", "--output", "{tmp}/x.xml"), "not 2019"),
    (("export", "cin", "york", "last", "--output", "{tmp}/x.xml"), "The year must be a number"),
    (("export", "cin", "york", "2026", "--output", "{tmp}/nowhere/x.xml"), "There is no directory"),
    (("validate", "cin", "{tmp}/missing.xml"), "There is no file"),
    (("validate", "ssda903", "{tmp}", "2026"), "holds no CSV file"),
    (("export", "cin", "unconfigured", "2026", "--output", "{tmp}/x.xml"), "no DfE LA number"),
])  # fmt: skip
def test_bad_arguments_exit_2_with_a_one_line_reason(york, tmp_path, capsys, words, reason):
    AuthorityFactory(slug="unconfigured", la_number="")
    code, _, err = run(*[word.replace("{tmp}", str(tmp_path)) for word in words], capsys=capsys)
    assert code == 2 and reason in err and len(err.strip().splitlines()) == 1


def test_a_file_that_is_not_xml_is_a_bad_argument(york, tmp_path, capsys):
    target = tmp_path / "notes.xml"
    target.write_text("Dear DfE,")
    code, _, err = run("validate", "cin", str(target), capsys=capsys)
    assert code == 2 and "is not a CIN census XML file" in err


def test_an_unknown_or_missing_word_exits_2_from_the_shell():
    """argparse's own refusals, as a script sees them: a real process, exit status 2."""
    for words in (["send", "cin"], ["export", "cin", "york"]):
        finished = subprocess.run([sys.executable, "manage.py", "returns", *words], capture_output=True, text=True,
                                  cwd=settings.BASE_DIR, timeout=120, check=False)  # fmt: skip
        assert finished.returncode == 2, finished.stderr
        assert "error:" in finished.stderr.splitlines()[-1]


def test_export_ssda903_writes_one_csv_per_table_and_checks_them(york, tmp_path, capsys):
    from tests.support import looked_after

    with_case = york.referral(york.child(first_name="Ben", sex="M"), date(2025, 9, 1)).case
    import time_machine

    from tests.returns.cin_world import moment

    with time_machine.travel(moment(date(2025, 9, 2)), tick=False):
        looked_after(york.people, with_case, on=date(2025, 9, 2))
    target = tmp_path / "ssda903"
    code, out, _ = run("export", "ssda903", "york", "2026", "--output", str(target), capsys=capsys)
    assert sorted(path.name for path in target.iterdir())[:3] == ["ad1.csv", "dolo.csv", "episodes.csv"] or \
        {"header.csv", "episodes.csv"} <= {path.name for path in target.iterdir()}
    header = (target / "header.csv").read_text().splitlines()
    assert header[0].startswith("CHILD,SEX,DOB") and len(header) == 2
    assert "/09/2025" in (target / "episodes.csv").read_text()
    assert code in (0, 1) and out.splitlines()[-1].count("error")
    code_again, out_again, _ = run("validate", "ssda903", str(target), "2026", "--authority", "york", capsys=capsys)
    assert (code_again, out_again.splitlines()[-1]) == (code, out.splitlines()[-1])


def test_import_brings_a_past_census_in_once_and_refuses_a_broken_one(timescales_loaded, tmp_path, capsys):
    from cases.models import Child
    from tests.returns.test_cin_import import FIXTURES

    clean = FIXTURES / "cin_2025_26_front_door.xml"
    code, out, _ = run("import", "york", "--cin", str(clean), capsys=capsys)
    assert code == 0 and "children added" in out
    imported = Child.objects.filter(authority__slug="york").count()
    assert imported > 0
    code, out, _ = run("import", "york", "--cin", str(clean), capsys=capsys)
    assert code == 0 and "nothing changed" in out and Child.objects.filter(authority__slug="york").count() == imported

    code, out, _ = run("import", "york", "--cin", str(FIXTURES / "cin_2025_26_rule_error.xml"), capsys=capsys)
    assert code == 1 and "Refused: Line" in out and "Nothing was imported" in out
    assert Child.objects.filter(authority__slug="york").count() == imported


def test_import_brings_a_past_ssda903_in_once(timescales_loaded, capsys):
    from cases.models import Child
    from tests.returns.test_ssda903_import import RETURNS

    code, out, _ = run("import", "leeds", "--ssda903", str(RETURNS[2026]), capsys=capsys)
    assert code == 0 and "7 children added" in out and "11 episodes added" in out
    code, out, _ = run("import", "leeds", "--ssda903", str(RETURNS[2026]), "--year", "2026", capsys=capsys)
    assert code == 0 and "nothing changed" in out and Child.objects.filter(authority__slug="leeds").count() == 7
    code, _, err = run("import", "leeds", "--ssda903", str(RETURNS[2026]), "--year", "2019", capsys=capsys)
    assert code == 2 and "not 2019" in err


def test_both_returns_are_imported_together_or_not_at_all(timescales_loaded, tmp_path, capsys):
    from cases.models import Child
    from tests.returns.test_cin_import import FIXTURES

    (tmp_path / "episodes.csv").write_text("CHILD,DECOM\r\nA,01/01/2026\r\n")
    code, out, _ = run("import", "york", "--cin", str(FIXTURES / "cin_2025_26_front_door.xml"), "--ssda903",
                       str(tmp_path), capsys=capsys)  # fmt: skip
    assert code == 1 and "Refused: episodes.csv, line 1: The file is not one of the SSDA903 tables" in out
    assert "Nothing was imported" in out and not Child.objects.filter(authority__slug="york").exists()


@pytest.mark.parametrize("words, reason", [
    (("import", "york"), "Give a return to import: --cin FILE.xml, --ssda903 DIR or both"),
    (("import", "york", "--cin", "{tmp}/none.xml"), "There is no file"),
    (("import", "york", "--ssda903", "{tmp}/none"), "There is no directory"),
    (("import", "narnia", "--cin", "{tmp}/none.xml"), "There is no authority called 'narnia'"),
])  # fmt: skip
def test_import_s_bad_arguments_exit_2(timescales_loaded, tmp_path, capsys, words, reason):
    code, _, err = run(*[word.replace("{tmp}", str(tmp_path)) for word in words], capsys=capsys)
    assert code == 2 and reason in err
