"""One way to write a record, in every app: lock the row, then save it under the name of the person
who wrote it, so its history says who (django-simple-history reads `_history_user`).

Only the named row is locked (PostgreSQL's `FOR UPDATE OF` the row's own table). Rows read with it
(`related`) are not: without `of`, reading a case with its authority would lock the authority's row
too, and every write in that authority would queue behind every other."""

from collections.abc import Iterable

from django.db import models

from ..models import Case, User

SELF = ("self",)
# What a write on a case usually reads besides the case: who it is, where, and who holds it.
CASE_RELATED = ("child", "authority", "team", "worker")


def locked(model: type[models.Model], *, related: Iterable[str] = (), **lookup) -> models.Model:
    """The one row the lookup names, locked until the transaction ends."""
    return model.objects.select_for_update(of=SELF).select_related(*related).get(**lookup)


def locked_case(case: Case, related: Iterable[str] = CASE_RELATED) -> Case:
    """The case, locked: writes on one child's case run one at a time, and see each other's work."""
    return locked(Case, pk=case.pk, related=related)


def first_locked(queryset: models.QuerySet) -> models.Model | None:
    """The first row of the query, locked; None if there is none."""
    return queryset.select_for_update(of=SELF).first()


def each_locked(queryset: models.QuerySet) -> list[models.Model]:
    return list(queryset.select_for_update(of=SELF))


def locked_or_created(model: type[models.Model], *, defaults: dict | None = None, **lookup) -> models.Model:
    """The row the lookup names, locked, or a new one made with the defaults."""
    record, _ = model.objects.select_for_update(of=SELF).get_or_create(defaults=defaults, **lookup)
    return record


def save_as(record: models.Model, user: User | None, *, update_fields: Iterable[str] | None = None) -> models.Model:
    """Save the record, its history naming who wrote it."""
    record._history_user = user
    record.save(update_fields=update_fields)
    return record


def save_changes(record: models.Model, fields: dict, user: User | None, *, unchecked: Iterable[str] = ()) -> bool:
    """Set the fields, check the whole record and save it as `user`; nothing (no save, no history
    row) when every field already holds its value. `unchecked` names fields an older record may
    lack that this change is not about. True if it saved."""
    if all(getattr(record, name) == value for name, value in fields.items()):
        return False
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean(exclude=list(unchecked))
    save_as(record, user)
    return True
