"""The scanner the plain-English sweep uses (tests/plain_english.py): it finds what a reader would
see and nothing a reader would not."""

import pytest

from tests.plain_english import machine_text_in, visible_text

SLUGS = ["york", "st-helens", "leeds"]
KEYS = ["icpc", "cp_visit_interval", "cp_visit_interval_baby"]


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Due by Thu 17 Dec (cp_visit_interval)</p>", ["cp_visit_interval"]),
        ("<p>A timescale key alone: icpc</p>", ["icpc"]),
        ("<p>york: 20 working days</p>", ["york"]),
        ("<h2>york-s4.e19: your answer</h2>", ["york"]),  # a slug heading a code
        ("<p>St Helens and st-helens</p>", ["st-helens"]),
        ("<p>Source: landscape.md §D</p>", ["landscape.md"]),
        ("<p>seed 004_c5cbff694744b2ec.txt</p>", ["004_c5cbff694744b2ec.txt"]),
        ("<p>Standard 4, CP visits, L570–573</p>", ["L570"]),
        ("<p>config in york.toml</p>", ["york", "york.toml"]),
    ],
)
def test_it_finds_what_a_reader_would_see(html, found):
    assert machine_text_in(html, SLUGS, KEYS) == found


@pytest.mark.parametrize(
    "html",
    [
        '<a href="/timescales/icpc/change/" class="york">Change</a>',  # attributes are not read
        "<p>Email sam@york.casework.test or see https://york.example/leeds/</p>",  # addresses
        "<p>City of York Council, Leeds City Council, ICPC</p>",  # names and capitals
        "<p>UPN L816200516006</p>",  # a unique pupil number is not a line number
        "<script>const key = 'cp_visit_interval'; // york</script><style>.york{}</style>",
        "<!-- cp_visit_interval york L570 -->",
        '<details class="govuk-details casework-how-worked-out"><summary>How this date was worked out</summary>'
        '<div>Rule cp_visit_interval, york, york.toml, L570<details class="x">nested icpc</details> more</div>'
        "</details>",
        '<details class="govuk-details casework-how-this-is-set"><div>icpc L483</div></details>',
    ],
)
def test_it_finds_nothing_a_reader_would_not_see(html):
    assert machine_text_in(html, SLUGS, KEYS) == []


def test_what_follows_a_disclosure_is_still_read():
    html = ('<details class="casework-how-worked-out"><details>inner</details>cp_visit_interval</details>'
            "<p>after: icpc</p><details><summary>An ordinary disclosure</summary>L12</details>")  # fmt: skip
    assert "after:" in visible_text(html) and "inner" not in visible_text(html)
    assert machine_text_in(html, SLUGS, KEYS) == ["icpc", "L12"]
