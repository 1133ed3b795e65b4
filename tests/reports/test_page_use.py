"""The eval page as a maintainer uses it in Chromium.

The eval page as a maintainer uses it in Chromium: a link opens what it names however often it is followed, a
long file path wraps, and without JavaScript the page says what it still shows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from harness.synthetic import matrix_toml, series_mbox
from reports.html_report import render_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# A path of one long word per directory, as deep trees have: 240 characters with no space to break at.
LONG_PATH = "include/" + "/".join(f"averyverylongdirectoryname{i}" for i in range(8)) + "/helper.h"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's four patches (the second changes what the helper prints), the fourth's new file at LONG_PATH."""
    tmp = tmp_path_factory.mktemp("page")
    (tmp / "s.mbox").write_text(series_mbox(1, 4).replace("bench/notes-4.txt", LONG_PATH))
    (tmp / "m.toml").write_text(matrix_toml(8))
    rep = report_model(evaluate(EvalRequest((tmp / "s.mbox",), matrix=tmp / "m.toml")))
    assert rep.details  # the matrix links to scenarios where the variants differ
    out = tmp / "report.html"
    out.write_text(render_html(rep))
    return out


def test_a_link_followed_again_opens_its_section(page_file: Path, browser: Browser) -> None:
    # The script opened a linked <details> on a change of the address's #fragment: a matrix link clicked again
    # after its scenario was closed, or a 'same helper code as' link to the section the address already names,
    # scrolled to a closed one-line summary.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        link = page.locator("table.matrix tbody a").first
        target = page.locator(f"details{link.get_attribute('href')}")
        for _ in range(2):
            link.click()
            assert target.evaluate("d => d.open")
            target.locator("summary").click()
            assert not target.evaluate("d => d.open")
            link.scroll_into_view_if_needed()
    finally:
        context.close()


def test_a_long_path_does_not_widen_the_page(page_file: Path, browser: Browser) -> None:
    # The provenance table's files and a 'not compared: PATH:1 (file scope)' line stretched the page sideways.
    assert LONG_PATH in page_file.read_text()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    finally:
        context.close()


def test_without_javascript_the_page_says_what_it_shows(page_file: Path, browser: Browser) -> None:
    # The note said the scenario details stay empty: they list each group's letter and variants, not what they do.
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.locator("table.matrix tbody tr").count() == 0
        group = (page.locator("#scenarios ~ details .group").nth(1).text_content() or "").strip()
        assert group.startswith("B \u00b7 ") and "SEAMCALL" not in group, group
        note = page.locator("noscript").inner_text()
        assert "the matrix stays empty" in note and "which variants behave alike, not what they do" in note
    finally:
        context.close()
