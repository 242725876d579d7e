"""Each role's morning digest, rendered on the quick start's demo (Leeds, seeded once for the
module, on Friday 20 November 2026): what it leads with, one line per item, "and N more" with its
link, the names behind a manager's figures, links built from SITE_URL, a layout a phone shows whole,
and never a timescale key, an authority slug, a file name or a line number.

Each test runs in its own transaction over the seeded data; what a test adds (through the ledger's
own services) goes with it."""

import html
import re
from datetime import date, datetime

import pytest
from django.core import mail

from cases.demo import demo_email
from cases.models import Authority, Case, Deadline, User
from cases.roles import Role
from cases.selectors.digests import Digest, digests_for
from cases.selectors.timescales import policy_for
from cases.services.children import case_allocate
from cases.services.deadlines import deadline_open_agreed, deadline_open_where_set
from cases.services.digests import digest_message
from tests.cases.test_digests import send_all
from tests.clock import DEFAULT, LONDON
from tests.support import demo_seeded

pytestmark = pytest.mark.django_db

SITE = "https://casework.example.org"
TODAY = DEFAULT.date()  # Friday 20 November 2026


@pytest.fixture(scope="module", autouse=True)
def demo(request, django_db_setup, django_db_blocker):
    with demo_seeded(request.node, django_db_blocker, authorities=["leeds"]):
        yield


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def person(role: str) -> User:
    return User.objects.select_related("authority").get(email=demo_email(role, "leeds"))


def digest_of(user: User) -> Digest:
    (digest,) = digests_for([user], now=DEFAULT)
    return digest


def rendered(user: User) -> tuple[Digest, str, str, str]:
    """The digest, and its email's subject, plain text and HTML, each checked for what every digest
    must be (`assert_fit_to_read`)."""
    digest = digest_of(user)
    message = digest_message(digest)
    page = next(content for content, kind in message.alternatives if kind == "text/html")
    assert_fit_to_read(message.subject, message.body, page)
    return digest, message.subject, message.body, page


def assert_fit_to_read(subject: str, text: str, page: str) -> None:
    # Never machine text: a timescale key, the authority's slug, a file name or a line number.
    everything = "\n".join((subject, text, page))
    keys = policy_for("leeds").all_keys()
    found = [key for key in keys if re.search(rf"(?<![\w/-]){re.escape(key)}(?![\w-])", everything)]
    assert found == [], found
    assert not re.search(r"\bleeds\b|\b\w+\.(md|txt|toml|py)\b|\bL\d{2,}|working_days|Source:|Explained", everything)
    # None of the old slips: "0 working days ago", "alone.: agreed", an item under the wrong bucket.
    assert not re.search(r"\b0 working days|\.:|\.,|working days? ago", everything)
    # Links start with SITE_URL, in both parts.
    assert all(url.startswith(SITE + "/") for url in re.findall(r'href="([^"]*)"', page))
    assert all(url.startswith(SITE + "/") for url in re.findall(r"https?://[^\s)]+", text))
    # A phone shows it whole: a viewport, and nothing wider than 600 px.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "max-width: 600px" in page
    assert all(int(px) <= 600 for px in re.findall(r'width(?:="|: ?)(\d+)(?:px|")', page))
    # Each item one line, none repeated, and the HTML says what the plain text says.
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == len(set(items)), [line for line in items if items.count(line) > 1]
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    for line in items:
        assert re.sub(r" \(https?://[^)]+\)$", "", line[2:]) in words, line


def section_of(text: str, heading: str, until: str = "") -> list[str]:
    """The item lines under a heading of the plain-text part, up to the next section's heading (or
    the line `until`)."""
    lines = text.split(heading, 1)[1].splitlines()[1:]
    found = []
    for line in lines:
        if (line.isupper() and line.strip()) or (until and line == until):
            break
        if line.startswith("- "):
            found.append(line)
    return found


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LONDON)


def demo_case(first_name: str) -> Case:
    return Case.objects.select_related("team", "worker", "child", "authority").get(
        authority__slug="leeds", child__first_name=first_name, closed_at=None
    )


def open_clock(key: str, first_name: str, start: datetime, assignee: User) -> Deadline:
    case = demo_case(first_name)
    found = deadline_open_where_set(authority=case.authority, key=key, subject=case.child, start=start, case=case,
                                    team=case.team, assignee=assignee)  # fmt: skip
    assert found is not None, key
    return found


def test_a_social_workers_digest_leads_with_today_and_monday_then_overdue_by_child_then_later():
    worker = person(Role.SOCIAL_WORKER)
    ruby = demo_case("Ruby")
    # Agreed today at a visit, due today; typed with a full stop, which once read "attendance.: agreed".
    for _ in range(2):  # the same action recorded twice reads as one line
        deadline_open_agreed(authority=ruby.authority, key="visit_action", subject=ruby.child, due_on=TODAY,
                             what="Ring the school about Ruby's attendance.", agreed_at=DEFAULT, team=ruby.team,
                             assignee=worker, case=ruby)  # fmt: skip
    digest, subject, text, page = rendered(worker)
    assert subject == "Casework: 1 due today, 25 overdue, 6 due soon – Fri 20 November 2026"
    headings = ["DUE TODAY, FRI 20 NOV", "DUE NEXT WORKING DAY, MON 23 NOV", "OVERDUE: 25", "DUE LATER, BY FRI 27 NOV"]
    assert [text.index(heading) for heading in headings] == sorted(text.index(heading) for heading in headings)
    assert section_of(text, "DUE TODAY, FRI 20 NOV") == [
        f"- Ruby Ahmed: Ring the school about Ruby's attendance, due by Fri 20 Nov ({SITE}/children/{ruby.child_id}/)"
    ]
    # On a Friday the next working day is Monday; what falls due over the weekend comes with it.
    monday = section_of(text, "DUE NEXT WORKING DAY, MON 23 NOV")
    assert any("due by 11:00 on Sat 21 Nov" in line for line in monday)
    assert all(re.search(r"due by (11:00 on )?(Sat 21|Sun 22|Mon 23) Nov", line) for line in monday)
    # Overdue: ten lines at most, what went overdue most recently first, under each child's name;
    # the work overdue since 2025 is counted, not listed.
    overdue = text.split("OVERDUE: 25\n", 1)[1].split("DUE LATER")[0]
    assert len(section_of(text, "OVERDUE: 25")) == 10
    assert f"and 15 more overdue, on My work: {SITE}/\n" in overdue
    link = 'style="color: #1d70b8; text-decoration: underline;"'
    assert f'<a href="{SITE}/" {link}>and 15 more overdue, on My work</a>' in page
    assert overdue.startswith(f"\nLily Morgan ({SITE}/children/")
    assert "- The placement plan is completed, due by Wed 18 Nov (2 working days overdue)" in overdue
    assert "2025" not in overdue
    late = [int(days) for days in re.findall(r"\((\d+) working days? overdue\)", overdue)]
    assert len(late) == 10 and max(late) == 16  # the fifteen left out are all older
    assert digest.overdue_count == 25 and digest.section("overdue").left_out == 15
    assert "Action from the visit on Wed 4 Nov 2026: Check Ruby's fracture clinic appointment was kept, due by " \
           "Wed 11 Nov (7 working days overdue)" in overdue
    assert "OVERDUE BY MORE THAN" not in text and "YOUR TEAM" not in text


def test_a_team_managers_digest_names_the_workers_and_children_and_the_sign_off_waiting():
    manager = person(Role.TEAM_MANAGER)
    team = manager.role_assignments.get(role=Role.TEAM_MANAGER).team
    digest, subject, text, page = rendered(manager)
    assert subject == "Casework: 1 waiting for you, your team – Fri 20 November 2026"
    assert section_of(text, "WAITING FOR YOUR SIGN-OFF: 1") == [
        f"- Ethan Doyle: Assessment from Sam Okafor, submitted Fri 20 Nov ({SITE}/assessments/"
        f"{demo_case('Ethan').assessments.get().pk}/)"
    ]
    assert f"Open the sign-off queue: {SITE}/assessments/awaiting-sign-off/" in text
    by_worker = section_of(text, "By worker")
    # Nobody holds it: first, with the children named, never "1/3".
    assert by_worker[0] == ("- Not allocated: 1 overdue (Grace O'Neill); 3 due by Fri 27 Nov (Aisha Rahman, "
                            "Kacper Nowak and Baby Mensah)")
    assert by_worker[1].startswith("- Sam Okafor: 25 overdue (Jordan Price, Kayla Brooks, Lily Morgan, Tyler Evans "
                                   "and Ruby Ahmed); 6 due by Fri 27 Nov (")
    assert not re.search(r"\d+ ?/ ?\d+", text)
    kinds = section_of(text, "Most often overdue")
    assert len(kinds) == 6 and kinds[-1] == "- and 6 other kinds of work"
    assert kinds[0].startswith("- The care plan is updated after a review: 7 (Jordan Price, Kayla Brooks and Lily ")
    # Each figure links to the list behind it.
    assert f"See the team's 26 overdue: {SITE}/performance/overdue/?team={team.pk}" in text
    assert f'href="{SITE}/performance/overdue/?team={team.pk}"' in page and f'href="{SITE}/team/"' in page
    assert f'href="{SITE}/assessments/awaiting-sign-off/"' in page
    assert digest.teams == [team.name]


def test_a_service_managers_digest_names_who_and_what_is_escalated():
    digest, subject, text, page = rendered(person(Role.SERVICE_MANAGER))
    assert subject == "Casework: 1 waiting for you, 21 escalated – Fri 20 November 2026"
    assert "WAITING FOR YOUR SIGN-OFF: 1" in text  # every team's, for a service manager
    assert section_of(text, "Who holds them", until="Most recently escalated") == [
        "- Sam Okafor, Assessment team: 20 overdue (Tyler Evans, Jordan Price, Lily Morgan and Kayla Brooks)",
        "- Not allocated, Assessment team: 1 overdue (Grace O'Neill)",
    ]
    items = section_of(text, "Most recently escalated")
    assert len(items) == 10 and f"and 11 more escalated: {SITE}/performance/overdue/" in text
    tyler = f"{SITE}/children/{demo_case('Tyler').child_id}/"
    assert items[0] == ("- Tyler Evans: The first statutory visit after any placement starts, due by Thu 5 Nov "
                        f"(11 working days overdue), held by Sam Okafor ({tyler})")
    held = r"\((\d+) working days overdue\), (held by Sam Okafor|not allocated) "
    assert all(re.search(held, line) for line in items)
    # More than ten means more than ten: Jordan's visit, exactly ten working days overdue, is not here.
    assert all(int(days) > 10 for days in re.findall(r"\((\d+) working days overdue\)", text))
    assert all(line.working_days_overdue > 10 for line in digest.escalations)
    assert "due by Fri 6 Nov" not in text
    assert f'href="{SITE}/performance/overdue/"' in page


def test_a_qa_auditors_digest_lists_the_audits_waiting_for_them():
    digest, subject, text, page = rendered(person(Role.QA_AUDITOR))
    assert subject == "Casework: 1 waiting for you – Fri 20 November 2026"
    assert section_of(text, "CASE AUDITS FOR YOU: 1") == [
        f"- Tyler Evans: Case audit, assigned to you Fri 20 Nov ({SITE}/audits/"
        f"{demo_case('Tyler').audits.get(status='assigned').pk}/)"
    ]
    assert f"Open your audits: {SITE}/audits/?mine=1" in text and f'href="{SITE}/audits/?mine=1"' in page
    assert [section.kind for section in digest.sections] == ["waiting"]


def test_a_personal_advisers_digest_leads_with_today_then_what_is_overdue():
    adviser = person(Role.PERSONAL_ADVISER)
    kayla = demo_case("Kayla")
    # Kayla has left care: her case moves to the adviser, with its open deadlines; the adviser's
    # contacts come every 20 working days in Leeds, the next one due today.
    case_allocate(case=kayla, worker=adviser, team=adviser.role_assignments.get().team,
                  allocated_by=person(Role.SERVICE_MANAGER), change_reason="MANAGE")  # fmt: skip
    open_clock("care_leaver_contact_interval", "Kayla", at(23, month=10), adviser)
    digest, subject, text, page = rendered(adviser)
    assert subject == f"Casework: 1 due today, {digest.overdue_count} overdue – Fri 20 November 2026"
    link = f"{SITE}/children/{kayla.child_id}/"
    assert section_of(text, "DUE TODAY, FRI 20 NOV") == [
        f"- Kayla Brooks: Gap between the personal adviser's contacts or visits, due by Fri 20 Nov ({link})"
    ]
    overdue = text.split(f"OVERDUE: {digest.overdue_count}\n", 1)[1]
    assert overdue.startswith(f"\nKayla Brooks ({link})\n- The pathway plan is reviewed, due by Sun 27 Sep "
                              "(40 working days overdue)\n")
    assert text.index("DUE TODAY") < text.index("OVERDUE:")
    assert "DUE NEXT WORKING DAY" not in text  # nothing due on Monday: no empty heading
    assert "Sam Okafor" not in text and digest.due_today_count == 1


def test_a_conference_chairs_digest_shows_their_review_decisions_due():
    chair = person(Role.CONFERENCE_CHAIR)
    # The IRO issues a review's decisions within 5 working days (Leeds): Tyler's review on Mon 16 Nov
    # makes them due on Monday 23rd; Lily's on Fri 13 Nov, today.
    open_clock("lac_review_decisions", "Tyler", at(16), chair)
    open_clock("lac_review_decisions", "Lily", at(13), chair)
    digest, subject, text, page = rendered(chair)
    assert subject == "Casework: 1 due today, 1 due soon – Fri 20 November 2026"
    assert section_of(text, "DUE TODAY, FRI 20 NOV") == [
        f"- Lily Morgan: The IRO issues the review's written decisions or recommendations, due by Fri 20 Nov "
        f"({SITE}/children/{demo_case('Lily').child_id}/)"
    ]
    assert section_of(text, "DUE NEXT WORKING DAY, MON 23 NOV") == [
        f"- Tyler Evans: The IRO issues the review's written decisions or recommendations, due by Mon 23 Nov "
        f"({SITE}/children/{demo_case('Tyler').child_id}/)"
    ]
    assert "OVERDUE" not in text and "WAITING" not in text


@pytest.mark.parametrize("role", [Role.BUSINESS_SUPPORT, Role.DATA_OFFICER, Role.AUTHORITY_ADMIN])
def test_a_role_with_nothing_to_report_gets_no_email(role):
    user = person(role)
    assert digest_of(user).is_empty
    send_all(authority=["leeds"])
    assert user.email not in {address for message in mail.outbox for address in message.to}
    assert sorted(address.split("@")[0] for message in mail.outbox for address in message.to) == [
        "newly-qualified-social-worker", "qa-auditor", "service-manager", "social-worker", "team-manager"]


def test_every_digest_in_the_demo_is_fit_to_read():
    users = list(User.objects.filter(authority=Authority.objects.get(slug="leeds")).select_related("authority"))
    for digest in digests_for(users, now=DEFAULT):
        if not digest.is_empty:
            message = digest_message(digest)
            assert_fit_to_read(message.subject, message.body, message.alternatives[0][0])
    assert date(2026, 11, 20) == TODAY
