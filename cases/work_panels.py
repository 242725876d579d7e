"""Panels at the top of My work that other apps contribute (returned assessments, sign-offs
awaiting a manager), so `cases` shows them without importing those apps (DESIGN §3)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class WorkPanel:
    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (text, url, detail)


_PANELS: list[Callable] = []


def register(panel: Callable) -> None:
    """`panel(user)` returns a WorkPanel, or None when it has nothing for this user."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(user) -> list[WorkPanel]:
    return [panel for panel in (make(user) for make in _PANELS) if panel and panel.items]
