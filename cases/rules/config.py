"""Reading an authority's timescale file (config/authorities/<slug>.toml) into Timescale values.

The file format is described in config/authorities/README.md. Everything here is pure Python so the
same checks run in the loader, the tests and `python -m cases.rules.config FILE`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .calendar import WorkingCalendar, bank_holiday_name
from .citations import plain_citation
from .durations import Duration, DurationError
from .identifiers import la_number_problem, ons_code_problem
from .timescales import STAGES, Conflict, Phase, Timescale, Variant

KINDS = ("one-off", "per-event", "interval", "phase", "before", "milestone", "window", "count")
STATUSES = ("statutory", "guidance", "common_practice", "local", "none")
TIMESCALE_FIELDS = {
    "what", "anchor", "kind", "duration", "source", "note", "status", "variants", "phase",
    "conflict", "count", "variant_of", "condition", "reading", "name", "description", "stage", "citation",
}  # fmt: skip


class ConfigError(ValueError):
    pass


# The gate items and plan kinds an authority's practice table may name (cases/services/closure.py,
# planning Plan.Kind); a misspelt name would otherwise be silently ignored.
GATE_ITEMS = frozenset({"chronology_current", "assessment_and_plan", "case_summary", "no_overdue_deadlines",
                        "manager_audit"})  # fmt: skip
PLAN_KINDS = frozenset({"cin", "cp", "care", "pathway"})


@dataclass(frozen=True)
class Practice:
    """How an authority's practice differs other than in timescales, each with where its own
    documents say so. Empty: the national practice."""

    # plan kind -> source: a manager approves each version before it is in force
    plan_approval: dict[str, str] = field(default_factory=dict)
    # closure-gate item -> (the authority's words for it, source)
    gate_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # where the authority's documents apply the closure gate before a case moves team; "" if not
    gate_blocks_transfer: str = ""


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DigestDays:
    """The days an authority's morning email goes out: by default its working days (Monday to
    Friday, less bank holidays and its closure days)."""

    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0
    # Also on bank holidays and closure days that fall on one of `weekdays`.
    holidays: bool = False

    def sends_on(self, day: date, calendar: WorkingCalendar) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return self.holidays or not (day in calendar.closures or bank_holiday_name(day))


@dataclass
class AuthorityConfig:
    slug: str
    name: str
    document: str
    source_file: str
    effective_from: date
    attribution: str
    attribution_note: str
    conditions: dict[str, str]
    timescales: dict[str, Timescale]
    # keys configured as a variant of another key: key -> (parent key, condition)
    variant_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    practice: Practice = field(default_factory=Practice)
    # The DfE's number for the authority and its ONS area code, as the returns carry them; the
    # national defaults have neither.
    la_number: str = ""
    ons_code: str = ""
    digest_days: DigestDays = field(default_factory=DigestDays)


def load_file(path: Path, known_anchors: set[str] | None = None) -> AuthorityConfig:
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path.name}: not valid TOML: {error}") from error
    return parse(data, path.name)


def parse(data: dict, where: str) -> AuthorityConfig:
    meta = data.get("authority")
    if not isinstance(meta, dict):
        raise ConfigError(f"{where}: needs an [authority] table")
    for required in ("slug", "name", "effective_from"):
        if required not in meta:
            raise ConfigError(f"{where}: [authority] needs '{required}'")
    effective_from = meta["effective_from"]
    if not isinstance(effective_from, date):
        raise ConfigError(f"{where}: effective_from must be a TOML date like 2019-03-01")
    slug = meta["slug"]
    conditions = {str(k): str(v) for k, v in data.get("conditions", {}).items()}
    timescales, variant_keys = {}, {}
    document = meta.get("document", "")
    for key, entry in data.get("timescales", {}).items():
        timescale = _timescale(key, entry, slug, effective_from, f"{where} [timescales.{key}]", document)
        timescales[key] = timescale
        if "variant_of" in entry:
            if "condition" not in entry:
                raise ConfigError(f"{where} [timescales.{key}]: variant_of needs a condition")
            variant_keys[key] = (entry["variant_of"], entry["condition"])
    return AuthorityConfig(
        slug=slug,
        name=meta["name"],
        document=document,
        source_file=meta.get("source_file", ""),
        effective_from=effective_from,
        attribution=meta.get("attribution", "stated"),
        attribution_note=meta.get("attribution_note", ""),
        conditions=conditions,
        timescales=timescales,
        variant_keys=variant_keys,
        practice=_practice(data.get("practice", {}), f"{where} [practice]"),
        la_number=_identifier(meta, "la_number", la_number_problem, where),
        ons_code=_identifier(meta, "ons_code", ons_code_problem, where),
        digest_days=_digest_days(data.get("digest", {}), f"{where} [digest]"),
    )


def _identifier(meta: dict, name: str, problem, where: str) -> str:
    if name not in meta:
        return ""
    value = meta[name]
    # A bare number would lose a leading zero and read as an integer: the codes are text.
    if not isinstance(value, str):
        raise ConfigError(f'{where}: [authority] {name} must be a quoted string, like {name} = "..."')
    if message := problem(value):
        raise ConfigError(f"{where}: [authority] {name} {value!r}: {message}")
    return value


def _practice(table: dict, where: str) -> Practice:
    unknown = set(table) - {"plan_approval", "closure_gate"}
    if unknown:
        raise ConfigError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}")
    approval = {str(kind): str(source) for kind, source in table.get("plan_approval", {}).items()}
    strange = sorted(set(approval) - PLAN_KINDS)
    if strange:
        raise ConfigError(f"{where}.plan_approval: unknown plan kind(s) {', '.join(strange)}")
    gate = table.get("closure_gate", {})
    labels = {}
    for item, entry in gate.get("labels", {}).items():
        if item not in GATE_ITEMS:
            raise ConfigError(f"{where}.closure_gate.labels: unknown gate item {item}")
        labels[item] = (str(_required(entry, "label", f"{where}.closure_gate.labels.{item}")),
                        str(_required(entry, "source", f"{where}.closure_gate.labels.{item}")))  # fmt: skip
    blocks_transfer = str(gate.get("blocks_transfer", ""))
    return Practice(plan_approval=approval, gate_labels=labels, gate_blocks_transfer=blocks_transfer)


def _digest_days(table: dict, where: str) -> DigestDays:
    """`send_on = "working_days"` (the default), `"every_day"`, or a list of days of the week, with
    `holidays = true` to send on bank holidays and closure days too."""
    unknown = set(table) - {"send_on", "holidays"}
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    send_on, holidays = table.get("send_on", "working_days"), table.get("holidays", False)
    if not isinstance(holidays, bool):
        raise ConfigError(f"{where}: holidays must be true or false")
    if send_on == "working_days":
        if holidays:
            raise ConfigError(f"{where}: working days never include holidays; list the days of the week instead")
        return DigestDays()
    if send_on == "every_day":
        return DigestDays(frozenset(range(7)), holidays=True)
    if not isinstance(send_on, list) or not send_on:
        raise ConfigError(f'{where}: send_on must be "working_days", "every_day" or a list of days such as '
                          '["monday", "thursday"]')  # fmt: skip
    strange = [day for day in send_on if day not in WEEKDAYS]
    if strange:
        raise ConfigError(f"{where}: send_on names no day of the week: {', '.join(map(str, strange))}")
    return DigestDays(frozenset(WEEKDAYS.index(day) for day in send_on), holidays=holidays)


def _timescale(key: str, entry: dict, slug: str, effective_from: date, where: str, document: str = "") -> Timescale:
    unknown = set(entry) - TIMESCALE_FIELDS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    stage = entry.get("stage", "")
    if stage and stage not in STAGES:
        raise ConfigError(f"{where}: stage '{stage}' is not one of {', '.join(STAGES)}")
    # Where a file leaves it out, the citation is the source without line numbers and reference files.
    citation = entry.get("citation") or plain_citation(entry.get("source", ""), document)
    kind = entry.get("kind", "")
    if kind and kind not in KINDS:
        raise ConfigError(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
    status = entry.get("status", "local" if slug != "england" else "none")
    if status not in STATUSES:
        raise ConfigError(f"{where}: status '{status}' is not one of {', '.join(STATUSES)}")
    if entry.get("duration") and not entry.get("source"):
        raise ConfigError(f"{where}: every value needs a source")
    try:
        duration = Duration.parse(entry["duration"]) if entry.get("duration") else None
        variants = tuple(
            Variant(
                condition=_required(v, "condition", where),
                duration=Duration.parse(_required(v, "duration", where)),
                source=_required(v, "source", where),
                note=v.get("note", ""),
                citation=v.get("citation") or plain_citation(v["source"], citation),
            )
            for v in entry.get("variants", [])
        )
        phase = None
        if "phase" in entry:
            p = entry["phase"]
            phase = Phase(
                anchor=_required(p, "anchor", where),
                length=Duration.parse(p["length"]) if p.get("length") else None,
                ends_at=p.get("ends_at", ""),
            )
    except DurationError as error:
        raise ConfigError(f"{where}: {error}") from error
    conflict = None
    if "conflict" in entry:
        c = entry["conflict"]
        conflict = Conflict(
            ref=c.get("ref", ""),
            chosen=_required(c, "chosen", where),
            other_reading=_required(c, "other_reading", where),
            other_source=_required(c, "other_source", where),
            basis=c.get("basis", ""),
        )
    if duration is not None and duration.before != (kind == "before") and kind:
        raise ConfigError(f"{where}: a 'before' rule needs a negative duration, and only a 'before' rule")
    note = entry.get("note", "")
    if entry.get("reading"):
        note = f"{note} Unit reading: {entry['reading']}.".strip()
    return Timescale(
        key=key,
        what=entry.get("what", ""),
        anchor=entry.get("anchor", ""),
        kind=kind,
        duration=duration,
        source=entry.get("source", ""),
        note=note,
        status=status,
        variants=variants,
        phase=phase,
        conflict=conflict,
        count=entry.get("count", ""),
        authority=slug,
        effective_from=effective_from,
        name=entry.get("name", ""),
        description=entry.get("description", ""),
        stage=stage,
        citation=citation,
    )


def _required(table: dict, name: str, where: str):
    if name not in table:
        raise ConfigError(f"{where}: needs '{name}'")
    return table[name]
