"""A DfE code list as data: each code's meaning, and the collection years the DfE accepts it in.

A collection year runs from 1 April to 31 March and is named here by the year it starts (2025 is
2025-26), the way the returns are spoken of. A code the DfE has withdrawn stays in the list, so an
old record still reads as what it meant, but it is no longer offered for a new one."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

FIRST_YEAR = 2013  # the earliest collection any list here is read back to (the CIN census's 2013-14 rules)


def collection_year_of(day: date) -> int:
    """The collection year a day falls in: 1 April starts the next one."""
    return day.year if day.month >= 4 else day.year - 1


def collection_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class CodeList:
    """`codes` are (code, meaning) pairs in the DfE's order; `in_use` gives the first and last
    collection year of the codes that have not always been valid (None: no bound)."""

    name: str
    source: str
    codes: tuple[tuple[str, str], ...]
    in_use: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)

    def __post_init__(self):
        known = {code for code, _ in self.codes}
        if unknown := set(self.in_use) - known:
            raise ValueError(f"{self.name}: years given for codes not in the list: {sorted(unknown)}")
        if len(known) != len(self.codes):
            raise ValueError(f"{self.name}: a code is listed twice")

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Every code ever in the list, so a stored value always has its meaning."""
        return list(self.codes)

    @property
    def longest(self) -> int:
        return max(len(code) for code, _ in self.codes)

    def label(self, code: str) -> str:
        return dict(self.codes).get(code, code)

    def valid_in(self, year: int) -> list[str]:
        return [code for code, _ in self.codes if self._valid(code, year)]

    def offered(self, on: date, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
        """The choices for a form on `on`: the codes valid that collection year, and any already
        stored on the record being changed (`keep`), so an edit never silently drops one."""
        year, kept = collection_year_of(on), set(keep)
        return [(code, label) for code, label in self.codes if self._valid(code, year) or code in kept]

    def _valid(self, code: str, year: int) -> bool:
        first, last = self.in_use.get(code, (None, None))
        return (first is None or year >= first) and (last is None or year <= last)
