"""Valid HTML: every page the budget test weighs, in both languages, passes the W3C Nu checker with 0 errors.

The checker (the `vnu-jar` npm package, installed by .ci/run into .ci/node_modules) runs on the machine's
Java once for all pages, because starting the JVM takes longer than checking a page.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import g

from conftest import skip_or_fail
from test_budget import PAGES, visits  # noqa: F401 (visits is the fixture that renders every page)

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".ci/node_modules/vnu-jar/build/dist/vnu.jar")


@pytest.fixture
def app_config(app_config):
    """CSRF tokens are rendered as in production, so two forms on a page must not share an id."""
    return {**app_config, "WTF_CSRF_ENABLED": True, "WTF_CSRF_CHECK_DEFAULT": False}


@pytest.fixture
def app(app):
    """The pages' forms are posted without a token: treat each post as if CSRFProtect had accepted it."""
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: setattr(g, "csrf_valid", True))
    return app


def vnu_command():
    java = shutil.which("java")
    if not java or not VNU_JAR.is_file():
        skip_or_fail(f"the Nu HTML checker needs java and {VNU_JAR} (.ci/run installs it with npm)")
    return [java, "-Xss2m", "-jar", str(VNU_JAR)]


def test_every_page_is_valid_html(visits, tmp_path, capsys):  # noqa: F811
    command = vnu_command()
    pages = {}  # file name -> which page it is
    folder = tmp_path / "pages"  # tmp_path also holds the test database
    folder.mkdir()
    for n, visit in enumerate(visits):
        path = folder / f"{n:03d}-{visit.lang}-{re.sub(r'[^a-z0-9]+', '-', visit.page.name)}.html"
        path.write_bytes(visit.html)
        pages[path.name] = f"{visit.page.name} ({visit.lang}, {visit.page.method} {visit.page.path})"
    run = subprocess.run([*command, "--errors-only", "--format", "json", *sorted(map(str, folder.iterdir()))],
                         capture_output=True, text=True, timeout=600)
    errors = [m for m in json.loads(run.stderr or run.stdout)["messages"] if m.get("type") != "info"]
    with capsys.disabled():
        print(f"\nNu HTML checker: {len(pages)} pages ({len(PAGES)} pages x 2 languages), {len(errors)} errors")
    assert not errors, "invalid HTML:\n" + "\n".join(
        f"{pages.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()}]" for m in errors
    )
