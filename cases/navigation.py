"""The header's role-aware navigation. Each app adds its own entries with `register`, so that
`cases` never imports the apps that build on it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible_to: Callable[[object], bool]
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def items_for(request) -> list[dict]:
    current = request.resolver_match.url_name if request.resolver_match else None
    return [
        {"text": item.label, "href": reverse(item.url_name), "current": item.url_name == current}
        for item in _items
        if item.visible_to(request.user)
    ]
