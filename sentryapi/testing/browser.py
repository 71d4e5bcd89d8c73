"""Headless Chromium for browser tests: Debian's package, driven by Playwright (whose own
browser downloads are never used)."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from .services import services_required

CHROMIUM = os.environ.get("SENTRYAPI_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_or_fail() -> str:
    """Chromium comes from Debian's package (`make install-browser`; CI installs it)."""
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return CHROMIUM
    message = (f"Chromium is not installed at {CHROMIUM}: run `make install-browser` "
               "(apt-get install -y chromium) or set SENTRYAPI_TEST_CHROMIUM")
    if services_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def chromium():
    """A launched headless Chromium (Playwright's ``Browser``), closed afterwards."""
    from playwright.sync_api import sync_playwright

    executable = chromium_or_fail()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
