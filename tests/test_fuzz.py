"""Fuzzing every route: random, over-long, full-width, control-character and NUL values in every form field,
query parameter and path segment, from visitors at several stages; never a 500, never a traceback in the log.

Routes come from the app's URL map and fields from the forms on its pages, so routes added later are fuzzed
without a change here. Each route gets a fixed number of examples (the "quick" profile; derandomized in CI
so that a failure reproduces); PORTAL_FUZZ_PROFILE=thorough runs many more.
"""

import io
import logging
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from conftest import PASSWORD, fill_villages
from portal.extensions import limiter
from test_budget import applying, logged_in

settings.register_profile(
    "quick", max_examples=8, derandomize=bool(os.environ.get("CI")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough", max_examples=200, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("PORTAL_FUZZ_PROFILE", "quick")

# Who sends the requests: (name, how the visitor got there; None = not logged in).
VISITORS = [
    ("anonymous", None),
    ("new applicant", logged_in),
    ("applicant half-way, code sent", applying(until="/pendaftaran/data-diri/pendidikan-pekerjaan",
                                               photos=("ktp",), phone="sent")),
    ("applicant, sent", applying(photos=("ktp", "selfie"), phone="verified", sent=True)),
]
# Query parameter names the portal reads, and names that reach url_for's own arguments if passed through.
QUERY_NAMES = ["next", "dari", "fragment", "v", "kind", "endpoint", "_method", "_external", "_anchor", "_scheme",
               "code", "token", "photo_id", "variant", "q", "pick", "near", "mode", "field", "desa", "desa_q"]

FULL_WIDTH_DIGITS = "０１２３４５６７８９"
NASTY = ["\x00", "\r\n", "\t", "\x1b[0m", "\u202e", "\ufeff", "\uffff", "１２", "９９９９", "٣", "²", "-1", "0",
         "99999999999999999999999", "1e309", "NaN", "../../etc/passwd", "%00", "%0d%0aSet-Cookie:x=y",
         "<script>alert(1)</script>", "' OR 1=1 --", "//evil.example", "/\\evil.example", "periksa", "nik"]
# Text as browsers can send it: any character but lone surrogates (UTF-8 cannot carry them).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
fuzz_text = st.one_of(
    any_text,
    st.sampled_from(NASTY),
    st.text(st.characters(codec="ascii"), max_size=20),
    st.text(st.sampled_from(FULL_WIDTH_DIGITS), min_size=1, max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.sampled_from("0123456789"), min_size=15, max_size=60),
    st.builds(lambda ch, n: ch * n, st.sampled_from("a9\x00 ْ"), st.integers(200, 3000)),
)


@dataclass
class FormFields:
    """What the pages show a route's forms to hold: input names with their choices (empty: free text)."""

    fields: dict = field(default_factory=dict)
    files: set = field(default_factory=set)


class Forms(HTMLParser):
    """The forms in a page: action -> field names, their choices, and file inputs."""

    def __init__(self, html, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.found = {}  # action path -> FormFields
        self.current = None
        self.select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_path).path
            self.current = self.found.setdefault(action, FormFields())
        elif self.current is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            name = attrs["name"]
            if attrs.get("type") == "file":
                self.current.files.add(name)
                return
            choices = self.current.fields.setdefault(name, set())
            if tag in ("select",):
                self.select = choices
            elif attrs.get("type") in ("radio", "checkbox", "hidden") or tag == "button":
                choices.add(attrs.get("value") or "")
        elif tag == "option" and self.select is not None:
            self.select.add(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def routes(app):
    """Every rule of the URL map with the methods a browser can send to it."""
    return [(rule, sorted(rule.methods & {"GET", "POST"})) for rule in app.url_map.iter_rules()]


def forms_on(app, client, paths):
    """Visit these pages; note each form's fields, and the path values its action holds, under the rule it
    posts to."""
    adapter = app.url_map.bind("localhost")
    by_endpoint, path_values = {}, {}
    for path in paths:
        response = client.get(path, follow_redirects=True)
        if response.mimetype != "text/html":
            continue
        for action, forms in Forms(response.get_data(as_text=True), path).found.items():
            try:
                endpoint, values = adapter.match(action.split("?")[0], method="POST")
            except HTTPException:
                continue
            known = by_endpoint.setdefault(endpoint, FormFields())
            for name, choices in forms.fields.items():
                known.fields.setdefault(name, set()).update(choices)
            known.files |= forms.files
            for name, value in values.items():
                path_values.setdefault(endpoint, {}).setdefault(name, set()).add(value)
    return by_endpoint, path_values


def discover_forms(app, client):
    """The forms of every page that takes no path argument."""
    paths = [rule.rule for rule, methods in routes(app) if "GET" in methods and not rule.arguments]
    return forms_on(app, client, paths)


def value_for(choices):
    """A field's value: one of its choices or anything at all."""
    if choices:
        return st.one_of(st.sampled_from(sorted(choices)), fuzz_text)
    return fuzz_text


def request_for(rule, methods, forms, path_values):
    """A strategy for one request to a rule: method, path, query string, form fields, headers."""
    fields = forms.get(rule.endpoint, FormFields())
    known = path_values.get(rule.endpoint, {})
    path_args = {}
    for name in rule.arguments:
        if isinstance(rule._converters[name], IntegerConverter):
            path_args[name] = st.integers(min_value=0, max_value=10**30)
        else:
            path_args[name] = value_for(known.get(name, set()))
    form = st.fixed_dictionaries({}, optional={name: value_for(choices) for name, choices in fields.fields.items()})
    files = st.fixed_dictionaries({}, optional={name: st.binary(max_size=2000) for name in fields.files})
    query = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), any_text.filter(bool)), fuzz_text, max_size=3)
    headers = st.sampled_from([{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}])
    return st.fixed_dictionaries({
        "method": st.sampled_from(methods), "path_args": st.fixed_dictionaries(path_args), "query": query,
        "form": form, "files": files, "headers": headers,
    })


def send(client, adapter, rule, request):
    """Send the request as a browser would (multipart when a file is in it) and return the response."""
    try:
        path = adapter.build(rule.endpoint, request["path_args"], method=request["method"])
    except Exception:  # a value the route cannot hold (a "/" in a segment): send it quoted by hand
        path = rule.rule
    data = dict(request["form"])
    if request["method"] == "POST":
        data.update({name: (io.BytesIO(body), "foto.jpg") for name, body in request["files"].items()})
        return client.post(path, query_string=request["query"], data=data, headers=request["headers"])
    return client.get(path, query_string={**request["query"], **data}, headers=request["headers"])


class Failures(logging.Handler):
    """Log records that mean something broke: errors, and anything carrying a traceback."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


def fuzz_routes(app, client, chosen, forms, path_values):
    """Send Hypothesis requests to each (rule, methods) of `chosen`; fails on a 500 or a logged error. `client`
    is a signed-in test client, or a function giving a fresh one per route. Returns how many requests went."""
    adapter = app.url_map.bind("localhost")
    failures = Failures()
    logging.getLogger().addHandler(failures)
    sent = 0
    try:
        for rule, methods in chosen:
            browser = client() if callable(client) else client

            @settings(settings.get_profile(PROFILE))
            @given(request=request_for(rule, methods, forms, path_values))
            def no_500(request):
                nonlocal sent
                failures.records.clear()
                response = send(browser, adapter, rule, request)
                sent += 1
                assert response.status_code != 500, f"500 from {rule.rule}: {request}"
                assert not failures.records, f"{rule.rule} logged: {failures.format(failures.records[0])}"

            no_500()
    finally:
        logging.getLogger().removeHandler(failures)
        limiter.enabled = True
    return sent


@pytest.mark.parametrize("visitor, prepare", VISITORS, ids=[name for name, _ in VISITORS])
def test_no_input_gives_a_500_or_a_traceback(app, make_account, sms, visitor, prepare, capsys):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a fault becomes the 500 page and a logged traceback
    limiter.enabled = False  # limits would answer 429 before the input is read; they are tested elsewhere
    email = "fuzz@contoh.id"
    fill_villages(app)  # the village search answers from the full reference table
    client = app.test_client()
    if prepare:
        prepare(client, email, make_account, sms)
    forms, path_values = discover_forms(app, client)

    def fresh_browser():
        """A fresh login per route: a fuzzed "log out" must not end the run."""
        browser = app.test_client()
        if prepare:
            assert browser.post("/masuk", data={"email": email, "password": PASSWORD}).status_code == 303
        return browser

    sent = fuzz_routes(app, fresh_browser, routes(app), forms, path_values)
    with capsys.disabled():
        print(f"\nfuzz ({PROFILE}), {visitor}: {sent} requests to {len(routes(app))} routes, "
              f"forms found for {len(forms)} of them")
