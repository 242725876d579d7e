"""What the statutory returns need from each open child's record, contributed by the app that
records it, so a manager can see which children still lack it before the return is due. Each app
registers its own fields (`register`), so `cases` lists them without importing the apps that build
on it (DESIGN §3)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q


@dataclass(frozen=True)
class NeededField:
    """`missing(today)` is a filter on open cases: true where the case's record lacks this.
    `record_at` names the URL (taking the child's id) of the page where it is recorded.
    `on_the_record` says `missing` reads only the case's and child's own columns (no subquery), so
    it is counted alongside the others like it in one pass over the open cases; a filter with a
    subquery is counted on its own, where PostgreSQL can join rather than probe row by row."""

    key: str
    what: str
    needed_for: str
    record_at: str
    record_label: str
    missing: Callable[[date], Q]
    order: int = 100
    on_the_record: bool = False


_fields: dict[str, NeededField] = {}


def register(field: NeededField) -> None:
    _fields.setdefault(field.key, field)


def needed_fields() -> list[NeededField]:
    return sorted(_fields.values(), key=lambda field: (field.order, field.what))


def needed_field(key: str) -> NeededField | None:
    return _fields.get(key)
