"""Browser-test machinery: a live server, Debian's Chromium through Playwright, and a `Journey` that
screenshots every page it visits, runs axe-core on it and collects console errors and stray requests.

Nothing here is downloaded: Chromium is the Debian package and axe-core is the copy shipped inside the
axe_playwright_python package.
"""

import os
import re
import threading
import time
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from conftest import PASSWORD, body, skip_or_fail, totp_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A cheap Android phone in Indonesia: small screen, Indonesian first.
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000

# Everything htmx is still doing to the page: a request in flight, a swap, or the settle after it.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
AXE_RESULTS = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ")),
})))"""


def axe_source():
    """axe.min.js as shipped inside the axe_playwright_python package (no CDN)."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def live_server(app):
    """The test's app served over real HTTP on a free port, one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


# The one Chromium of the session. Each test module that imports `browser` registers its own session
# fixture, but Playwright's sync API cannot be started twice in one thread ("Sync API inside the asyncio
# loop"), so the first to start launches it and later ones borrow it.
_SHARED = {}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole session; never a downloaded browser."""
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail("Chromium not installed")
    if "browser" in _SHARED:
        yield _SHARED["browser"]  # session fixtures end last-started first, so the owner outlives this
        return
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        _SHARED["browser"] = chromium
        try:
            yield chromium
        finally:
            del _SHARED["browser"]
            chromium.close()


def translated(app, text, locale="id"):
    """What the catalogue says for `text` (the English msgid), so assertions follow translators' edits."""
    with app.test_request_context(), force_locale(locale):
        return gettext(text)


def set_marker(j):
    """Mark the window; a full page load loses the mark, an htmx swap keeps it."""
    if j.javascript:
        j.page.evaluate("() => { window.__marker = 1; }")


def log_in(j, email, check=False):
    """An applicant through the login form, as on any device; lands on the task list, its window marked."""
    j.goto("/masuk")
    if check:
        j.check("login")
    j.page.locator("#email").fill(email)
    j.page.locator("#password").fill(PASSWORD)
    j.submit(j.page.get_by_role("button", name="Masuk", exact=True), "/pendaftaran/")
    set_marker(j)


def staff_log_in(app, j, email):
    """A staff member through the staff entrance with the authenticator's code; lands on the staff home."""
    from portal.models import SecondFactor

    with app.app_context():
        SecondFactor.update(last_step=0).execute()  # several sign-ins within one 30-second step
    j.goto("/petugas")
    j.page.locator("#email").fill(email)
    j.page.locator("#password").fill(PASSWORD)
    j.page.locator("#code").fill(totp_code())
    j.submit(j.page.locator("main form button"), "/petugas/beranda")


@pytest.fixture
def journeys(app, live_server, browser):  # noqa: F811
    """Start a phone with JavaScript on or off on the live server, with real CSRF tokens as in production
    (Flask-WTF reads the setting at each request)."""
    app.config["WTF_CSRF_ENABLED"] = True
    trips = []

    def start(javascript, label=""):
        trips.append(Journey(browser, live_server, javascript=javascript, label=label))
        return trips[-1]

    yield start
    for trip in trips:
        trip.close()


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def wait_for_mail(mailbox, address, path, count=1, timeout=5.0):
    """The link path in the `count`-th email to `address` that holds a `path` link (oldest first)."""
    pattern = re.compile(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)")
    deadline = time.monotonic() + timeout
    while True:
        links = [m.group(1) for m in (pattern.search(body(msg)) for msg in mailbox.to(address, timeout=0)) if m]
        if len(links) >= count:
            return links[count - 1]
        assert time.monotonic() < deadline, f"no email #{count} with a {path} link to {address}"
        time.sleep(0.05)


class Journey:
    """One visitor's walk through the site in one mode (JavaScript on or off).

    Call `arrive(path)` after each action, then `check(name)` to screenshot the page and run axe on it.
    Problems are collected and reported together by `assert_clean()` at the end.
    """

    def __init__(self, browser, base_url, javascript, label=""):
        self.base = base_url
        self.javascript = javascript
        self.mode = "js" if javascript else "nojs"
        # Screenshots are <mode>-<n>-<page>.png, or <mode>-<label>-<n>-<page>.png for a shorter walk.
        self.prefix = f"{self.mode}-{label}" if label else self.mode
        self.context = browser.new_context(java_script_enabled=javascript, **PHONE)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.axe = axe_source()
        self.step = 0
        self.violations = []
        self.console_errors = []
        self.foreign_requests = []
        self.expected_errors = set()
        self.expected_failures = set()
        self.failures = []
        self._shadow = None
        self._shadow_html = ""
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.on("request", self._on_request)
        self.page.on("requestfailed", self._on_request_failed)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{self.prefix}-[0-9][0-9]-*.png"):
            old.unlink()

    # -- events -------------------------------------------------------------------------------------

    def _on_console(self, message):
        if message.type not in ("error", "assert"):
            return
        where = message.location.get("url", "")
        if self._expected(message.text, where):
            return
        self.console_errors.append(f"console.{message.type} on {path_of(self.page.url)}: {message.text} ({where})")

    def _expected(self, text, where):
        """Chromium logs every 4xx/5xx answer as "Failed to load resource", and htmx logs the ones it gets
        as "Response Status Error Code"; a test may expect them for paths it names in expect_error()."""
        if text.startswith("Failed to load resource"):
            return path_of(where) in self.expected_errors
        match = re.match(r"Response Status Error Code \d+ from (\S+?),", text)
        return bool(match) and match.group(1) in self.expected_errors

    def _on_request(self, request):
        if not (request.url.startswith(self.base + "/") or request.url.startswith("data:")):
            self.foreign_requests.append(f"{request.method} {request.url}")

    def _on_request_failed(self, request):
        if path_of(request.url) in self.expected_failures:
            return
        self.console_errors.append(f"request failed: {request.method} {request.url}: {request.failure}")

    # -- moving around ------------------------------------------------------------------------------

    def url(self, path):
        return self.base + path

    def expect_error(self, path):
        """An HTTP error status from `path` is part of the test, not a problem to report."""
        self.expected_errors.add(path)

    def expect_failure(self, path):
        """A request to `path` failing at the network level (no answer at all) is part of the test: neither
        the failed request nor Chromium's "Failed to load resource: net::ERR_..." line is reported."""
        self.expected_failures.add(path)
        self.expected_errors.add(path)

    def throttle(self, latency_ms, down_kbit, up_kbit):
        """Slow this page's network down through Chromium's DevTools protocol (kbit = 1024 bits a second).
        Chromium applies it in its network stack, uploads included, so request bodies are throttled too."""
        if not hasattr(self, "_cdp"):
            self._cdp = self.context.new_cdp_session(self.page)
            self._cdp.send("Network.enable")
        self._cdp.send("Network.emulateNetworkConditions", {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": down_kbit * 1024 / 8,
            "uploadThroughput": up_kbit * 1024 / 8,
        })

    def goto(self, path, expect_status=None):
        """Type an address: always a full page load, in both modes."""
        if expect_status:
            self.expect_error(path)
        response = self.page.goto(self.url(path))
        if expect_status:
            assert response.status == expect_status, f"{path}: {response.status}"
        self.settle()
        return response

    def arrive(self, path):
        """Wait until the address bar shows `path` (ignoring any query string) and the page is settled."""
        expect(self.page).to_have_url(re.compile("^" + re.escape(self.url(path)) + r"(\?.*)?$"))
        self.settle()

    def submit(self, button, path):
        """Press a form's button and wait for the answer to the POST and the page at `path`."""
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            button.click()
        self.arrive(path)

    def settle(self):
        self.page.wait_for_load_state("load")
        if self.javascript:
            # htmx has loaded and is neither requesting nor swapping; then let app.js's deferred init run.
            self.page.wait_for_function(
                f"() => window.htmx && !document.querySelector({HTMX_BUSY!r})", polling=20
            )
            self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")

    # -- checking each page -------------------------------------------------------------------------

    def check(self, name):
        """Screenshot the page as it is now and run axe-core on it."""
        self.step += 1
        shot = SCREENSHOTS / f"{self.prefix}-{self.step:02d}-{name}.png"
        # caret="initial": hiding the caret leaves style="" on every input, which htmx's settle step then
        # copies onto the next page's inputs, and the CSP (style-src 'self') reports that as a violation.
        self.page.screenshot(path=str(shot), full_page=True, caret="initial")
        for violation in self._axe():
            self.violations.append({**violation, "step": self.step, "page": name, "url": path_of(self.page.url)})

    def _axe(self):
        if self.javascript:
            page = self.page
        else:
            page = self._shadow_of_page()
        if page.evaluate("() => typeof window.axe") != "object":
            page.evaluate(self.axe)
        return page.evaluate(AXE_RESULTS)

    def _shadow_of_page(self):
        """axe cannot run in a JavaScript-off page: its code can be injected, but axe.run() waits on timers
        and promises that never fire there (tried: it hangs). So the JS-off page's document, exactly as
        Chromium parsed it (page.content(), including any POST result), is served at the same URL to a
        JavaScript-on page with the same viewport and language, where the page's own scripts are blocked so
        that htmx and app.js change nothing. CSS comes from the live server as usual."""
        if self._shadow is None:
            context = self.page.context.browser.new_context(java_script_enabled=True, **PHONE)
            context.set_default_timeout(TIMEOUT_MS)
            self._shadow = context.new_page()
            self._shadow.route("**/*", self._shadow_route)
        self._shadow_html = self.page.content()
        self._shadow.goto(self.page.url)
        return self._shadow

    def _shadow_route(self, route):
        kind = route.request.resource_type
        if kind == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self._shadow_html)
        elif kind == "script":
            route.abort()
        else:
            route.continue_()

    # -- the verdict --------------------------------------------------------------------------------

    def fail_later(self, problem):
        """Note a problem and carry on, so one run reports everything that is wrong."""
        self.failures.append(problem)

    def problems(self):
        lines = []
        if self.failures:
            lines.append(f"failed checks ({self.mode}):")
            lines.extend(f"  {failure}" for failure in self.failures)
        if self.violations:
            lines.append(f"axe-core found {len(self.violations)} violation(s) ({self.mode}):")
            for v in self.violations:
                lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
                lines.append(f"      page {v['step']:02d} {v['page']} at {v['url']}")
                for target in v["targets"]:
                    lines.append(f"      - {target}")
        if self.console_errors:
            lines.append(f"console errors ({self.mode}):")
            lines.extend(f"  {error}" for error in self.console_errors)
        if self.foreign_requests:
            lines.append(f"requests that left the site ({self.mode}):")
            lines.extend(f"  {request}" for request in self.foreign_requests)
        return lines

    def assert_clean(self):
        problems = self.problems()
        assert not problems, "\n".join(problems)

    def close(self):
        # Shown under "Captured stdout teardown" when a test stops early, before assert_clean().
        print("\n".join(self.problems()))
        if self._shadow is not None:
            self._shadow.context.close()
        self.context.close()
