"""Printing: any page prints as the record's content alone (no menus, buttons or sign-out), marked
OFFICIAL-SENSITIVE; and "Download the record" on the child's header gives the whole record as a
PDF. In real Chromium, printing with its own PDF printer. York's demo child Maya Hughes."""

import io

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def printed_text(page) -> str:
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_a_page_prints_without_menus_or_buttons_and_the_record_downloads(demo_in, page):
    demo_in("york")
    sign_in(page, "social-worker@york.casework.test")
    page.locator("#caseload").get_by_role("link", name="Maya Hughes").click()
    page.wait_for_url("**/children/*/")

    on_screen = page.locator("body").inner_text()
    assert "Sign out" in on_screen and "OFFICIAL-SENSITIVE" not in on_screen
    text = printed_text(page)
    assert "Maya Hughes" in text and "OFFICIAL-SENSITIVE" in text
    for screen_only in ("Sign out", "Skip to main content", "This is a new service", "Download the record",
                        "Sections of this record"):  # fmt: skip
        assert screen_only not in text, screen_only

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the record").click()
    saved = download.value.path()
    pdf = PdfReader(str(saved))
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "The record of Maya Hughes" in first and "OFFICIAL-SENSITIVE" in first
    assert f"Page 1 of {len(pdf.pages)}" in first
