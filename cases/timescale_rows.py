"""One timescale as a plain row for the Timescales page, `timescales show` and its JSON."""

from .rules.policy import Policy


def timescale_row(policy: Policy, key: str) -> dict:
    timescale = policy.timescale(key)
    conflict = timescale.conflict
    return {
        "key": key,
        "what": timescale.what,
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
            {"condition": v.condition, "value": str(v.duration), "source": v.source, "note": v.note}
            for v in timescale.variants
        ],
        "conflict": (
            f"{conflict.ref}: chose {conflict.chosen}; not chosen: {conflict.other_reading} "
            f"({conflict.other_source}); basis: {conflict.basis}"
            if conflict
            else ""
        ),
        "statutory_floor": bool(policy.statutory_default(key)) and not timescale.inherited,
    }
