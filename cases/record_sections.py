"""The parts of a child's record, as tabs. A registry, so that the visits, planning and other apps
add their own part of the record without `cases` importing them (DESIGN §3)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSection:
    name: str  # what a page passes as `current`
    label: str
    url_name: str  # takes the child's pk
    order: int
    # The deadlines this part of the record is about, so the overview can name the next one (the
    # next visit due) without `cases` knowing another app's timescale keys.
    deadline_keys: frozenset[str] = frozenset()


_SECTIONS: dict[str, RecordSection] = {}


def register(section: RecordSection) -> None:
    _SECTIONS[section.name] = section


def record_sections() -> list[RecordSection]:
    return sorted(_SECTIONS.values(), key=lambda section: section.order)


def deadline_keys(name: str) -> frozenset[str]:
    section = _SECTIONS.get(name)
    return section.deadline_keys if section else frozenset()
