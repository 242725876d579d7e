"""Two people (or two tabs) never silently overwrite each other's writing. A record carries a
version that every save raises; a save made from an older version is refused with the fields
changed since, and the page shows the user's text beside what the other person saved."""

from django.core.exceptions import ValidationError


class EditConflict(ValidationError):
    """Carries the stored record and the fields changed since the user opened it."""

    def __init__(self, message: str, *, current, changed: list[str]):
        super().__init__(message)
        self.current, self.changed = current, changed


def check_version(record, version: int, fields, noun: str) -> None:
    """`record` is the stored row (locked by the caller); `version` is what the user opened."""
    if version == record.version:
        return
    earlier = record.history.filter(version=version).first()
    changed = [name for name in fields if earlier is None or getattr(earlier, name) != getattr(record, name)]
    labels = [record._meta.get_field(name).verbose_name for name in changed]
    who = record.history.first().history_user
    raise EditConflict(
        f"{who or 'Someone'} saved this {noun} after you opened it, changing: "
        f"{', '.join(labels) or 'nothing you can see'}. Your text has not been lost.",
        current=record,
        changed=changed,
    )


def their_changes(conflict: EditConflict) -> list[tuple[str, str]]:
    """(label, what is stored now) for each field the other person changed, as the page shows it."""
    rows = []
    for name in conflict.changed:
        display = getattr(conflict.current, f"get_{name}_display", None)
        value = display() if display else getattr(conflict.current, name)
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        rows.append((conflict.current._meta.get_field(name).verbose_name, "" if value is None else str(value)))
    return rows


def form_after_conflict(conflict: EditConflict, data, form_of):
    """The user's text, bound to a form now based on the stored version (so saving again is a
    deliberate choice), with the conflict at the top of the page."""
    data = data.copy()
    data["version"] = conflict.current.version
    form = form_of(conflict.current, data)
    form.is_valid()
    form.add_error(None, f"{conflict.messages[0]} What they saved is shown above the form.")
    return form
