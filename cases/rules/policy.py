"""An authority's timescales as in force: its own values over the national defaults (england),
variant keys folded into their parent, and the statutory floor applied.

Versioned: each key may have several versions, each effective from a date. A deadline uses the
version in force on the day its clock started.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .calendar import WorkingCalendar
from .config import AuthorityConfig, ConfigError
from .timescales import LONDON, Due, Timescale, Variant, due


class UnknownTimescale(KeyError):
    pass


class UnknownCondition(ValueError):
    pass


@dataclass
class Policy:
    """Timescales for one authority. `versions[key]` is sorted by effective_from."""

    slug: str
    name: str
    versions: dict[str, list[Timescale]]
    defaults: dict[str, list[Timescale]]
    conditions: dict[str, str]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    tz = LONDON

    def all_keys(self) -> list[str]:
        """The catalogue's keys in its own order, then any the authority adds."""
        return [*self.defaults, *(key for key in self.versions if key not in self.defaults)]

    def timescale(self, key: str, on: date | None = None) -> Timescale:
        """The version of `key` in force on `on` (today's latest when None); inherited if the
        authority has no value of its own."""
        own = _in_force(self.versions.get(key), on)
        if own is not None and (own.is_deadline or own.count or own.variants):
            return own
        default = _in_force(self.defaults.get(key), on)
        if default is None:
            if own is not None:
                return own
            raise UnknownTimescale(key)
        if own is not None:
            # The authority names the duty but sets no number: keep its notes, inherit the value.
            return replace(default, authority=self.slug, inherited=True, note=own.note or default.note)
        return replace(default, authority=self.slug, inherited=True)

    def statutory_default(self, key: str, on: date | None = None) -> Timescale | None:
        default = _in_force(self.defaults.get(key), on)
        return default if default is not None and default.status == "statutory" else None

    def due(self, key: str, start: date | datetime, conditions=frozenset(), *, latest: bool = False) -> Due:
        """When `key` falls due from `start`, using the version in force on the start day (or the
        latest version, for an explicit recalculation)."""
        unknown = set(conditions) - set(self.conditions)
        if unknown:
            raise UnknownCondition(", ".join(sorted(unknown)))
        on = None if latest else (start.date() if isinstance(start, datetime) else start)
        timescale = self.timescale(key, on=on)
        result = due(timescale, start, self.calendar, frozenset(conditions), self.tz)
        floor = None if timescale.inherited else self.statutory_default(key, on=on)
        if floor is not None and floor.anchor == timescale.anchor and floor.duration is not None:
            statutory = due(floor, start, self.calendar, frozenset(conditions), self.tz)
            if statutory.due_at < result.due_at:
                result.floor = statutory
                result.due_at = statutory.due_at
        return result


def _in_force(versions: list[Timescale] | None, on: date | None) -> Timescale | None:
    if not versions:
        return None
    if on is None:
        return versions[-1]
    index = bisect_right([v.effective_from for v in versions], on)
    return versions[index - 1] if index else versions[0]


def fold_variant_keys(config: AuthorityConfig, defaults: dict[str, Timescale]) -> dict[str, Timescale]:
    """A key configured as `variant_of` another also becomes a variant of its parent."""
    timescales = dict(config.timescales)
    for key, (parent_key, condition) in config.variant_keys.items():
        child = timescales[key]
        if child.duration is None:
            continue
        parent = timescales.get(parent_key)
        if parent is None:
            inherited = defaults.get(parent_key)
            if inherited is None:
                raise ConfigError(f"{config.slug}: {key} is a variant of unknown key {parent_key}")
            # The parent value stays the national one; only the variant is the authority's.
            parent = replace(inherited, authority=config.slug, inherited=True)
        variant = Variant(condition=condition, duration=child.duration, source=child.source, note=child.note)
        timescales[parent_key] = replace(parent, variants=(*parent.variants, variant))
    return timescales


def build_policy(
    england: AuthorityConfig, own: AuthorityConfig | None, calendar: WorkingCalendar | None = None
) -> Policy:
    """A policy from the national file and (optionally) one authority's file."""
    return build_versioned_policy([england], [own] if own else [], calendar)


def build_versioned_policy(
    england_snapshots: list[AuthorityConfig],
    own_snapshots: list[AuthorityConfig],
    calendar: WorkingCalendar | None = None,
) -> Policy:
    """A policy from snapshots of each configuration, one per date on which something changed.

    Each snapshot holds every key in force from its effective_from; a key's versions are the values
    it takes across the snapshots, so a deadline can use the value in force when its clock started.
    """
    england_snapshots = sorted(england_snapshots, key=lambda c: c.effective_from)
    own_snapshots = sorted(own_snapshots, key=lambda c: c.effective_from)
    defaults: dict[str, list[Timescale]] = {}
    latest_defaults: dict[str, Timescale] = {}
    for snapshot in england_snapshots:
        latest_defaults = fold_variant_keys(snapshot, {})
        for key, timescale in latest_defaults.items():
            defaults.setdefault(key, []).append(timescale)
    versions: dict[str, list[Timescale]] = {}
    conditions: dict[str, str] = {}
    for snapshot in england_snapshots:
        conditions.update(snapshot.conditions)
    for snapshot in own_snapshots:
        conditions.update(snapshot.conditions)
        for key, timescale in fold_variant_keys(snapshot, latest_defaults).items():
            catalogue = latest_defaults.get(key)
            if catalogue is None:
                raise ConfigError(f"{snapshot.slug}: {key} is not a key in england.toml's catalogue")
            timescale = replace(
                timescale,
                what=timescale.what or catalogue.what,
                anchor=timescale.anchor or catalogue.anchor,
                kind=timescale.kind or catalogue.kind,
                phase=timescale.phase or catalogue.phase,
            )
            versions.setdefault(key, []).append(timescale)
    used = {
        v.condition
        for history in [*defaults.values(), *versions.values()]
        for timescale in history
        for v in timescale.variants
    }
    missing = used - set(conditions)
    if missing:
        where = own_snapshots[-1].slug if own_snapshots else "england"
        raise ConfigError(f"{where}: condition(s) {', '.join(sorted(missing))} are used but not declared")
    latest = own_snapshots[-1] if own_snapshots else england_snapshots[-1]
    return Policy(
        slug=latest.slug,
        name=latest.name,
        versions=versions,
        defaults=defaults,
        conditions=conditions,
        calendar=calendar or WorkingCalendar(),
    )
