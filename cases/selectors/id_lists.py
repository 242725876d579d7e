"""Filtering by a long list of ids.

`pk__in=[...]` sends one parameter per id; with the ten thousand children behind a morning's
digests PostgreSQL spends a third of the run parsing and planning those lists. One array parameter
unnested into a set costs the same whatever its length. Other databases (SQLite in the quick start)
take the plain list.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def among(ids: Iterable[int]):
    """The right-hand side of an `__in` filter for these ids."""
    values = sorted(set(ids))
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return values
