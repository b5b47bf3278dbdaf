"""The access matrix: every route of the app, tried by every kind of visitor, against one table.

HOW TO EXTEND. A route that is not in RULES fails test_every_route_is_in_the_table, so whoever adds a
route adds a line here:

    "blueprint.endpoint": PUBLIC,                 # anyone, signed in or not
    "blueprint.endpoint": {"officer", "supervisor"},   # only these visitors (names in VISITORS)

and, if its URL has parameters, how to fill them in SAMPLES (a function of the seeded `world`). Each
visitor asks for the URL (GET, or POST with an empty form for POST-only routes) with a fresh sign-in.
Refused means 404, 403 or a redirect to a sign-in page; on staff blueprints (STAFF_BLUEPRINTS) a refusal
must be a 404, so a staff page does not even admit it exists. Anything else counts as allowed, including
a redirect onwards (a signed-in visitor sent from a public form to their home).

Checks on particular records (an officer of office A opening a record of office B gets 404) belong in
OBJECT_CASES at the bottom: (what is checked, visitor, URL from the world, expected status).
"""

import io

import pytest
from PIL import Image

from batch_support import close_batch_with_walkins, walkin
from conftest import PASSWORD
from portal.services import selection
import wave_support

PUBLIC = "public"
STAFF = frozenset({"officer", "supervisor", "reviewer", "pmo", "admin"})
APPLICANT = frozenset({"applicant"})
OFFICE = frozenset({"officer", "supervisor"})
VISITORS = ("anonymous", "applicant", "officer", "supervisor", "reviewer", "pmo", "admin")
STAFF_BLUEPRINTS = {"staff", "admin", "desk", "ministry", "pmo"}
LOGIN_PAGES = ("/masuk", "/petugas")

RULES = {
    "static": PUBLIC,
    "main.home": PUBLIC,
    "main.language": PUBLIC,
    "main.village_search": PUBLIC,  # reference data: the Kemendagri village list
    "main.photo_file": APPLICANT | STAFF,  # its owner, and staff whose work needs photos (roles.PHOTO_ROLES)
    "auth.register": PUBLIC,
    "auth.check_email": PUBLIC,
    "auth.resend": PUBLIC,
    "auth.change_email": PUBLIC,
    "auth.verify": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.logged_out": PUBLIC,
    "auth.forgot": PUBLIC,
    "auth.forgot_sent": PUBLIC,
    "auth.reset": PUBLIC,
    "auth.reset_form": PUBLIC,
    "applicant.task_list": APPLICANT,
    "applicant.ktp": APPLICANT,
    "applicant.ktp_confirm": APPLICANT,
    "applicant.personal": APPLICANT,
    "applicant.name": APPLICANT,
    "applicant.address_ktp": APPLICANT,
    "applicant.domicile": APPLICANT,
    "applicant.address_domicile": APPLICANT,
    "applicant.work": APPLICANT,
    "applicant.declarations": APPLICANT,
    "applicant.photos": APPLICANT,
    "applicant.photo_upload": APPLICANT,
    "applicant.phone": APPLICANT,
    "applicant.phone_code": APPLICANT,
    "applicant.phone_resend": APPLICANT,
    "applicant.check": APPLICANT,
    "applicant.submitted": APPLICANT,
    "applicant.letter": APPLICANT,
    "applicant.letter_print": APPLICANT,
    "applicant.letter_upload": APPLICANT,
    "applicant.letter_image": APPLICANT,  # only the owner's own letters (OBJECT_CASES)
    "pmo.letter_queue": frozenset({"pmo"}),
    "pmo.letter_review": frozenset({"pmo"}),
    "pmo.letter_image": frozenset({"pmo"}),
    "staff.login": PUBLIC,
    "staff.logout": PUBLIC,
    "staff.logged_out": PUBLIC,
    "staff.set_password_link": PUBLIC,
    "staff.set_password": PUBLIC,
    "staff.enrol": STAFF,
    "staff.home": STAFF,
    "staff.recovery_codes": STAFF,
    "staff.recovery_codes_new": STAFF,
    "admin.index": frozenset({"admin"}),
    "tracking.status_check": PUBLIC,
    "tracking.claim": PUBLIC,
    "tracking.claim_code": PUBLIC,
    "tracking.claim_resend": PUBLIC,
    "tracking.claim_email_sent": PUBLIC,
    "tracking.claim_link": PUBLIC,
    "tracking.claim_account": PUBLIC,
    "admin.quota_list": frozenset({"admin"}),
    "admin.quota_edit": frozenset({"admin"}),
    "desk.returned_list": frozenset({"officer", "supervisor"}),
    "desk.returned_detail": frozenset({"officer", "supervisor"}),
    "ministry.batch_list": frozenset({"reviewer"}),
    "ministry.batch_detail": frozenset({"reviewer"}),
    "ministry.batch_queue": frozenset({"reviewer"}),
    "ministry.record_review": frozenset({"reviewer"}),
    "ministry.bulk_accept": frozenset({"reviewer"}),
    "ministry.batch_ratify": frozenset({"reviewer"}),
    "ministry.decree_detail": frozenset({"reviewer"}),
    "ministry.decree_csv": frozenset({"reviewer"}),
    "ministry.decree_xlsx": frozenset({"reviewer"}),
    "pmo.batch_list": frozenset({"pmo"}),
    "pmo.batch_detail": frozenset({"pmo"}),
    "pmo.batch_confirm_all": frozenset({"pmo"}),
    "pmo.record_confirm": frozenset({"pmo"}),
    "pmo.record_reject": frozenset({"pmo"}),
    "pmo.dispute_list": frozenset({"pmo"}),
    "pmo.dispute_detail": frozenset({"pmo"}),
    # The office's batches (officers and supervisors of the office; closing refuses others inside the page).
    "desk.batch_list": OFFICE,
    "desk.batch_detail": OFFICE,
    "desk.batch_close": OFFICE,
    "desk.batch_recap": OFFICE,
    "desk.batch_statement": OFFICE,
    "desk.batch_handover": OFFICE,
    "desk.batch_csv": OFFICE,
    "desk.batch_xlsx": OFFICE,
    "desk.batch_log": OFFICE,
    "desk.record_log": OFFICE,
    "desk.walkin_list": OFFICE,
    "desk.walkin_new": OFFICE,
    "desk.walkin_detail": OFFICE,
    "desk.walkin_edit": OFFICE,
    "desk.walkin_receipt": OFFICE,
    "desk.walkin_statement": OFFICE,
    "desk.walkin_signed": OFFICE,
    "desk.walkin_withdraw": OFFICE,
    "desk.walkin_phone": OFFICE,
    "desk.dispute_new": OFFICE,
    "desk.dispute_receipt": OFFICE,
    "applicant.wave_join": APPLICANT,
    "pmo.wave_list": frozenset({"pmo"}),
    "pmo.wave_new": frozenset({"pmo"}),
    "pmo.wave_detail": frozenset({"pmo"}),
    "pmo.wave_close": frozenset({"pmo"}),
    "pmo.wave_walkins": frozenset({"pmo"}),
    "pmo.wave_select": frozenset({"pmo"}),
    "pmo.wave_select_confirm": frozenset({"pmo"}),
    "pmo.wave_selection": frozenset({"pmo"}),
    "pmo.wave_results": frozenset({"pmo"}),
    "pmo.wave_export": frozenset({"pmo"}),
}

SAMPLES = {
    "static": lambda world: {"filename": "app.css"},
    "main.language": lambda world: {"code": "en"},
    "main.photo_file": lambda world: {"photo_id": world["photo_id"], "variant": "kecil"},
    "auth.verify": lambda world: {"token": "bukan-token"},
    "auth.reset": lambda world: {"token": "bukan-token"},
    "applicant.photo_upload": lambda world: {"kind": "ktp"},
    "applicant.letter_image": lambda world: {"letter_id": world["letter_id"], "variant": "kecil"},
    "pmo.letter_review": lambda world: {"letter_id": world["letter_id"]},
    "pmo.letter_image": lambda world: {"letter_id": world["letter_id"], "variant": "kecil"},
    "staff.set_password_link": lambda world: {"token": "bukan-token"},
    "tracking.claim_link": lambda world: {"token": "bukan-token"},
    "admin.quota_edit": lambda world: {"quota_id": world["quota_id"]},
    "desk.returned_detail": lambda world: {"record_id": world["returned_id"]},
    "ministry.batch_detail": lambda world: {"batch_id": world["batch_id"]},
    "ministry.batch_queue": lambda world: {"batch_id": world["batch_id"]},
    "ministry.record_review": lambda world: {"batch_id": world["batch_id"], "record_id": world["record_id"]},
    "ministry.bulk_accept": lambda world: {"batch_id": world["batch_id"]},
    "ministry.batch_ratify": lambda world: {"batch_id": world["batch_id"]},
    "ministry.decree_detail": lambda world: {"decree_id": world["decree_id"]},
    "ministry.decree_csv": lambda world: {"decree_id": world["decree_id"]},
    "ministry.decree_xlsx": lambda world: {"decree_id": world["decree_id"]},
    "pmo.batch_detail": lambda world: {"batch_id": world["closed_batch_id"]},
    "pmo.batch_confirm_all": lambda world: {"batch_id": world["closed_batch_id"]},
    "pmo.record_confirm": lambda world: {"application_id": world["ratified_id"]},
    "pmo.record_reject": lambda world: {"application_id": world["ratified_id"]},
    "pmo.dispute_detail": lambda world: {"dispute_id": world["dispute_id"]},
    **{f"desk.batch_{name}": lambda world: {"batch_id": world["closed_batch_id"]}
       for name in ("detail", "recap", "statement", "handover", "csv", "xlsx", "log")},
    "desk.batch_close": lambda world: {"batch_id": world["open_batch_id"]},
    "desk.record_log": lambda world: {"application_id": world["walkin_id"]},
    **{f"desk.walkin_{page}": lambda world: {"reference": world["walkin"]}
       for page in ("detail", "edit", "receipt", "statement", "signed", "withdraw", "phone")},
    "desk.dispute_receipt": lambda world: {"dispute_id": world["dispute_id"]},
    **{f"pmo.wave_{name}": lambda world: {"number": world["wave"]}
       for name in ("detail", "close", "walkins", "select", "select_confirm", "selection", "results")},
    "pmo.wave_export": lambda world: {"number": world["wave"], "kind": "csv"},
}


@pytest.fixture
def world(app, make_account, make_staff):
    """One account per visitor kind, a photo and a statement letter of the applicant, and the office's records."""
    from portal.models import Account, Application, NikDispute, Photo, StatementLetter
    from portal.services.applications import draft_for
    from portal.services.batches import open_batch
    from portal.storage import storage

    from walkin_support import make_walkin

    make_account(email="pelamar@contoh.id")
    staff = {role: make_staff(role) for role in sorted(STAFF)}
    # Before the desk's open batch below: these close batches of their own.
    ministry = ministry_world(app)
    with app.app_context():
        # The office's batches: one closed (its documents exist), then an open one with records in it.
        officer = Account.by_email("officer@kantor.id")
        closed = close_batch_with_walkins(officer, Account.by_email("supervisor@kantor.id"))
        walkin_id = walkin(officer).id
    record = make_walkin(app, staff["officer"])
    with app.app_context():
        dispute = NikDispute.create(nik="3201014506950099", claimant_name="Sari", contact_phone="+6281234567890",
                                    office=staff["officer"].office_id, recorded_by=staff["officer"].id)
        application = draft_for(Account.by_email("pelamar@contoh.id"))
        buffer = io.BytesIO()
        Image.new("RGB", (64, 40), (120, 90, 60)).save(buffer, "JPEG")
        key = storage().save(buffer.getvalue())
        photo = Photo.create(application=application, kind="ktp", image_key=key, thumb_key=key, width=64,
                             height=40, size_bytes=len(buffer.getvalue()))
        letter = StatementLetter.create(application=application, image_key=key, thumb_key=key)
        open_batch_id = open_batch(officer.office).id
        # For the PMO: a record of the closed batch ratified by the ministry.
        ratified = Application.select().where(Application.batch == closed).order_by(Application.id).first()
        Application.update(status="ratified").where(Application.id == ratified.id).execute()
        wave = wave_support.past_wave(1, entries=[wave_support.make_application()])
        selection.run(wave)
    return {"photo_id": photo.id, "closed_batch_id": closed.id, "open_batch_id": open_batch_id,
            "walkin_id": walkin_id, "walkin": record.reference, "dispute_id": dispute.id, "wave": wave.number,
            "letter_id": letter.id, "ratified_id": ratified.id, **ministry}


def ministry_world(app):
    """A closed batch of another office with one record, a decree over a second batch, a quota, and a record
    of the officers' office returned to it."""
    import datetime

    from ministry_support import make_closed_batch

    from portal.models import Account, Application, Quota, Ratification

    batch = make_closed_batch(app, 1, first=0, office_code="DISNAKER-3374")
    mine = make_closed_batch(app, 1, first=2, office_code="DISNAKER-3201")
    ratified = make_closed_batch(app, 1, first=1, office_code="DISNAKER-3374")
    with app.app_context():
        decree = Ratification.create(batch=ratified, decree_number="KEP.1/2026", decree_date=datetime.date(2026, 11, 20),
                                     ratified_by=Account.by_email("reviewer@kantor.id"))
        record = Application.get(Application.batch == batch.id)
        quota = Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1),
                             ends_on=datetime.date(2026, 12, 31), amount=5)
        returned = Application.get(Application.batch == mine.id)
        Application.update(status="returned", status_reason="incomplete").where(Application.id == returned.id).execute()
    return {"batch_id": batch.id, "record_id": record.id, "decree_id": decree.id, "quota_id": quota.id,
            "returned_id": returned.id}


def sign_in(app, visitor, staff_login):
    client = app.test_client()
    if visitor == "applicant":
        assert client.post("/masuk", data={"email": "pelamar@contoh.id", "password": PASSWORD}).status_code == 303
    elif visitor != "anonymous":
        assert staff_login(client, f"{visitor}@kantor.id").status_code == 303
    return client


def outcome(response):
    """"allowed", or "refused (<status>)"."""
    location = response.headers.get("Location", "")
    if response.status_code in (403, 404):
        return f"refused ({response.status_code})"
    if response.status_code in (301, 302, 303) and location.split("?")[0] in LOGIN_PAGES:
        return f"refused ({response.status_code} to {location.split('?')[0]})"
    return "allowed"


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - RULES.keys()) == [], "routes missing from RULES in tests/test_access.py"
    assert sorted(RULES.keys() - endpoints) == [], "RULES names routes that no longer exist"


def test_access_matrix(app, world, staff_login):
    from flask import url_for

    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)
    problems, table = [], []
    for visitor in VISITORS:
        for rule in rules:
            expected = RULES[rule.endpoint]
            with app.test_request_context():
                url = url_for(rule.endpoint, **SAMPLES.get(rule.endpoint, lambda world: {})(world))
            method = "GET" if "GET" in rule.methods else "POST"
            # A fresh sign-in for every request: some routes end the session (sign-out, a set-up link).
            with sign_in(app, visitor, staff_login).open(url, method=method) as response:
                got = outcome(response)
            should = expected == PUBLIC or visitor in expected
            table.append(f"{visitor:<10} {method:<4} {url:<42} {got}")
            if should != (got == "allowed"):
                problems.append(f"{visitor} {method} {url}: {got}, expected {'allowed' if should else 'refused'}")
            elif not should and rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS and response.status_code != 404:
                problems.append(f"{visitor} {method} {url}: staff pages refuse with 404, got {response.status_code}")
    assert not problems, "\n".join(problems + ["", "full matrix:"] + table)


# Checks on particular records: (what is checked, visitor, URL from the world, expected status).
OBJECT_CASES = [
    ("an applicant cannot see another applicant's photo", "other applicant",
     lambda world: f"/foto/{world['photo_id']}/besar", 404),
    ("the owner sees their photo", "applicant", lambda world: f"/foto/{world['photo_id']}/besar", 200),
    ("an applicant cannot see another applicant's statement letter", "other applicant",
     lambda world: f"/pendaftaran/surat-pernyataan/{world['letter_id']}/besar", 404),
    ("the owner sees their statement letter", "applicant",
     lambda world: f"/pendaftaran/surat-pernyataan/{world['letter_id']}/besar", 200),
    ("the PMO sees a statement letter", "pmo", lambda world: f"/pmo/surat/{world['letter_id']}/besar", 200),
    ("a reviewer cannot see a statement letter", "reviewer", lambda world: f"/pmo/surat/{world['letter_id']}/besar",
     404),
]


@pytest.mark.parametrize("what, visitor, url, status", OBJECT_CASES, ids=[case[0] for case in OBJECT_CASES])
def test_object_level_access(app, world, make_account, staff_login, what, visitor, url, status):
    if visitor == "other applicant":
        make_account(email="lain@contoh.id")
        client = app.test_client()
        client.post("/masuk", data={"email": "lain@contoh.id", "password": PASSWORD})
    else:
        client = sign_in(app, visitor, staff_login)
    assert client.get(url(world)).status_code == status, what
