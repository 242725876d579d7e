"""A return's collection year: 1 April to 31 March, named as the DfE's command line and file names
name it, by the year it ends (2026 is 2025-26, ending 31 March 2026).

The code lists (cases/codes/lists.py) name a year by the one it starts in, the way a code's
validity is published; `code_year` converts between the two so the difference stays here."""

from dataclasses import dataclass
from datetime import date

# The years whose rules the pinned validators carry and whose specification Casework writes.
SUPPORTED = (2026, 2027)


class UnsupportedYear(ValueError):
    pass


@dataclass(frozen=True)
class CollectionYear:
    ending: int

    def __post_init__(self):
        if self.ending not in SUPPORTED:
            supported = " or ".join(CollectionYear(year).label for year in SUPPORTED) if self.ending else ""
            raise UnsupportedYear(f"Casework produces the {supported} returns, not {self.ending}")

    @classmethod
    def of(cls, day: date) -> "CollectionYear":
        return cls(day.year + 1 if day.month >= 4 else day.year)

    @property
    def start(self) -> date:
        return date(self.ending - 1, 4, 1)

    @property
    def end(self) -> date:
        """The census (reference) date: the last day of the year."""
        return date(self.ending, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.ending - 1}-{self.ending % 100:02d}"

    @property
    def code_year(self) -> int:
        """The year as cases.codes names it (by its start)."""
        return self.ending - 1

    def overlaps(self, started: date | None, ended: date | None) -> bool:
        """Whether something that ran from `started` to `ended` (None: still open) touched the year."""
        return (started is None or started <= self.end) and (ended is None or ended >= self.start)
