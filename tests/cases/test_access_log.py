import pytest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.test import RequestFactory

from cases.access_log import logs_access
from cases.models import AccessLog, Team
from cases.selectors import teams_visible_to
from tests.factories import AccessLogFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _team_for(request, pk):
    return get_object_or_404(teams_visible_to(request.user), pk=pk)


@logs_access(_team_for)
def team_page(request, pk, subject):
    return HttpResponse(subject.name)


def _get(user, pk, method="get"):
    request = getattr(RequestFactory(), method)(f"/teams/{pk}/")
    request.user = user
    return team_page(request, pk=pk)


def test_viewing_a_record_writes_who_what_and_when(social_worker, team):
    assert _get(social_worker, team.pk).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.subject, entry.path) == (social_worker, team, f"/teams/{team.pk}/")
    assert entry.authority == social_worker.authority


def test_a_record_the_user_may_not_see_is_404_and_not_logged(social_worker, other_authority):
    from django.http import Http404

    hidden = TeamFactory(authority=other_authority)
    with pytest.raises(Http404):
        _get(social_worker, hidden.pk)
    assert not AccessLog.objects.exists()


def test_a_post_is_not_logged_as_a_view(social_worker, team):
    _get(social_worker, team.pk, method="post")
    assert not AccessLog.objects.exists()


def test_access_log_factory_builds_a_valid_row():
    entry = AccessLogFactory()
    assert isinstance(entry.subject, Team)
    assert entry.subject.authority_id == entry.authority_id
