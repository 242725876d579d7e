"""The house rules a reviewer would otherwise have to catch by eye: one way to lock a row, no
import circle (scripts/import_graph.py, also run by `make lint`), and every difference between
authorities in config/authorities/, never an authority's slug in the code."""

import ast
import importlib.util
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from cases.rules.config import ConfigError, parse

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cases", "assessments", "planning", "visits", "supervision", "audits", "returns")
spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)


def python_files():
    return [path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def test_every_row_lock_goes_through_the_one_helper():
    helper = ROOT / "cases" / "services" / "writes.py"
    elsewhere = [f"{path.relative_to(ROOT)}:{number}" for path in python_files() if path != helper
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if "select_for_update" in line]  # fmt: skip
    assert not elsewhere, "lock through cases.services.writes instead: " + ", ".join(elsewhere)


def test_the_project_has_no_import_circle_and_the_check_finds_one():
    assert import_graph.main(show=False) == 0
    planted = {"planning.a": {"planning.b"}, "planning.b": {"planning.c"}, "planning.c": {"planning.a"},
               "planning.d": {"planning.a"}}  # fmt: skip
    assert import_graph.circles(planted) == [["planning.a", "planning.b", "planning.c"]]


def test_nothing_imports_the_apps_that_read_every_other_one():
    """`audits` and `returns` read all the apps; an app importing either would tie the record
    keeping to a report built on it (DESIGN §3)."""
    readers = ("audits", "returns")
    found = []
    for path in python_files():
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            found += [f"{path.relative_to(ROOT)} imports {name}" for name in names
                      if name.split(".")[0] in readers and name.split(".")[0] != app]  # fmt: skip
    assert not found, found


def test_no_module_imports_inside_a_function_except_where_django_asks():
    """An import inside a function is how circles hide. AppConfig.ready() and management commands
    are where Django expects late imports; WeasyPrint is loaded only for a download (cases/pdf.py)."""
    late = re.compile(r"^\s{4,}(from \S+ import|import \S+)", re.M)
    allowed = {"apps.py", "pdf.py"}
    found = [str(path.relative_to(ROOT)) for path in python_files()
             if path.name not in allowed and "management" not in path.parts and late.search(path.read_text())]
    assert not found, found


def authority_slugs() -> set[str]:
    slugs = set()
    for path in (ROOT / "config" / "authorities").glob("*.toml"):
        slugs.add(tomllib.loads(path.read_text())["authority"]["slug"])
    return slugs - {"england"}  # the national defaults, which the code names as NATIONAL


def test_no_authority_is_named_in_the_code_outside_the_demo():
    slugs = authority_slugs()
    assert {"leeds", "york"} <= slugs
    found = []
    for path in python_files():
        if path.name.startswith("demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in slugs:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} names {node.value!r}")
    assert not found, "put the difference in the authority's file: " + "; ".join(found)


@pytest.mark.parametrize("practice, error", [
    ({"plan_approval": {"child_in_need": "A source"}}, "unknown plan kind(s) child_in_need"),
    ({"closure_gate": {"labels": {"chronology": {"label": "x", "source": "y"}}}}, "unknown gate item chronology"),
    ({"closure_gate": {"labels": {"case_summary": {"label": "Summary written"}}}}, "needs 'source'"),
    ({"approvals": {}}, "unknown table(s) approvals"),
])  # fmt: skip
def test_a_misspelt_practice_setting_is_refused_not_ignored(practice, error):
    data = {"authority": {"slug": "x", "name": "X", "effective_from": date(2020, 1, 1)},
            "practice": practice}  # fmt: skip
    with pytest.raises(ConfigError, match=re.escape(error)):
        parse(data, "x.toml")
