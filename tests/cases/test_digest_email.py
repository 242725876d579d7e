"""The digest email, word for word and tag for tag: a digest that uses every part of the layout (an
urgent section, an intro, grouped and flat lines, lines with and without a link or a name, "and N
more", the links under a figure) renders exactly as the files in digest_email/ say, which were
written by the renderer the emails were first sent with. Names and text typed by people are
escaped in the HTML part and left as typed in the plain text."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cases.models import Authority, User
from cases.selectors.digests import Digest, Entry, Group, Section, Window
from cases.services.digests import digest_message

EXPECTED = Path(__file__).parent / "digest_email"
LONDON = ZoneInfo("Europe/London")
SITE = "https://casework.example.org"
SCRIPT = '<script>alert("hi")</script>'


def sample_digest() -> Digest:
    """A digest built by hand, so that it changes only when this test does."""
    authority = Authority(pk=7, name="O'Brien & Sons Borough Council", slug="obrien")
    user = User(pk=42, email="wendy@example.org", full_name="Wendy <b>O'Walker</b>", authority=authority)
    now = datetime(2026, 11, 20, 7, 0, tzinfo=LONDON)
    window = Window(now=now, tz=LONDON, today=date(2026, 11, 20), next_day=date(2026, 11, 23),
                    horizon=date(2026, 11, 27), due_soon_days=5, due_soon_before=now, escalation_days=10,
                    escalate_before=now)  # fmt: skip
    child = f"{SITE}/children/9/"
    sections = [
        Section(kind="today", heading="Due today, Fri 20 Nov", groups=[Group([
            Entry(lead=f"{SCRIPT} Smith", url=child, text="Visit & \"see\" the child, due by Fri 20 Nov"),
            Entry(text="Supervision notes, due by 17:00 on Fri 20 Nov", url=f"{SITE}/work/"),
        ])]),
        Section(kind="waiting", heading="Waiting for your sign-off: 12", groups=[Group([
            Entry(lead="Amy Archer", url=f"{SITE}/assessments/3/",
                  text="assessment from Sam O'Kafor, submitted Thu 19 Nov"),
        ])], more="and 11 more", more_url=f"{SITE}/sign-off/?mine=1&team=2",
            links=[("Open the closure and transfer requests", f"{SITE}/closures/?a=1&b=2")], left_out=11),
        Section(kind="overdue", heading="Overdue: 14", urgent=True, groups=[
            Group(entries=[Entry(text="Case summary refresh, due by Mon 16 Nov (4 working days overdue)"),
                           Entry(text=f"Agreed: {SCRIPT}, due by Tue 17 Nov (3 working days overdue)")],
                  heading=f"{SCRIPT} Smith", url=child),
            Group(entries=[Entry(text="Plan review, due by Wed 18 Nov (2 working days overdue)")],
                  heading="Not about one child"),
        ], more="and 11 more overdue, on My work", more_url=f"{SITE}/work/", left_out=11),
        Section(kind="team", heading="Your team: Duty & Assessment", intro="3 overdue, 2 due by Fri 27 Nov.",
                groups=[Group(entries=[Entry(lead="Not allocated", text="1 overdue (Carl Cole)"),
                                       Entry(lead="Bob <i>Brown</i>", text="2 overdue (Amy Archer and 1 other)")],
                              heading="By worker"),
                        Group(entries=[Entry(text="Plan review: 2 (Amy Archer), the oldest was due by Mon 2 Nov")],
                              heading="Most often overdue")],
                links=[("See the team's 3 overdue", f"{SITE}/performance/overdue/?team=5"),
                       ("Open the team page", f"{SITE}/team/")]),
    ]  # fmt: skip
    return Digest(user=user, digest_date=date(2026, 11, 20), window=window, sections=sections, due_today_count=2,
                  due_soon_count=4, overdue_count=14, waiting_count=12, teams=["Duty & Assessment"])  # fmt: skip


@pytest.fixture
def message(settings):
    settings.SITE_URL = SITE
    return digest_message(sample_digest())


def html_of(message) -> str:
    (page,) = [content for content, kind in message.alternatives if kind == "text/html"]
    return page


def test_the_plain_text_part_is_exactly_as_it_was(message):
    assert message.body == (EXPECTED / "sample.txt").read_text()


def test_the_html_part_is_exactly_as_it_was(message):
    assert html_of(message) == (EXPECTED / "sample.html").read_text()


def test_the_subject_counts_what_the_digest_holds(message):
    assert message.subject == (
        "Casework: 2 due today, 14 overdue, 2 due soon, 12 waiting for you, your team – Fri 20 November 2026"
    )


def test_a_childs_name_with_markup_is_escaped_in_the_html_and_as_typed_in_the_text(message):
    page = html_of(message)
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; Smith" in page
    assert "Wendy &lt;b&gt;O&#x27;Walker&lt;/b&gt;" in page
    assert 'href="https://casework.example.org/closures/?a=1&amp;b=2"' in page
    assert f"{SCRIPT} Smith ({SITE}/children/9/)" in message.body
    assert "Good morning Wendy <b>O'Walker</b>." in message.body
