"""The public status check: reference number and date of birth give the status name and its reason, nothing
personal; every wrong combination gets the same answer; tries are limited per connection and per reference."""

import re

import pytest

from walkin_support import BORN, walkin


def ask(client, reference, born=BORN, ip="10.1.1.1", **headers):
    return client.post("/status", data={"reference": reference, "birth_date-day": born.day,
                                        "birth_date-month": born.month, "birth_date-year": born.year},
                       environ_base={"REMOTE_ADDR": ip}, headers=headers)


def main_text(response):
    """What the page says inside <main>, without the form's echo of what was typed."""
    html = response.get_data(as_text=True)
    main = html[html.index('<main id="main">'):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.mark.parametrize("state, reason, shown", [
    ("entered", None, "Status: Not sent yet"),
    ("closed", None, "Status: Sent to the ministry"),
    ("returned", "nik_kk", "Status: Returned to the office Reason: A problem with the NIK or KK number"),
    ("ratified", None, "Status: Ratified"),
    ("confirmed", None, "Status: Confirmed as a candidate participant"),
    ("rejected", "kk_limit", "Status: Rejected Reason: Two people from the same family card are already"),
])
def test_the_status_and_its_reason_and_nothing_personal(app, english, state, reason, shown):
    record = walkin(app, state, reason=reason, email="siti@contoh.id", status_note="Catatan rahasia petugas")
    response = ask(english, record.reference.lower().replace("-", " "))  # typed loosely
    assert response.status_code == 200
    text = main_text(response)
    assert shown in text
    for personal in (record.full_name, record.nik, record.phone, "siti@contoh.id", "Catatan rahasia", "Bogor",
                     record.reference, "1990"):
        assert personal not in response.get_data(as_text=True), personal
    assert response.headers["Cache-Control"] == "no-store"


def test_indonesian_names_as_applicants_know_them(app, client):
    record = walkin(app, "returned", reason="incomplete")
    text = main_text(ask(client, record.reference))
    assert "Dikembalikan ke kantor" in text and "Alasan" in text


def test_wrong_combinations_all_get_the_same_answer(app, english):
    record = walkin(app, "confirmed")
    other = walkin(app, "draft")  # a record with no reference yet cannot be found
    Application = __import__("portal.models", fromlist=["Application"]).Application
    with app.app_context():
        Application.update(reference=None).where(Application.id == other.id).execute()
    wrong_date = main_text(ask(english, record.reference, BORN.replace(day=6), ip="10.0.0.1"))
    unknown = main_text(ask(english, "PK-ZZZZ-ZZZZ", ip="10.0.0.2"))
    answers = {wrong_date.replace(record.reference, "REF"), unknown.replace("PK-ZZZZ-ZZZZ", "REF")}
    assert len(answers) == 1
    assert "We could not find an application with this reference number and date of birth" in wrong_date
    assert "Status:" not in wrong_date


def test_a_reference_in_the_wrong_shape_is_explained(english):
    response = ask(english, "12345")
    assert "Enter a reference number like PK-7G4M-2QXA" in main_text(response)


def test_wrong_tries_on_one_reference_are_limited_and_the_wait_is_in_minutes(app, english):
    record = walkin(app, "ratified")
    for n in range(5):
        assert "could not find" in main_text(ask(english, record.reference, BORN.replace(day=n + 10), ip=f"10.2.0.{n}"))
    # The sixth try, even with the right date and from another connection, waits.
    response = ask(english, record.reference, ip="10.2.9.9")
    assert response.status_code == 429
    text = main_text(response)
    assert re.search(r"try again in about 1[0-5] minutes", text) and "Status:" not in text
    # Another reference is not held up.
    other = walkin(app, "ratified")
    assert "Status: Ratified" in main_text(ask(english, other.reference, ip="10.2.9.9"))


def test_right_tries_do_not_use_up_the_reference(app, english):
    record = walkin(app, "ratified")
    for n in range(8):
        assert "Status: Ratified" in main_text(ask(english, record.reference, ip=f"10.3.0.{n}"))


def test_one_connection_is_limited_across_references(app, english):
    app.config["STATUS_LIMIT_IP"] = "4 per 10 minutes"
    for n in range(4):
        assert "could not find" in main_text(ask(english, f"PK-AAAA-{n:04d}", ip="10.4.4.4"))
    response = ask(english, "PK-AAAA-0009", ip="10.4.4.4")
    assert response.status_code == 429 and "try again in about 10 minutes" in main_text(response)
    assert ask(english, "PK-AAAA-0009", ip="10.4.4.5").status_code == 200


def test_the_page_works_as_a_plain_form_and_as_an_htmx_swap(client):
    page = client.get("/status")
    assert page.status_code == 200 and b"<html" in page.data and b'name="reference"' in page.data
    partial = client.get("/status", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.data and b'name="reference"' in partial.data


def test_the_home_page_links_to_it(client):
    assert b'href="/status"' in client.get("/").data
