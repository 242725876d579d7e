"""Moving stored codes to the codes that carry their meaning, for the data migrations that
correct a list. Kept here, not in each migration, so every correction moves rows the same way."""


def move_codes(model, field: str, moves: dict[str, str]) -> None:
    """Every row is read before any is written, so a chain (1A -> 1D while 1D -> 1C) moves each row
    once, from the code it held."""
    held = {old: list(model.objects.filter(**{field: old}).values_list("pk", flat=True)) for old in moves}
    for old, keys in held.items():
        model.objects.filter(pk__in=keys).update(**{field: moves[old]})


def move_listed_codes(model, field: str, moves: dict[str, str]) -> None:
    """The same for a JSON list of codes (an assessment's factors); order kept, repeats dropped."""
    for row in model.objects.exclude(**{field: []}).only("pk", field).iterator():
        codes = getattr(row, field) or []
        moved = list(dict.fromkeys(moves.get(code, code) for code in codes))
        if moved != codes:
            model.objects.filter(pk=row.pk).update(**{field: moved})
