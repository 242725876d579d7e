"""An authority's practice other than its timescales: the `[practice]` table of its file in
config/authorities/. Read from the file, not the database, because it changes only with a release
(the timescales, which an admin may change, are loaded into the database)."""

from functools import cache
from pathlib import Path

from django.conf import settings

from ..models import Authority
from ..rules.config import Practice, load_file


def authorities_directory() -> Path:
    return Path(settings.BASE_DIR) / "config" / "authorities"


def practice_for(authority: Authority) -> Practice:
    return _practice_of(authority.slug)


@cache
def _practice_of(slug: str) -> Practice:
    path = authorities_directory() / f"{slug}.toml"
    return load_file(path).practice if path.is_file() else Practice()
