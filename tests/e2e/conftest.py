"""Browser tests: Playwright drives Debian's Chromium against a live instance of the app.

`live_server` serves a second instance of the app (same database and mail folder as the test's
`app`) from a thread on 127.0.0.1; `page` is a fresh browser context on it. The page fails the
test at teardown when the browser saw a console error, an uncaught exception, a Content-Security-
Policy violation or a request to any host but 127.0.0.1: the pages must work offline and under
the app's own CSP.
"""

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale, gettext
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Request,
    Response,
    Route,
    expect,
    sync_playwright,
)
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"
LOCAL_SCHEMES = {"data", "blob", "about"}
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Generous, because CI runs two test workers on two cores next to a browser each; a passing
# step never waits for it.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e/ drives the browser: mark it, so `-m "not e2e"` works."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def live_server(app, app_config) -> Iterator[str]:
    """A second instance of the app, served over HTTP from a thread; yields its base URL.

    The listening socket is bound first, so the instance can be configured with its own address:
    links in mails (built with `_external=True`) then open in the browser.
    """
    listener = socket.create_server((LOCAL_HOST, 0))
    port = listener.getsockname()[1]
    live_config = type("LiveServerConfig", (app_config,), {"SERVER_NAME": f"{LOCAL_HOST}:{port}"})
    live_app = create_app(live_config)
    server = make_server(LOCAL_HOST, port, live_app, threaded=True, fd=listener.fileno())
    listener.close()  # the server serves a duplicate of the descriptor
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with live_app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package for browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class BrowserProblems:
    """Collects what must never happen on a page: console errors (CSP violations among them),
    uncaught exceptions and requests that would leave the machine (those are aborted).

    One console error is expected: Chromium logs "Failed to load resource" for a page that comes
    with an error status, such as a form re-rendered with 422. A page is what the test looks at
    and asserts; only subresources (stylesheets, images, scripts) failing that way are problems.
    """

    FAILED_LOAD = "Failed to load resource: the server responded with a status of"

    def __init__(self):
        self._problems: list[str] = []
        self._console_errors: list[tuple[str, str]] = []
        self._error_pages: set[str] = set()

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("response", self._on_response)
        page.context.route(_is_foreign, self._on_foreign_request)
        page.add_init_script(script=_REPORT_CSP_VIOLATIONS)

    @property
    def found(self) -> list[str]:
        console = [
            f"console error: {text} ({url})"
            for text, url in self._console_errors
            if not (text.startswith(self.FAILED_LOAD) and url in self._error_pages)
        ]
        return self._problems + console

    def report(self) -> str:
        return "\n".join(self.found)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url") or (message.page.url if message.page else "")
            self._console_errors.append((message.text, where))

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self._error_pages.add(response.url)

    def _on_page_error(self, error: Error) -> None:
        self._problems.append(f"uncaught exception: {error}")

    def _on_foreign_request(self, route: Route, request: Request) -> None:
        self._problems.append(f"request outside {LOCAL_HOST}: {request.method} {request.url}")
        route.abort("blockedbyclient")


# Chromium logs CSP violations as console errors; listening to the standard event as well keeps
# the check independent of the browser's log wording and names the violated directive.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def _is_foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname != LOCAL_HOST


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh context (German locale, Berlin time) on the live server; fails on any problem."""
    context = browser.new_context(base_url=live_server, locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = BrowserProblems()
    problems.watch(page)
    yield page
    context.close()
    if problems.found:
        pytest.fail(f"the browser reported problems:\n{problems.report()}", pytrace=False)


@pytest.fixture
def new_watched_page(browser, live_server):
    """For tests of the watcher itself: a page and its BrowserProblems, without the teardown."""
    contexts = []

    def open_page() -> tuple[Page, BrowserProblems]:
        context = browser.new_context(base_url=live_server)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = BrowserProblems()
        problems.watch(page)
        return page, problems

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def t(app):
    """The text the pages show for a source string, in the given language (German by default).

    Assertions on visible text go through the catalogues, so they hold whether or not the
    German translations are compiled and whatever their wording.
    """

    def translate(message: str, locale: str = "de", **variables) -> str:
        with force_locale(locale):
            return gettext(message, **variables)

    return translate


@pytest.fixture(scope="session")
def axe_check():
    """`axe_check(page)` fails with a readable report when the page violates WCAG 2.1 A or AA.

    axe runs through the DevTools protocol (`page.evaluate`), which the page's CSP does not
    govern, so the app's policy stays as strict as in production.
    """
    axe = Axe()

    def check(page: Page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
        if results.violations_count:
            pytest.fail(f"{page.url}\n{results.generate_report()}", pytrace=False)

    return check
