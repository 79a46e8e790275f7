"""A report opened as a person would: headless Chromium (the system's, e.g. Debian's
/usr/bin/chromium) driven by Playwright, offline; for the browser test, the benchmark that times
how long a page takes to open, and the screenshot in docs/."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> Optional[str]:
    """The Chromium to drive: $CHROMIUM, else the first of chromium / chromium-browser / google-chrome on PATH."""
    return os.environ.get("CHROMIUM") or next((p for p in map(shutil.which, CANDIDATES) if p), None)


@contextmanager
def opened(path: Path, width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A Playwright page showing the file at `path`, every request but the file itself refused
    (a self-contained page needs none), with the page's console errors in `page.errors`."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise FileNotFoundError("no Chromium found: install it (apt-get install chromium) or set $CHROMIUM")
    url = Path(path).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: List[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page.errors = errors
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']")
            yield page
        finally:
            browser.close()
