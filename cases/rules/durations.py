"""Durations as the timescale catalogue writes them: "15 working_days", "-3 working_days",
"24 hours", "15 years + 6 months"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UNITS = ("hours", "calendar_days", "working_days", "weeks", "months", "years", "school_days")
DAY_COUNTED = frozenset({"working_days", "school_days"})

_PART = re.compile(r"^\s*(\d+)\s+([a-z_]+)\s*$")


class DurationError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Duration:
    """One or more (amount, unit) parts; `before` counts back from the event instead of on."""

    parts: tuple[tuple[int, str], ...]
    before: bool = False
    # The parts with their sign applied, precomputed because due dates are computed in bulk.
    steps: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        sign = -1 if self.before else 1
        object.__setattr__(self, "steps", tuple((sign * amount, unit) for amount, unit in self.parts))

    @classmethod
    def parse(cls, text: str) -> Duration:
        raw = text.strip()
        before = raw.startswith("-")
        parts = []
        for piece in raw.lstrip("-").split("+"):
            match = _PART.match(piece)
            if not match:
                raise DurationError(f"'{text}' is not a duration like '15 working_days' or '-3 working_days'")
            amount, unit = int(match.group(1)), match.group(2)
            if unit not in UNITS:
                raise DurationError(f"'{unit}' is not a unit; use one of {', '.join(UNITS)}")
            parts.append((amount, unit))
        if len(parts) > 1 and any(unit in DAY_COUNTED or unit == "hours" for _, unit in parts):
            raise DurationError(f"'{text}': only calendar units can be combined with '+'")
        return cls(tuple(parts), before)

    @property
    def amount(self) -> int:
        return self.parts[0][0]

    @property
    def unit(self) -> str:
        return self.parts[0][1]

    def __str__(self) -> str:
        text = " + ".join(f"{amount} {unit}" for amount, unit in self.parts)
        return f"-{text}" if self.before else text

    def words(self) -> str:
        """'15 working days', '3 months', '1 week', '15 years and 6 months'."""
        return " and ".join(_words(amount, unit) for amount, unit in self.parts)


def _words(amount: int, unit: str) -> str:
    names = {
        "hours": ("hour", "hours"),
        "calendar_days": ("day", "days"),
        "working_days": ("working day", "working days"),
        "school_days": ("school day", "school days"),
        "weeks": ("week", "weeks"),
        "months": ("month", "months"),
        "years": ("year", "years"),
    }
    singular, plural = names[unit]
    return f"{amount} {singular if amount == 1 else plural}"
