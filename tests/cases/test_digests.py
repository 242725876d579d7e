"""The morning digests: who gets what, never a child the reader may not see, never an empty email,
never twice in a day, and a fixed number of queries however many deadlines there are."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AlertSettings, Authority, DigestSend, User
from cases.roles import Role
from cases.selectors.children import children_visible_to
from cases.selectors.digests import digests_for
from cases.services.digests import digest_chunk_send, digest_chunks
from tests.cases.alerts_world import LONDON, NOW, build_world, deadline, end_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(leeds):
    return build_world(leeds, Authority.objects.get(slug="york"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def send_all(**options) -> str:
    out = __import__("io").StringIO()
    call_command("send_digests", stdout=out, **options)
    return out.getvalue()


def email_to(address: str):
    found = [message for message in mail.outbox if message.to == [address]]
    assert len(found) == 1, f"{len(found)} emails to {address}"
    return found[0]


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_a_worker_gets_their_overdue_and_due_soon_work_grouped_by_child(world, frozen, settings):
    settings.SITE_URL = "https://casework.example"
    send_all()
    message = email_to("wendy@leeds.test")
    text = message.body
    assert message.subject == "Casework: 2 overdue, 1 due soon – Wed 11 November 2026"
    overdue, later = text.split("DUE LATER, BY WED 18 NOV")
    assert "OVERDUE: 2" in overdue
    # What went overdue most recently first: Rita's (Mon 9 Nov), then Amy's (Fri 6 Nov).
    assert overdue.index("Rita Restricted") < overdue.index("Amy Archer")
    assert f"Amy Archer (https://casework.example/children/{world.amy.pk}/)" in overdue
    assert "- The child is seen on the first assessment visit, due by Fri 6 Nov (3 working days overdue)" in overdue
    # Rita's record is restricted to Wendy, so Wendy sees her own work on it.
    assert "due by Mon 9 Nov (2 working days overdue)" in overdue
    # A key no longer in the catalogue reads as words; the due day is a plain date.
    amy = f"https://casework.example/children/{world.amy.pk}/"
    assert f"- Amy Archer: Case summary refresh, due by Fri 13 Nov ({amy})" in later
    assert "Explained" not in text and "child_seen_after_allocation" not in text  # no machine text
    assert "Visit cin" not in text  # due in December: not soon
    assert "Carl" not in text and "YOUR TEAM" not in text and "MORE THAN 10 WORKING DAYS" not in text
    html = html_of(message)
    assert f'href="https://casework.example/children/{world.amy.pk}/"' in html
    assert "#1d70b8" in html and "Overdue: 2" in html


def test_a_team_manager_gets_the_teams_picture_naming_workers_and_children(world, frozen):
    send_all()
    text = email_to("mona@leeds.test").body
    # Rita's record names only Wendy: her overdue item is neither counted nor named in Mona's picture.
    assert "YOUR TEAM: DUTY\n1 overdue, 1 due by Wed 18 Nov." in text
    assert "- Wendy Walker: 1 overdue (Amy Archer); 1 due by Wed 18 Nov (Amy Archer)" in text
    assert "- The child is seen on the first assessment visit: 1 (Amy Archer), the oldest was due by Fri 6 Nov" in text
    assert f"See the team's 1 overdue: http://127.0.0.1:8000/performance/overdue/?team={world.duty.pk}" in text
    assert "Open the team page: http://127.0.0.1:8000/team/" in text
    assert "Rita" not in text and "Support" not in text and "Bob Brown" not in text
    other = email_to("max@leeds.test").body
    assert "YOUR TEAM: SUPPORT\n1 overdue, 0 due by Wed 18 Nov." in other
    assert "- Bob Brown: 1 overdue (Carl Cole)" in other


def test_what_is_overdue_beyond_the_escalation_threshold_goes_to_the_service_manager(world, frozen):
    send_all()
    text = email_to("sue@leeds.test").body
    assert "OVERDUE BY MORE THAN 10 WORKING DAYS: 1" in text
    assert "- Bob Brown, Support: 1 overdue (Carl Cole)" in text
    assert ("- Carl Cole: The child and family (single) assessment is finished, which means a manager has signed it "
            "off, due by Fri 16 Oct (18 working days overdue), held by Bob Brown") in text
    assert "Amy" not in text


def test_the_threshold_and_due_soon_window_are_the_authoritys_own(world, frozen):
    AlertSettings.objects.create(authority=world.authority, escalation_working_days=2, due_soon_working_days=1)
    send_all()
    sue = email_to("sue@leeds.test").body
    assert "OVERDUE BY MORE THAN 2 WORKING DAYS: 2" in sue
    assert "Amy Archer" in sue and "(3 working days overdue)" in sue
    assert "Rita" not in sue  # restricted to Wendy alone
    wendy = email_to("wendy@leeds.test").body
    assert "DUE LATER" not in wendy and "Fri 13 Nov" not in wendy  # two working days away: past the window
    assert email_to("yuri@york.test").body.count("OVERDUE: 1") == 1  # York keeps the defaults


def test_an_item_exactly_at_the_threshold_is_not_escalated_even_on_a_weekend(world):
    """Ten working days overdue is not "more than ten", run on a working day or a Sunday."""
    for day in (30, 29):  # Fri 30 Oct: 10 working days before Fri 13 Nov; Thu 29 Oct: 11
        deadline(world.amy, due_at=end_of(day, 10), assignee=world.worker, team=world.duty, key="visit_recording")
    users = list(User.objects.filter(pk=world.service_manager.pk).select_related("authority"))
    for now in (datetime(2026, 11, 13, 9, tzinfo=LONDON), datetime(2026, 11, 15, 9, tzinfo=LONDON)):  # Fri, Sun
        (digest,) = digests_for(users, now=now)
        escalated = {line.due_at.date(): line.working_days_overdue for line in digest.escalations}
        assert date(2026, 10, 30) not in escalated and escalated[date(2026, 10, 29)] == 11, now
        assert all(days > 10 for days in escalated.values())


def test_nobody_gets_an_empty_email_and_each_authority_only_its_own(world, frozen):
    output = send_all()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["bob@leeds.test", "max@leeds.test", "mona@leeds.test", "sue@leeds.test",
                          "wendy@leeds.test", "yuri@york.test"]  # fmt: skip
    assert output.startswith("6 digests sent")
    assert DigestSend.objects.get(user=world.auditor).status == DigestSend.Status.NOTHING
    assert "Yves" not in "".join(m.body + html_of(m) for m in mail.outbox if m.to != ["yuri@york.test"])


def test_a_digest_never_mentions_a_child_its_reader_may_not_see(world, frozen):
    send_all()
    children = [world.amy, world.rita, world.carl, world.yves]
    for message in mail.outbox:
        reader = User.objects.get(email=message.to[0])
        visible = set(children_visible_to(reader).values_list("pk", flat=True))
        content = message.body + html_of(message) + message.subject
        for child in children:
            if child.pk not in visible:
                assert child.first_name not in content, (reader.email, child.first_name)
                assert f"/children/{child.pk}/" not in content, (reader.email, child.first_name)
    assert "Rita" not in email_to("mona@leeds.test").body + email_to("sue@leeds.test").body


def test_a_record_restricted_after_the_deadline_opened_drops_out_of_the_workers_digest(world, frozen):
    world.amy.restricted = True
    world.amy.save()
    world.amy.restricted_to.add(world.manager)
    send_all()
    wendy = email_to("wendy@leeds.test").body
    assert "Amy" not in wendy and "Rita Restricted" in wendy


def test_running_twice_sends_nothing_twice(world, frozen):
    first = send_all()
    assert len(mail.outbox) == 6
    sent, nothing = (int(first.split(" digests sent, ")[0]), int(first.split(", ")[1].split(" people")[0]))
    # The second run says how many the first saw to, not "0 already sent".
    second = send_all().strip()
    assert second == f"0 digests sent, 0 people with nothing to send, {sent + nothing} already sent or in hand"
    assert len(mail.outbox) == 6
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        send_all()
    assert len(mail.outbox) == 12  # a new day is a new digest


def test_the_beat_job_waits_for_each_authoritys_digest_time(world):
    AlertSettings.objects.create(authority=world.authority, digest_time=time(8, 0))
    at = datetime(2026, 11, 11, 7, 0, tzinfo=LONDON)
    due = {chunk.authority_id for chunk in digest_chunks(now=at)}
    assert world.authority.pk not in due and world.outsider.authority_id in due  # York: 06:30
    assert world.authority.pk in {chunk.authority_id for chunk in digest_chunks(now=at + timedelta(hours=1, minutes=5))}
    assert world.authority.pk in {chunk.authority_id for chunk in digest_chunks(now=at, on_schedule=False)}


def test_the_job_is_split_into_chunks_of_one_authority(world):
    chunks = digest_chunks(now=NOW, size=3)
    assert all(len(chunk.user_ids) <= 3 for chunk in chunks)
    leeds_ids = sorted(pk for chunk in chunks if chunk.authority_id == world.authority.pk for pk in chunk.user_ids)
    assert leeds_ids == sorted(User.objects.filter(authority=world.authority).values_list("pk", flat=True))


def test_a_claim_left_by_a_worker_that_died_is_taken_over_and_sent_once(world, frozen, settings):
    """The first run claimed Wendy's and Mona's digests and died before sending. While the claims
    are fresh nobody else sends them; once stale, the next run does, once."""
    today = NOW.date()
    for user in (world.worker, world.manager):
        DigestSend.objects.create(user=user, authority=world.authority, digest_date=today, run="dead", claimed_at=NOW)
    send_all()
    assert {"wendy@leeds.test", "mona@leeds.test"}.isdisjoint(m.to[0] for m in mail.outbox)
    sent = len(mail.outbox)
    with time_machine.travel(NOW + timedelta(minutes=settings.DIGEST_CLAIM_MINUTES + 1), tick=False):
        assert send_all().startswith("2 digests sent")
        send_all()
    assert len(mail.outbox) == sent + 2
    assert email_to("wendy@leeds.test") and email_to("mona@leeds.test")
    assert DigestSend.objects.get(user=world.worker).status == DigestSend.Status.SENT


def test_a_chunk_sent_again_by_the_same_run_after_it_finished_sends_nothing(world, frozen):
    ids = list(User.objects.filter(authority=world.authority).values_list("pk", flat=True))
    first = digest_chunk_send(user_ids=ids, digest_date=NOW.date(), run="one")
    again = digest_chunk_send(user_ids=ids, digest_date=NOW.date(), run="one")
    other = digest_chunk_send(user_ids=ids, digest_date=NOW.date(), run="two")
    assert len(first.sent) == 5 and again.sent == [] and other.sent == []
    assert len(mail.outbox) == 5


def _more_deadlines(world, per_person: int, start: int = 0) -> None:
    """Deadlines each with a line of its own (two that read alike for one child are one line)."""
    for n in range(start, start + per_person):
        for child, worker, team in ((world.amy, world.worker, world.duty), (world.carl, world.other_worker,
                                                                            world.support)):  # fmt: skip
            deadline(child, due_at=end_of(1, 10) + timedelta(hours=n), assignee=worker, team=team, key=f"key_{n % 7}")
            deadline(child, due_at=end_of(12) + timedelta(minutes=n), assignee=worker, team=team)


def test_building_every_digest_takes_the_same_queries_however_many_deadlines(world, frozen):
    users = list(User.objects.filter(authority=world.authority).select_related("authority"))
    digests_for(users, now=NOW)  # the policy is cached per process, as in a worker
    counts, added = [], 0
    for extra in (2, 40):
        _more_deadlines(world, extra, start=added)
        added += extra
        fresh = list(User.objects.filter(authority=world.authority).select_related("authority"))
        with CaptureQueriesContext(connection) as queries:
            digests = digests_for(fresh, now=NOW)
        counts.append(len(queries))
        wendy = next(d for d in digests if d.user.pk == world.worker.pk)
        assert wendy.overdue_count == 2 + added and wendy.due_soon_count == 1 + added
    # Settings, the policy's revision, roles, three ledger queries (own, team, escalations), one per
    # kind of waiting work (closure and transfer requests, assessments to sign off, case audits) and
    # four for visibility.
    assert counts == [13, 13], counts


@pytest.mark.parametrize("extra", [2, 40])
def test_sending_every_digest_has_a_bounded_query_count(world, frozen, extra, django_assert_max_num_queries):
    """Counting those already seen to, finding who is due (with the authority's calendar, to know
    whether today is a digest day), claiming and building take a fixed number; each email sent adds
    the one update that records it (five people in Leeds have something to read)."""
    _more_deadlines(world, extra)
    send_all(authority=["leeds"])  # warm the policy cache
    DigestSend.objects.all().delete()
    with django_assert_max_num_queries(25 + 5):
        send_all(authority=["leeds"])


def test_an_authority_admin_sets_the_digest_settings_in_the_admin_with_history(client, world):
    from tests.factories import staff

    york = AlertSettings.objects.create(authority=world.outsider.authority)
    client.force_login(staff(Role.AUTHORITY_ADMIN, authority=world.authority, is_staff=True))
    fields = {"digest_time": "07:15", "due_soon_working_days": "3", "escalation_working_days": "15"}
    assert client.post("/admin/cases/alertsettings/add/", fields).status_code == 302
    chosen = AlertSettings.objects.get(authority=world.authority)
    assert (chosen.digest_time, chosen.due_soon_working_days, chosen.escalation_working_days) == (time(7, 15), 3, 15)
    assert client.get("/admin/cases/alertsettings/add/").status_code == 403  # one row per authority
    client.post(f"/admin/cases/alertsettings/{chosen.pk}/change/", fields | {"digest_time": "08:00"})
    assert [h.digest_time for h in chosen.history.order_by("history_id")] == [time(7, 15), time(8, 0)]
    assert client.get(f"/admin/cases/alertsettings/{chosen.pk}/history/").status_code == 200
    assert client.get(f"/admin/cases/alertsettings/{york.pk}/change/").status_code == 404
    assert "City of York" not in client.get("/admin/cases/alertsettings/").content.decode()


def test_the_batch_visibility_check_agrees_with_children_visible_to_for_every_role(world, people, allocated):
    """The digests check every line with visible_child_ids; it must answer as children_visible_to."""
    from cases.models import Child, Referral
    from cases.selectors.children import visible_child_ids
    from cases.selectors.people import load_role_assignments
    from tests.factories import ChildFactory

    referred = ChildFactory(authority=world.authority, created_by=world.other_worker)
    Referral.objects.create(authority=world.authority, child=referred, team=world.duty, received_at=NOW,
                            recorded_by=world.auditor, source="2A", reasons="x")  # fmt: skip
    children = list(Child.objects.values_list("pk", flat=True))
    users = list(User.objects.all())
    assert len({u.pk for u in users} & {p.pk for p in people.values() if isinstance(p, User)}) == len(Role)
    load_role_assignments(users)
    batch = visible_child_ids(users, children)
    for user in users:
        assert batch[user.pk] == set(children_visible_to(user).values_list("pk", flat=True)), user.email
