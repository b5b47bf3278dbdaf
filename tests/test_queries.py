"""Database work per page: pages that need no data never connect, and each wizard page runs few queries.

The counts are printed on each run. A page over its limit has grown a query per row or a repeated lookup:
fetch what it shows in one query (a join, or prefetch) instead.
"""

import re

import pytest
from playhouse.test_utils import count_queries

from portal.models import db
from test_budget import PAGES

# Asked as a visitor with no session: nothing on these needs the database.
WITHOUT_DATA = ["/", "/daftar", "/masuk", "/lupa-sandi", "/petugas", "/tidak-ada-halaman-ini"]
# Logged-in pages: the session's account, its application, then what the page shows.
MOST_QUERIES = 6


@pytest.fixture
def connections(app):
    """How many times the database was connected to (a pooled connection taken counts too)."""
    opened = []
    database = db.obj
    original = database.connect

    def counting(*args, **kwargs):
        opened.append(1)
        return original(*args, **kwargs)

    database.connect = counting
    yield opened
    database.connect = original


def test_pages_that_need_no_data_do_not_connect(app, connections):
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    static = re.findall(r'/static/[^"]+', home)
    for url in WITHOUT_DATA + static:
        with client.get(url):
            pass
    assert static and connections == [], f"{len(connections)} connections for pages that need no data"
    client.post("/masuk", data={"email": "ani@contoh.id", "password": "salah-sandi-ini"})
    assert connections, "logging in must look the account up: the counting is broken"


def applicant_pages():
    """The task list and each wizard page (test_budget's), as an applicant who answered the steps before it."""
    return [page for page in PAGES if page.given and page.method == "GET" and page.path.startswith("/pendaftaran")]


@pytest.mark.parametrize("page", applicant_pages(), ids=lambda page: page.name)
def test_each_applicant_page_runs_few_queries(app, make_account, sms, page, capsys):
    client = app.test_client()
    client.set_cookie("lang", "en")
    page.given(client, "ani@contoh.id", make_account, sms)
    db.close()
    with count_queries() as counted:
        response = client.get(page.path)
    assert response.status_code == page.status
    sql = [record.msg[0].split(" WHERE")[0][:110] for record in counted.get_queries()]
    with capsys.disabled():
        print(f"\n{page.name:<26} {page.path:<44} {counted.count} queries")
    assert counted.count <= MOST_QUERIES, f"{counted.count} queries > {MOST_QUERIES}:\n" + "\n".join(sql)


@pytest.mark.parametrize("photos", [(), ("ktp",), ("ktp", "selfie")])
def test_the_task_list_of_a_draft_takes_two_queries_and_counts_photos_right(app, make_account, sms, photos):
    """The login session with its account and application (and the photo count), then the addresses: the page
    every applicant lands on costs no more, and the photos section still reads right."""
    from test_budget import applying

    client = app.test_client()
    client.set_cookie("lang", "en")
    applying(photos=photos)(client, "ani@contoh.id", make_account, sms)
    db.close()
    with count_queries() as counted:
        html = client.get("/pendaftaran/").get_data(as_text=True)
    sql = [record.msg[0].split(" WHERE")[0][:110] for record in counted.get_queries()]
    assert counted.count == 2, "\n".join(sql)
    state = {0: "Not started", 1: "In progress", 2: "Completed"}[len(photos)]
    assert re.search(rf'Photos</a></span>\s*<strong class="tag [^"]+" id="status-photos">{state}<', html), html
