"""Reading an authority's timescales as a rules-module Policy, cached until they change."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..models import Authority, ClosureDay, TimescaleConfiguration, TimescaleVersion
from ..rules.calendar import WorkingCalendar
from ..rules.config import AuthorityConfig, parse
from ..rules.policy import Policy, build_versioned_policy
from ..rules.timescales import STAGES
from ..timescale_rows import timescale_row

NATIONAL = "england"

# (england revision, own revision) -> Policy. Revisions go up on every change, so a stale entry is
# never read; the cache holds one policy per authority per process.
_cache: dict[str, tuple[tuple[int, int], Policy]] = {}


class TimescalesNotLoaded(LookupError):
    pass


def policy_for(authority: Authority | str) -> Policy:
    slug = authority if isinstance(authority, str) else authority.slug
    revisions = dict(TimescaleConfiguration.objects.filter(scope__in={NATIONAL, slug}).values_list("scope", "revision"))
    if NATIONAL not in revisions:
        raise TimescalesNotLoaded("The timescales are not loaded: run manage.py load_authorities")
    stamp = (revisions[NATIONAL], revisions.get(slug, 0))
    cached = _cache.get(slug)
    if cached and cached[0] == stamp:
        return cached[1]
    policy = _build(slug)
    _cache[slug] = (stamp, policy)
    return policy


def cached_policy_for(authority: Authority | str) -> Policy:
    """The policy this process last built for `authority`, without asking the database whether it
    is still current (policy_for when there is none). For words on a page, the timescales' names and
    citations, which change only when the files are loaded again: a list of deadlines reads them
    for every row, and one query a row would make its page grow with its length."""
    slug = authority if isinstance(authority, str) else authority.slug
    cached = _cache.get(slug)
    return cached[1] if cached else policy_for(slug)


def clear_policy_cache() -> None:
    _cache.clear()


def _snapshots(configuration: TimescaleConfiguration) -> list[AuthorityConfig]:
    """One AuthorityConfig per date on which any of the configuration's keys changed."""
    by_key: dict[str, list[TimescaleVersion]] = defaultdict(list)
    for version in configuration.versions.order_by("effective_from", "id"):
        by_key[version.key].append(version)
    dates = sorted({v.effective_from for versions in by_key.values() for v in versions})
    snapshots = []
    for day in dates:
        entries = {}
        for key, versions in by_key.items():
            in_force = [v for v in versions if v.effective_from <= day]
            if in_force:
                entries[key] = in_force[-1].definition
        data = {
            "authority": {
                "slug": configuration.scope,
                "name": configuration.name,
                "document": configuration.document,
                "effective_from": day,
                "attribution": configuration.attribution,
            },
            "conditions": configuration.conditions,
            "timescales": entries,
        }
        snapshots.append(parse(data, f"{configuration.scope} (database)"))
    return snapshots


def _build(slug: str) -> Policy:
    configurations = {c.scope: c for c in TimescaleConfiguration.objects.filter(scope__in={NATIONAL, slug})}
    england = _snapshots(configurations[NATIONAL])
    own = _snapshots(configurations[slug]) if slug != NATIONAL and slug in configurations else []
    closures = ClosureDay.objects.filter(authority__slug=slug).values_list("date", flat=True)
    policy = build_versioned_policy(england, own, WorkingCalendar(closures))
    if not own:
        authority = Authority.objects.filter(slug=slug).first()
        policy.slug = slug
        policy.name = authority.name if authority else configurations[NATIONAL].name
    return policy


def configuration_for(authority: Authority | str) -> TimescaleConfiguration | None:
    slug = authority if isinstance(authority, str) else authority.slug
    return TimescaleConfiguration.objects.filter(scope=slug).first()


def closure_days_for(authority: Authority, *, since: date | None = None):
    queryset = ClosureDay.objects.filter(authority=authority)
    return queryset.filter(date__gte=since) if since else queryset


@dataclass
class StageOfTimescales:
    """The Timescales page's group for one stage of a case: the timescales this authority gives a
    value, and the duties of the catalogue it sets none for."""

    stage: str
    title: str
    rows: list[dict] = field(default_factory=list)
    unset: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.unset)


def timescales_by_stage(policy: Policy, search: str = "") -> list[StageOfTimescales]:
    """Every timescale of the policy, grouped by the stage of a case it belongs to, in the order a
    case moves through them; with `search`, only those whose name or description holds every word."""
    words = search.lower().split()
    groups = {stage: StageOfTimescales(stage, title) for stage, title in STAGES.items()}
    for key in policy.all_keys():
        row = timescale_row(policy, key)
        text = f"{row['name']} {row['description']}".lower()
        if not all(word in text for word in words):
            continue
        group = groups[row["stage"]]
        (group.rows if row["value"] else group.unset).append(row)
    return [group for group in groups.values() if group.count]
