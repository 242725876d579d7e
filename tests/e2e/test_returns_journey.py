"""The York performance and data officer produces the demo's CIN census for 2025-26, watches it
checked by the DfE's rules, reads the result and downloads the file; then the SSDA903. On a
phone-sized screen as well as a desktop one, every page checked with axe."""

import pytest

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_data_officer_produces_checks_and_downloads_the_returns(demo_in, page, axe):
    from cases.models import AccessLog

    demo_in("york")
    sign_in(page, "data-officer@york.casework.test")
    page.get_by_role("link", name="Returns", exact=True).click()
    assert_accessible(axe, page)
    page.get_by_label("CIN census").check()
    page.get_by_label("2025-26").check()
    page.get_by_role("button", name="Produce and check the return").click()
    page.wait_for_selector("#summary")  # the quick start runs the task at once, without Redis
    main = page.locator("main").inner_text()
    assert "CIN census 2025-26" in main and "No errors" in main
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return").click()
    assert download.value.suggested_filename == "cin_2025_26_816.xml"
    assert AccessLog.objects.filter(user__email="data-officer@york.casework.test", path__contains="download").exists()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/returns/")
    page.get_by_label("SSDA903 (children looked after)").check()
    page.get_by_label("2025-26").check()
    page.get_by_role("button", name="Produce and check the return").click()
    page.wait_for_selector("#summary")
    assert "SSDA903 (children looked after) 2025-26" in page.locator("h1").inner_text()
    assert fits(page)
    assert_accessible(axe, page)
    page.goto("/returns/")
    assert fits(page) and page.locator("#runs tbody tr").count() == 2
