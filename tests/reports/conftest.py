"""One headless Chromium for every page test of a worker, each test in a browser context of its own."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No request but the page's own file: no QUIC, sync, component updates or background networking.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def _chromium() -> Iterator[tuple[Browser, asyncio.AbstractEventLoop]]:
    """Chromium launched once a worker: playwright's driver and a launch are some 3 s of wall clock, and three
    modules launched one each. With it, the driver's event loop (which playwright marks running between its calls)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        loop = asyncio.get_running_loop()
        try:
            yield launched, loop
        finally:
            asyncio._set_running_loop(loop)  # what playwright's calls expect of the thread, as they left it
            launched.close()


@pytest.fixture
def browser(_chromium: tuple[Browser, asyncio.AbstractEventLoop]) -> Iterator[Browser]:
    """The worker's Chromium for one test. Between its calls, playwright leaves its loop marked as this thread's
    running one (its sync API resumes the loop from inside it): a later test of the worker calling asyncio.run()
    would fail with "cannot be called from a running event loop". Marked so only while a page test runs."""
    launched, loop = _chromium
    asyncio._set_running_loop(loop)
    try:
        yield launched
    finally:
        asyncio._set_running_loop(None)
