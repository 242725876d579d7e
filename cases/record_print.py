"""The child's whole record as one printed document ("Download the record"). Each app contributes
its part as a plain table through this registry, so `cases` prints visits, assessments and plans
without importing those apps (DESIGN §3)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PrintedPart:
    heading: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    # Said in place of an empty table, so a reader knows the part was looked for.
    empty: str


@dataclass(frozen=True)
class _Contributor:
    order: int
    make: Callable  # make(child) -> PrintedPart


_CONTRIBUTORS: list[_Contributor] = []


def register(order: int, make: Callable) -> None:
    """`make(child)` returns a PrintedPart; parts print in `order`."""
    if all(contributor.make is not make for contributor in _CONTRIBUTORS):
        _CONTRIBUTORS.append(_Contributor(order, make))


def parts_for(child) -> list[PrintedPart]:
    return [contributor.make(child) for contributor in sorted(_CONTRIBUTORS, key=lambda c: c.order)]


def day(value) -> str:
    """A date as the record prints it ("3 Mar 2026"), or an empty cell."""
    return f"{value.day} {value:%b %Y}" if value else ""


def yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not recorded")
