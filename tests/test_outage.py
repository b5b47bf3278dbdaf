"""When the database or the photo store fails, people get a clear page in their language, never a bare 500."""

import logging

import pytest

from conftest import free_port
from portal import create_app
from portal.models import Photo
from wizard_support import error_for, upload

FAULT_ID = "Ada gangguan pada layanan. Jawaban Anda di halaman ini mungkin belum tersimpan."
FAULT_EN = "There is a problem with the service. Your answers on this page may not have been saved."


def unreachable_urls(tmp_path):
    return {
        # Nothing listens there: every connection is refused, as when PostgreSQL is down or cut off.
        "postgresql": f"postgresql://postgres@127.0.0.1:{free_port()}/portal",
        # A folder that does not exist: SQLite cannot open the file.
        "sqlite": f"sqlite:///{tmp_path}/no-such-folder/portal.db",
    }


@pytest.fixture(params=["postgresql", "sqlite"])
def outage(request, app, app_config, tmp_path):
    """The same portal (same secret key, so the same cookies) with its database out of reach."""

    def start():
        broken = create_app({**app_config, "DATABASE_URL": unreachable_urls(tmp_path)[request.param]})
        broken.config["PROPAGATE_EXCEPTIONS"] = False
        return broken

    return start


def test_a_logged_in_user_gets_a_503_page_in_their_language(applicant, outage, caplog):
    cookie = applicant.get_cookie("session").value
    client = outage().test_client()
    client.set_cookie("session", cookie)
    for language, fault, heading in (("id", FAULT_ID, "Maaf"), ("en", FAULT_EN, "Sorry")):
        client.set_cookie("lang", language)
        with caplog.at_level(logging.ERROR):
            response = client.get("/pendaftaran/")
        page = response.get_data(as_text=True)
        assert response.status_code == 503 and response.headers["Retry-After"] == "60"
        assert page.startswith("<!doctype html>") and f'lang="{language}"' in page
        assert heading in page and fault in page
        assert "Internal Server Error" not in page and "Finish and clear" not in page  # treated as unknown
    assert "database unavailable" in caplog.text


def test_a_form_sent_during_an_outage_is_not_claimed_lost_or_saved(outage):
    client = outage().test_client()
    response = client.post("/masuk", data={"email": "ani@contoh.id", "password": "sawah-hijau-pagi"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and FAULT_ID in page and "belum disimpan" not in page


def test_finish_and_clear_empties_the_browser_during_an_outage(applicant, outage):
    cookie = applicant.get_cookie("session").value
    client = outage().test_client()
    client.set_cookie("session", cookie)
    response = client.post("/keluar")
    assert response.status_code == 503 and response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get_cookie("session") is None  # the session cookie was deleted


def test_staff_finish_and_clear_empties_the_browser_during_an_outage(client, make_staff, staff_login, outage):
    make_staff()
    staff_login(client, "officer@kantor.id")
    broken = outage().test_client()
    broken.set_cookie("session", client.get_cookie("session").value)
    response = broken.post("/petugas/keluar")
    assert response.status_code == 503 and response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert broken.get_cookie("session") is None


def test_the_home_page_renders_during_an_outage(outage):
    """The home page needs no data: it is served (or, while every request still connects, a 503 page)."""
    response = outage().test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 503) and page.startswith("<!doctype html>")
    assert "Portal Prakerja" in page


def test_an_htmx_request_during_an_outage_gets_a_fragment(applicant, outage):
    cookie = applicant.get_cookie("session").value
    client = outage().test_client()
    client.set_cookie("session", cookie)
    response = client.get("/pendaftaran/", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "<html" not in page and FAULT_ID in page


def test_a_server_fault_page_promises_nothing_it_cannot_know(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/rusak")
    def broken():
        raise RuntimeError("boom")

    page = client.get("/rusak").get_data(as_text=True)
    assert FAULT_ID in page and "tidak ada yang tersimpan" not in page.lower()


def test_a_photo_store_that_cannot_be_written_brings_the_user_back_to_the_field(applicant, app, tmp_path, caplog):
    # A file where the folder should be: as a read-only or missing mount, every write fails (root ignores
    # read-only permissions, so a chmod would not show it here).
    blocked = tmp_path / "uploads-blocked"
    blocked.write_text("")
    app.config["UPLOAD_DIR"] = str(blocked)
    with caplog.at_level(logging.ERROR):
        response = upload(applicant, "ktp")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert "could not be saved" in error_for(page, "ktp-photo") and 'href="#ktp-photo"' in page
    assert "photo storage failed" in caplog.text and str(blocked) in caplog.text
    with app.app_context():
        assert Photo.select().count() == 0
    # Once the store is back, the same upload works.
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    assert upload(applicant, "ktp").status_code == 303
