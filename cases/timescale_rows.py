"""One timescale as a plain row for the Timescales page, `timescales show` and its JSON."""

from .rules.citations import plain_citation, plain_note
from .rules.policy import Policy
from .rules.timescales import STAGES
from .rules.words import anchor_words, lower_first, value_words


def timescale_row(policy: Policy, key: str) -> dict:
    timescale = policy.timescale(key)
    conflict = timescale.conflict
    stage = timescale.stage or "other"
    return {
        "key": key,
        "what": timescale.what,
        # For readers: the name a social worker uses, one plain sentence, the value as it is said and
        # the source without line numbers (the developer's `source` keeps them).
        "name": timescale.name or timescale.what,
        "description": timescale.description or timescale.what,
        "stage": stage,
        "stage_name": STAGES[stage],
        "value_words_in_full": value_words(timescale),
        "counted_from": anchor_words(timescale.anchor),
        "citation": timescale.citation,
        "plain_note": plain_note(timescale.note),
        "value": str(timescale.duration) if timescale.duration else (timescale.count or ""),
        "value_words": timescale.duration.words() if timescale.duration else (timescale.count or ""),
        "unit": timescale.duration.unit if timescale.duration else None,
        "amount": timescale.duration.amount if timescale.duration else None,
        "anchor": timescale.anchor,
        "kind": timescale.kind,
        "status": timescale.status,
        "source": timescale.source,
        "note": timescale.note,
        "inherited": timescale.inherited,
        "effective_from": timescale.effective_from.isoformat(),
        "variants": [
            {"condition": v.condition, "value": str(v.duration), "source": v.source, "note": v.note,
             "when": lower_first(policy.conditions.get(v.condition, v.condition.replace("_", " "))),
             "value_words": v.duration.words(), "citation": v.citation}
            for v in timescale.variants
        ],  # fmt: skip
        "conflict": (
            f"{conflict.ref}: chose {conflict.chosen}; not chosen: {conflict.other_reading} "
            f"({conflict.other_source}); basis: {conflict.basis}"
            if conflict
            else ""
        ),
        "plain_conflict": _plain_conflict(conflict),
        "statutory_floor": bool(policy.statutory_default(key)) and not timescale.inherited,
    }


def _plain_conflict(conflict) -> str:
    """Where the document reads two ways: the other reading and why this value was chosen."""
    if conflict is None:
        return ""
    cited = plain_citation(conflict.other_source)
    other = f"{conflict.other_reading} ({cited})" if cited else conflict.other_reading
    return f"The document can also be read as {other}. Why this value: {plain_note(conflict.basis)}."
