"""The shipped authority files built into policies, once for the session: the rules module is pure,
so every test of it reads the same policies."""

from pathlib import Path

import pytest

from cases.rules.config import load_file
from cases.rules.policy import build_policy

AUTHORITIES = Path(__file__).resolve().parents[3] / "config" / "authorities"
SLUGS = ["england", "barnet", "st-helens", "leeds", "wiltshire", "york"]


@pytest.fixture(scope="session")
def policies():
    england = load_file(AUTHORITIES / "england.toml")
    return {slug: build_policy(england, None if slug == "england" else load_file(AUTHORITIES / f"{slug}.toml"))
            for slug in SLUGS}  # fmt: skip
