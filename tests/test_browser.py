"""The dashboard in a real browser: Playwright driving Debian's Chromium against `dossier serve`
running as a subprocess over a seeded SQLite file. Screenshots land in test-artifacts/.

Without Playwright or Chromium these tests skip, unless DOSSIER_REQUIRE_BROWSER=1 (set by .ci/run),
where they fail instead: CI never skips them silently.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests._seed import MARKUP_TITLE, MARKUP_URL, seed

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(reason: str) -> None:
    if os.environ.get("DOSSIER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (DOSSIER_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, coder):
    """`dossier serve` on a free port over a freshly seeded store; its base URL."""
    base = tmp_path_factory.mktemp("browser")
    db = base / "browser.db"
    seed(f"sqlite:///{db}", base, coder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "dossier"
    log = open(base / "server.log", "w+")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/api/events?limit=1", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"dossier serve did not start: {log.read()[-2000:]}")
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    pg.problems = problems  # type: ignore[attr-defined]
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not outside, f"the page loaded from outside the server: {outside}"
    assert not problems, f"browser console errors (CSP violations show here): {problems}"


def _wait_ready(page, selector: str) -> str:
    page.wait_for_selector(f"{selector}[data-ready]", timeout=15_000)
    return page.get_attribute(selector, "data-ready") or ""


def test_dashboard_draws_timeline_network_map_and_list(page, server) -> None:
    page.goto(server + "/")
    assert int(_wait_ready(page, "#timeline")) >= 5  # days with events
    assert int(_wait_ready(page, "#network")) >= 5  # actors
    assert int(_wait_ready(page, "#map")) >= 3  # places
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() > 50  # basemap countries
    assert page.locator("#events li.event").count() >= 10
    assert page.locator("#events mark.trigger").count() == page.locator("#events li.event").count()


def test_filter_changes_url_and_list_and_survives_reload(page, server) -> None:
    page.goto(server + "/")
    before = page.locator("#events li.event").count()
    page.fill("input[name=actor]", "SAU")
    page.select_option("select[name=quad_class]", "2")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*actor=SAU.*"))
    assert "quad_class=2" in page.url
    items = page.locator("#events li.event")
    n = items.count()
    assert 0 < n < before
    assert all("SAU" in items.nth(i).locator(".who").first.inner_text() for i in range(n))
    _wait_ready(page, "#timeline")
    shared = page.url
    page.goto(shared)  # a shared link shows the same view
    assert page.locator("#events li.event").count() == n
    assert page.input_value("input[name=actor]") == "SAU"
    page.check("input[name=factuality][value=alleged]")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*factuality=alleged.*"))
    assert page.locator("#events li.event").count() == 0  # the seed states everything as fact
    assert page.is_checked("input[name=factuality][value=alleged]")


def test_full_text_search_box(page, server) -> None:
    page.goto(server + "/")
    page.fill("input[name=q]", "embassy")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*q=embassy.*"))
    texts = page.locator("#events li.event .text").all_inner_texts()
    assert texts and all("embassy" in t.lower() for t in texts)


def test_event_page_highlights_the_sentence(page, server) -> None:
    page.goto(server + "/?q=embassy")
    page.locator("#events li.event a.type").first.click()
    page.wait_for_url(re.compile(r".*/events/ev-.*"))
    assert page.locator("#highlighted mark.trigger").inner_text() == "agreed"
    assert page.locator("#highlighted mark.actor").first.inner_text() == "Saudi Arabia"
    assert "Saudi Arabia agreed to reopen its embassy" in page.locator("#highlighted").inner_text()
    assert "rule" in page.locator("#explanation").inner_text()


def test_relations_page_shows_the_series_and_its_events(page, server) -> None:
    page.goto(server + "/relations?a=SAU&b=SYRGOV&interval=month")
    assert _wait_ready(page, "#relations-chart") == "5"  # 2023-01 .. 2023-05
    rows = page.locator("#relations-table tr")
    assert rows.count() == 1 + 6  # five months a->b, and b->a in April (a meeting is both sides') and May
    assert "SYRGOV → SAU" in page.locator("#relations-table").inner_text()
    rows.nth(1).locator("a").first.click()
    page.wait_for_url(re.compile(r".*/events/ev-.*"))
    assert page.locator("#highlighted mark.trigger").inner_text() == "condemned"


def test_markup_in_documents_renders_as_text(page, server) -> None:
    page.goto(server + "/documents/markup")
    assert page.locator("#doc-title").inner_text() == MARKUP_TITLE
    assert page.locator("#doc-url").inner_text() == MARKUP_URL
    assert page.locator("#doc-url").evaluate("e => e.tagName") == "SPAN"  # a javascript: url is no link
    assert "<script>window.__pwned = 3</script>" in page.locator("#doc-text").inner_text()
    assert page.locator("#doc-text img, #doc-text script, #doc-title b").count() == 0
    for path in ("/documents/markup", "/?q=Afrin", "/?doc=markup"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
    page.goto(server + "/?q=Afrin")
    page.locator("#events li.event a.type").first.click()
    page.wait_for_url(re.compile(r".*/events/ev-.*"))
    assert page.evaluate("window.__pwned") is None
    assert MARKUP_TITLE in page.locator("table.fields").inner_text()


def test_api_docs_render_from_the_server(page, server) -> None:
    page.goto(server + "/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() >= 8
    assert "/api/relations" in page.locator("#swagger-ui").inner_text()
