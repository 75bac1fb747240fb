"""The impact report in a browser: reached from the programme page, accessible, downloadable."""

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.flows import ORGANISER, demo_programme, sign_in


def test_organiser_opens_the_impact_report_and_downloads_the_workbook(page, t, axe_check):
    programme = demo_programme()
    sign_in(page, t, ORGANISER)
    page.goto(f"/manage/programmes/{programme.id}")
    page.get_by_role("link", name=t("Impact report")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Impact report"))
    cohorts = page.get_by_role("table", name=t("Cohorts"))
    expect(cohorts.get_by_role("rowheader", name=programme.cohorts[0].name)).to_be_visible()
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as Excel workbook")).click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.worksheets[0]["A2"].value == programme.cohorts[0].name
