"""The parts of a child's record, as tabs. A registry, so that the visits, planning and other apps
add their own part of the record without `cases` importing them (DESIGN §3)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSection:
    name: str  # what a page passes as `current`
    label: str
    url_name: str  # takes the child's pk
    order: int


_SECTIONS: dict[str, RecordSection] = {}


def register(section: RecordSection) -> None:
    _SECTIONS[section.name] = section


def record_sections() -> list[RecordSection]:
    return sorted(_SECTIONS.values(), key=lambda section: section.order)
