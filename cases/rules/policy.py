"""An authority's timescales as in force: its own values over the national defaults (england),
variant keys folded into their parent, and the statutory floor applied.

Versioned: each key may have several versions, each effective from a date. A deadline uses the
version in force on the day its clock started.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np

from .bulk import local_days
from .calendar import WorkingCalendar
from .config import AuthorityConfig, ConfigError
from .timescales import LONDON, Due, DuePlan, Timescale, Variant, as_local

_NO_CONDITIONS = frozenset()


class UnknownTimescale(KeyError):
    pass


class UnknownCondition(ValueError):
    pass


@dataclass
class DueMany:
    """Due moments for many starts: `due_at` in microseconds since the epoch; `outcome` numbers a
    (rule, condition applied or "", statutory floor applied) in `outcomes`; starts with equal
    `explained_by` have the same explanation (their local day, or their instant for hours)."""

    due_at: np.ndarray
    outcome: np.ndarray
    outcomes: list[tuple[str, str, bool]]
    explained_by: np.ndarray


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

    # Resolved (timescale, statutory floor) per key and version pair: due() runs for every deadline
    # on every recalculation, and resolving inheritance each time would dominate its cost.
    _resolved: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _dates: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _plans: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _changed_keys: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self):
        self._changed_keys = frozenset(
            key for table in (self.versions, self.defaults) for key, history in table.items() if len(history) > 1
        )

    def timescale(self, key: str, on: date | None = None) -> Timescale:
        """The version of `key` in force on `on` (today's latest when None); inherited if the
        authority has no value of its own."""
        return self._resolve(key, on)[0]

    def statutory_default(self, key: str, on: date | None = None) -> Timescale | None:
        default = self._version(self.defaults, key, on)
        return default if default is not None and default.status == "statutory" else None

    def due(self, key: str, start: date | datetime, conditions=_NO_CONDITIONS, *, latest: bool = False) -> Due:
        """When `key` falls due from `start`, using the version in force on the start day (or the
        latest version, for an explicit recalculation)."""
        conditions = frozenset(conditions) if conditions else _NO_CONDITIONS
        if latest or key not in self._changed_keys:
            plan = self._plans.get((key, conditions))
            if plan is None:
                plan = self._plan(key, None, conditions)
        else:
            plan = self._plan(key, start.date() if isinstance(start, datetime) else start, conditions)
        return plan.due(as_local(start, self.tz))

    def due_many(self, key: str, instants, conditions=_NO_CONDITIONS) -> DueMany:
        """`due(key, start, conditions, latest=True)` for many starts at once (microseconds since
        the epoch), as arrays: what a recalculation needs without a Python object per deadline."""
        instants = np.asarray(instants, dtype=np.int64)
        plan = self._plan(key, None, frozenset(conditions) if conditions else _NO_CONDITIONS)
        days = local_days(instants, self.tz)
        at, outcome = plan.due_many(instants, days, self.tz)
        return DueMany(at, outcome, plan.outcomes(), days if plan.counts_in_days() else instants)

    def _plan(self, key: str, on: date | None, conditions: frozenset[str]) -> DuePlan:
        """The due computation for `key`'s version in force on `on` (the latest when None), kept per
        resolved version and conditions."""
        if conditions:
            unknown = conditions - self.conditions.keys()
            if unknown:
                raise UnknownCondition(", ".join(sorted(unknown)))
        resolved = self._resolve(key, on)
        cache_key = (key, conditions) if on is None or key not in self._changed_keys else (id(resolved), conditions)
        plan = self._plans.get(cache_key)
        if plan is None:
            plan = self._plans[cache_key] = DuePlan(*resolved, conditions, self.calendar)
        return plan

    def known(self, conditions) -> tuple[str, ...]:
        """The conditions this authority's timescales know, sorted; others do not apply here."""
        return tuple(sorted(condition for condition in conditions if condition in self.conditions))

    def due_where_set(self, key: str, start: date | datetime, conditions=()) -> Due | None:
        """`due`, if this authority (or the national default) gives `key` a value under these
        conditions; many duties are local and some authorities set no number (None then)."""
        known = self.known(conditions)
        timescale = self.timescale(key)
        if not timescale.is_deadline and not set(known) & set(timescale.conditions):
            return None
        return self.due(key, start, frozenset(known))

    def _version(self, table: dict[str, list[Timescale]], key: str, on: date | None) -> Timescale | None:
        index = self._version_index(table, key, on)
        return None if index is None else table[key][index]

    def _version_index(self, table: dict[str, list[Timescale]], key: str, on: date | None) -> int | None:
        versions = table.get(key)
        if not versions:
            return None
        if on is None or len(versions) == 1:
            return len(versions) - 1
        dates = self._dates.get((id(table), key))
        if dates is None:
            dates = self._dates[(id(table), key)] = [v.effective_from for v in versions]
        return max(bisect_right(dates, on) - 1, 0)

    def _resolve(self, key: str, on: date | None) -> tuple[Timescale, Timescale | None]:
        if on is None or key not in self._changed_keys:
            cache_key = key  # the latest version (or the only one): the date cannot matter
            resolved = self._resolved.get(cache_key)
            if resolved is not None:
                return resolved
            on = None
        own_index = self._version_index(self.versions, key, on)
        default_index = self._version_index(self.defaults, key, on)
        if on is not None:
            cache_key = (key, own_index, default_index)
            resolved = self._resolved.get(cache_key)
            if resolved is not None:
                return resolved
        own = None if own_index is None else self.versions[key][own_index]
        default = None if default_index is None else self.defaults[key][default_index]
        timescale = _inherit(self.slug, key, own, default)
        floor = default if not timescale.inherited and _is_a_floor(default, timescale) else None
        resolved = self._resolved[cache_key] = (timescale, floor)
        return resolved


def _is_a_floor(default: Timescale | None, local: Timescale) -> bool:
    """The national value binds a local one (the law is the floor) when it is statutory and
    counts from the same event."""
    return (
        default is not None
        and default.status == "statutory"
        and default.duration is not None
        and default.anchor == local.anchor
    )


def _inherit(slug: str, key: str, own: Timescale | None, default: Timescale | None) -> Timescale:
    if own is not None and (own.is_deadline or own.count or own.variants):
        return own
    if default is None:
        if own is not None:
            return own
        raise UnknownTimescale(key)
    if own is not None:
        # The authority names the duty but sets no number: keep its notes, inherit the value.
        return replace(default, authority=slug, inherited=True, note=own.note or default.note,
                       name=own.name or default.name, description=own.description or default.description)
    return replace(default, authority=slug, inherited=True)


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
        variant = Variant(condition=condition, duration=child.duration, source=child.source, note=child.note,
                          citation=child.citation)
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
                # An authority may call a duty by its own name; the catalogue's otherwise.
                name=timescale.name or catalogue.name,
                description=timescale.description or catalogue.description,
                stage=catalogue.stage,
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
