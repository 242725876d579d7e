"""`seed_demo --authority`: the browser tests seed only the authority they sign in to. The whole
demo is tested once, in tests/test_demo.py."""

import pytest
from django.core.management import call_command

from cases.demo_children import DEMO_CHILDREN
from cases.models import Child, User

pytestmark = pytest.mark.django_db


def test_one_authority_alone_can_be_seeded(capsys, timescales_loaded):
    call_command("seed_demo", authorities=["york"])
    assert set(User.objects.values_list("authority__slug", flat=True)) == {"york"}
    # with planning's Jordan, Amira, Lily and Kayla
    assert Child.objects.filter(authority__slug="york").count() == len(DEMO_CHILDREN) + 4
    assert set(Child.objects.values_list("authority__slug", flat=True)) == {"york"}
    printed = capsys.readouterr().out
    assert "social-worker@york.casework.test" in printed and "barnet" not in printed


def test_an_unknown_authority_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No demo authority called narnia"):
        call_command("seed_demo", authorities=["narnia"])
    assert not User.objects.exists() and not Child.objects.exists()
