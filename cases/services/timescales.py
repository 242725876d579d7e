"""Loading the authorities' timescale files, and the changes an authority admin makes to them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from ..models import Authority, ClosureDay, TimescaleConfiguration, TimescaleVersion, User
from ..rules.check import identifier_clash
from ..rules.config import ConfigError, load_file, parse
from ..rules.durations import Duration, DurationError
from ..rules.policy import build_policy
from ..selectors.practice import authorities_directory
from ..selectors.timescales import policy_for
from .writes import locked_or_created

NATIONAL = "england"


@dataclass
class LoadReport:
    scope: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self):
        return f"{self.scope}: {len(self.created)} new, {len(self.updated)} updated, {self.unchanged} unchanged"


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def authorities_load(directory: Path | None = None) -> list[LoadReport]:
    """Load england.toml, then every authority file. Idempotent: unchanged entries stay as they are."""
    directory = directory or authorities_directory()
    paths = sorted(directory.glob("*.toml"), key=lambda p: (p.stem != NATIONAL, p.stem))
    # Validate every file (and its fit with the national catalogue) before writing anything.
    england = load_file(directory / f"{NATIONAL}.toml")
    configs = [load_file(path) for path in paths]
    for path, config in zip(paths, configs, strict=True):
        build_policy(england, None if path.stem == NATIONAL else config)
    if clash := identifier_clash(configs):
        raise ConfigError(clash)
    return [configuration_load(path) for path in paths]


@transaction.atomic
def configuration_load(path: Path) -> LoadReport:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    config = parse(data, path.name)
    meta = data["authority"]
    report = LoadReport(config.slug)
    configuration, _ = TimescaleConfiguration.objects.update_or_create(
        scope=config.slug,
        defaults={
            "name": config.name,
            "document": config.document,
            "source_file": config.source_file,
            "effective_from": config.effective_from,
            "attribution": config.attribution,
            "attribution_note": config.attribution_note,
            "conditions": config.conditions,
        },
    )
    if config.slug != NATIONAL:
        _authority_identifiers_load(config.slug, meta["name"], la_number=config.la_number, ons_code=config.ons_code)
    existing = {
        v.key: v
        for v in configuration.versions.filter(
            origin=TimescaleVersion.Origin.FILE, effective_from=config.effective_from
        )
    }
    new_versions = []
    for key, entry in data.get("timescales", {}).items():
        definition = _jsonable(entry)
        version = existing.get(key)
        if version is None:
            new_versions.append(
                TimescaleVersion(
                    configuration=configuration,
                    key=key,
                    effective_from=config.effective_from,
                    definition=definition,
                    origin=TimescaleVersion.Origin.FILE,
                    reason=f"Loaded from {path.name}",
                )
            )
            report.created.append(key)
        elif version.definition != definition:
            version.definition = definition
            version.save(update_fields=["definition"])
            report.updated.append(key)
        else:
            report.unchanged += 1
    # A first load writes a few hundred versions: one insert for them and one for their history.
    bulk_create_with_history(new_versions, TimescaleVersion)
    if report.created or report.updated:
        _bump(configuration.scope)
    return report


def _authority_identifiers_load(slug: str, name: str, **identifiers: str) -> None:
    """The file is where an authority's LA number and ONS code are kept, so a load brings the
    database into line with it; saved through the model so the change is in the history."""
    authority, created = Authority.objects.get_or_create(slug=slug, defaults={"name": name, **identifiers})
    changed = [name for name, value in identifiers.items() if getattr(authority, name) != value]
    if created or not changed:
        return
    for name in changed:
        setattr(authority, name, identifiers[name])
    try:
        authority.full_clean()
    except ValidationError as error:
        raise ConfigError(f"{slug}: {'; '.join(error.messages)}") from error
    authority.save(update_fields=changed)


def _bump(scope: str) -> None:
    TimescaleConfiguration.objects.filter(scope=scope).update(revision=F("revision") + 1)


@transaction.atomic
def timescale_change(
    *, authority: Authority, key: str, duration: str, effective_from: date, reason: str, changed_by: User
) -> TimescaleVersion:
    """A new value for one of the authority's timescales, in force from `effective_from`.

    Deadlines whose clock started before then keep their due dates; `deadline_recalculate` is the
    explicit way to apply a change to them.
    """
    try:
        parsed = Duration.parse(duration)
    except DurationError as error:
        raise ConfigError(str(error)) from error
    policy = policy_for(authority)
    current = policy.timescale(key)  # raises UnknownTimescale for a key outside the catalogue
    if parsed.before != (current.kind == "before"):
        raise ConfigError("A 'before' timescale needs a negative value, and only a 'before' timescale")
    if authority.slug == NATIONAL:
        raise ConfigError("The national defaults change only through config/authorities/england.toml")
    configuration = locked_or_created(TimescaleConfiguration, scope=authority.slug,
                                      defaults={"name": authority.name, "effective_from": effective_from})  # fmt: skip
    latest = configuration.versions.filter(key=key).order_by("-effective_from").first()
    definition = dict(latest.definition) if latest else {"source": ""}
    definition["duration"] = str(parsed)
    definition["source"] = f"Changed by {changed_by} on {date.today():%d %b %Y}: {reason}"
    definition.pop("citation", None)  # the file's citation was for the file's value
    version, _ = TimescaleVersion.objects.update_or_create(
        configuration=configuration,
        key=key,
        effective_from=effective_from,
        defaults={
            "definition": definition,
            "origin": TimescaleVersion.Origin.ADMIN,
            "reason": reason,
            "changed_by": changed_by,
        },
    )
    _bump(configuration.scope)
    return version


def closure_days_changed(authority: Authority) -> None:
    _bump(authority.slug)


@transaction.atomic
def closure_day_add(*, authority: Authority, day: date, reason: str) -> ClosureDay:
    closure, _ = ClosureDay.objects.update_or_create(authority=authority, date=day, defaults={"reason": reason})
    closure_days_changed(authority)
    return closure
