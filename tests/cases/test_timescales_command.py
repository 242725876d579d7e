"""The stable command-line contract: `timescales due` and `timescales show`."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.workers import database_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    out = StringIO()
    call_command("timescales", *args, stdout=out)
    return out.getvalue()


def test_due_plain_prints_the_moment_then_the_explanation(timescales_loaded):
    lines = run("due", "leeds", "icpc", "2026-12-10").splitlines()
    assert lines[0] == "2027-01-05T23:59:59+00:00"
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in lines[1]


def test_due_json_has_the_contract_fields(timescales_loaded):
    payload = json.loads(run("due", "wiltshire", "strategy_discussion", "2026-12-24T16:00", "--json"))
    for field in ("authority", "key", "start", "due", "due_date", "unit", "amount", "rule", "condition",
                  "source", "explanation"):  # fmt: skip
        assert field in payload, field
    assert payload["due_date"] == "2026-12-31"
    assert payload["unit"] == "working_days" and payload["amount"] == 3
    assert payload["condition"] is None


def test_due_with_a_condition_applies_the_variant(timescales_loaded):
    payload = json.loads(
        run(
            "due",
            "wiltshire",
            "strategy_discussion",
            "2026-12-24T16:00",
            "--condition",
            "serious_risk",
            "--json",
        )
    )
    assert payload["due_date"] == "2026-12-24"
    assert payload["condition"] == "serious_risk"


def test_a_value_set_only_for_a_condition_needs_that_condition(timescales_loaded, capsys):
    # Barnet gives no general supervision interval, only fortnightly for newly qualified workers (E16).
    payload = json.loads(run("due", "barnet", "supervision_interval", "2026-12-18", "--condition", "newly_qualified",
                             "--json"))
    assert payload["due_date"] == "2027-01-01" and payload["condition"] == "newly_qualified"
    with pytest.raises(SystemExit) as exit_info:
        call_command("timescales", "due", "barnet", "supervision_interval", "2026-12-18", stdout=StringIO())
    assert exit_info.value.code == 2
    assert "no value for barnet unless newly_qualified" in capsys.readouterr().err


def test_statutory_floor_shows_both_dates(timescales_loaded):
    payload = json.loads(run("due", "barnet", "lac_first_visit", "2026-12-24T18:00", "--json"))
    assert payload["due_date"] == "2026-12-31"
    assert payload["statutory_floor_applied"] is True
    assert payload["local_rule"] == "5 working_days"
    assert "Tue 5 Jan 2027" in payload["explanation"] and "Thu 31 Dec 2026" in payload["explanation"]


def test_england_means_the_national_defaults(timescales_loaded):
    payload = json.loads(run("due", "england", "contact_decision", "2026-12-24T15:30", "--json"))
    assert payload["due_date"] == "2026-12-29"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "atlantis", "icpc", "2026-12-10"], "unknown authority 'atlantis'"),
        (["due", "leeds", "no_such_key", "2026-12-10"], "unknown timescale key 'no_such_key'"),
        (["due", "leeds", "icpc", "2026-13-40"], "START '2026-13-40' is not"),
        (["due", "leeds", "icpc", "2026-12-10", "--condition", "sunny"], "unknown condition 'sunny'"),
        (["show", "atlantis"], "unknown authority 'atlantis'"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_problem(timescales_loaded, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("timescales", *args, stdout=StringIO())
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_show_lists_every_key_with_sources_and_inheritance(timescales_loaded):
    payload = json.loads(run("show", "york", "--json"))
    rows = {row["key"]: row for row in payload["timescales"]}
    assert rows["cp_visit_interval"]["value"] == "20 working_days"
    assert rows["cp_visit_interval"]["inherited"] is False
    assert "L570" in rows["cp_visit_interval"]["source"]
    assert rows["first_core_group"]["value"] == "10 working_days"
    assert rows["contact_decision"]["inherited"] is True
    assert rows["s47_completion"]["conflict"].startswith("C8")
    text = run("show", "york")
    assert "[inherited from england]" in text and "source:" in text


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_as_a_process_with_exit_status_2(timescales_loaded):
    """The real command line, as its own process, on this test's database with the authorities loaded
    (committed, so the process sees them). `make smoke` runs the same command after a fresh set-up
    on SQLite; migrating a database here as well made this the slowest test in the suite."""
    env = {"DATABASE_URL": database_url(), "PATH": "/usr/bin:/bin"}
    manage = [sys.executable, "manage.py"]
    ok = subprocess.run([*manage, "timescales", "due", "york", "cp_visit_interval", "2026-12-16"],
                        cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0] == "2027-01-18T23:59:59+00:00"
    bad = subprocess.run([*manage, "timescales", "due", "york", "nope", "2026-12-16"],
                         cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == "unknown timescale key 'nope'"
