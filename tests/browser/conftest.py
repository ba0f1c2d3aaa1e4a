"""The one headless Chromium the browser tests share: Debian's, never a browser downloaded by
Playwright. Skipped locally without it; in CI (CI=true) a missing browser fails the run."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CRAMPCHECK_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def require(ok: bool, why: str) -> None:
    """Skip when a browser prerequisite is missing, but fail in CI where it must be there."""
    if not ok:
        if IN_CI:
            pytest.fail(f"{why} (CI=true: the browser tests must run)")
        pytest.skip(why)


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} is absent (apt-get install -y chromium chromium-driver)")
    require(importlib.util.find_spec("playwright") is not None, "the playwright package is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
