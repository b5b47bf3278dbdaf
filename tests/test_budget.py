"""Page weight budgets for 2G: every page, both languages, weighed as the bytes the browser receives.

Each request says `Accept-Encoding` as Chromium does, and what is weighed is the response body as the server
sent it (compressed by the app or precompressed on disk), not a size this test computes itself.
Budgets (KB = 1024 bytes): each HTML page <= 12 KB; all CSS <= 8 KB; our own JavaScript (not htmx) <= 4 KB;
a first visit (home page + CSS + our JS + htmx) <= 45 KB. No page or stylesheet may load anything from
another site. A table of every page's weight is printed on each run.

To weigh a new page, add a `Page` to PAGES; `given` prepares the visitor (registered, logged in...).
"""

import gzip
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable, Optional
from urllib.parse import urlsplit

import brotli
import pytest
from conftest import PASSWORD, create_staff, fill_villages, sign_in_staff, totp_code
from ministry_support import signed_in_with_world
from walkin_support import walkin as walkin_record
from wizard_support import KTP, STEPS, upload, verify_phone

KB = 1024
PAGE_BUDGET = 12 * KB
CSS_BUDGET = 8 * KB
OWN_JS_BUDGET = 4 * KB
FIRST_VISIT_BUDGET = 45 * KB
LANGUAGES = ("id", "en")
# What Chromium (and so Chrome for Android) sends on every request.
BROWSER_ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
DECODERS = {None: lambda data: data, "br": brotli.decompress, "gzip": gzip.decompress}


def registered(client, email, make_account, sms):
    """Has just registered: the browser is waiting for the verification email."""
    response = client.post("/daftar", data={"full_name": "Ani Lestari", "email": email, "password": PASSWORD})
    assert response.status_code == 303, "registering failed"


def logged_in(client, email, make_account, sms):
    make_account(email=email)
    response = client.post("/masuk", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, "logging in failed"


# Each applicant needs a NIK and a mobile number no other application holds (both are unique).
APPLICANTS = itertools.count(1)


def applying(until=None, photos=(), phone=None, sent=False, answers=None):
    """A `given` for the wizard's pages: logged in, every step before the page at `until` answered (all of
    them when None; `answers` replace a step's by URL), then the photos uploaded, the phone number entered
    ("sent") or "verified", and the application sent."""
    urls = [url for url, _ in STEPS]
    steps = STEPS[: urls.index(until)] if until else STEPS

    def given(client, email, make_account, sms):
        logged_in(client, email, make_account, sms)
        serial = next(APPLICANTS)
        replaced = {"/pendaftaran/ktp": {**KTP, "nik": KTP["nik"][:12] + f"{serial:04d}"}, **(answers or {})}
        for url, data in steps:
            response = client.post(url, data=replaced.get(url, data))
            assert response.status_code == 303, (url, response.get_data(as_text=True)[-2000:])
        for kind in photos:
            assert upload(client, kind).status_code == 303, f"uploading the {kind} photo failed"
        number, e164 = f"0812 3400 {serial:04d}", f"+62812340{serial:05d}"
        if phone == "sent":
            assert client.post("/pendaftaran/nomor-hp", data={"phone": number}).status_code == 303
        elif phone == "verified":
            assert verify_phone(client, sms, number, e164).status_code == 303, "verifying the phone failed"
        if sent:
            response = client.post("/pendaftaran/periksa", data={"declaration": "y"})
            assert response.headers.get("Location") == "/pendaftaran/terkirim", "sending failed"

    return given


ADDRESS_PAGE = "/pendaftaran/data-diri/alamat-ktp"
# Without JavaScript, "Show the next list" posts the choices so far with action=region.
REGION_CHOICES = [
    {"province": "32"},
    {"province": "32", "regency": "32.01"},
    {"province": "32", "regency": "32.01", "district": "32.01.01"},
]
# The longest lists in the region data: 51 districts in regency 95.03, 108 villages in district 95.06.03.
LONGEST_LISTS = [
    ("most districts", {"province": "95", "regency": "95.03"}),
    ("most villages", {"province": "95", "regency": "95.06", "district": "95.06.03"}),
]
BAD_KTP = {"nik": "3201-0145-1290", "birth_date-day": "31", "birth_date-month": "2", "birth_date-year": "1990",
           "kk_number": "12345"}
COMPLETE = applying(photos=("ktp", "selfie"), phone="verified")
SENT = applying(photos=("ktp", "selfie"), phone="verified", sent=True)


def staff_signed_in(role="officer", colleagues=0):
    """A `given` for staff pages: a staff member (and `colleagues` more accounts) signed in at /petugas."""

    def given(client, email, make_account, sms):
        for n in range(colleagues):
            create_staff(client.application, ("officer", "supervisor", "reviewer")[n % 3], f"rekan{n}-{email}",
                         name=f"Rekan Kerja Nomor {n}", office_code=f"DISNAKER-32{n % 20:02d}")
        create_staff(client.application, role, email)
        assert sign_in_staff(client, email).status_code == 303, "staff sign-in failed"

    return given


def staff_setting_up(until):
    """A `given` for the first-time pages: a new staff member who followed the link, and chose a password
    (until="enrol") and confirmed the authenticator (until="codes")."""

    def given(client, email, make_account, sms):
        import re

        from portal.services import staff

        app = client.application
        with app.test_request_context():
            token = staff.setup_token(staff.create_staff(email, "Budi Baru", "pmo"))
        client.get(f"/petugas/atur-sandi/{token}")
        if until == "password":
            return
        assert client.post("/petugas/atur-sandi", data={"password": PASSWORD}).status_code == 303
        if until == "codes":
            page = client.get("/petugas/autentikator").get_data(as_text=True)
            secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
            assert client.post("/petugas/autentikator", data={"code": totp_code(secret)}).status_code == 303

    return given


def with_villages(given=None):
    """A `given` that first fills the village reference table (once a session; see conftest.fill_villages)."""

    def prepare(client, email, make_account, sms):
        fill_villages(client.application)
        if given:
            given(client, email, make_account, sms)

    return prepare


OFFICES = itertools.count(1)


def batch_of(records=5, closed=False, role="supervisor", incomplete=0):
    """A `given` for the batch pages: a new office whose officer keyed `records` walk-ins (closed by its
    supervisor when `closed`; the first `incomplete` of them lacking the applicant's statement), and its
    officer or supervisor signed in; the page's path may name "{batch}" and "{record}"."""

    def given(client, email, make_account, sms):
        from batch_support import walkin

        from portal.services import batches

        app = client.application
        code = f"DISNAKER-B{next(OFFICES):03d}"
        officer = create_staff(app, "officer", f"petugas-{email}", name="Rina Petugas", office_code=code)
        supervisor = create_staff(app, "supervisor", email, name="Hendra Pengawas", office_code=code)
        with app.app_context():
            made = [walkin(officer, complete=n >= incomplete) for n in range(records)]
            if closed:
                batches.close(made[0].batch, supervisor)
        client.ids = {"batch": made[0].batch_id, "record": made[0].id}
        who = email if role == "supervisor" else f"petugas-{email}"
        assert sign_in_staff(client, who).status_code == 303, "staff sign-in failed"

    return given


DESK_REFERENCE = "PK-DESK-0001"  # the walk-in the desk pages show (Crockford: no I, L, O or U in it)
DESK_DISPUTE = 9001
WALKINS = itertools.count(1)


def at_the_desk(records=1, dispute=False):
    """A `given` for the desk pages: an officer signed in, and `records` walk-ins of the office, the first
    with reference DESK_REFERENCE (taken from the last visit's record); a NIK dispute numbered DESK_DISPUTE."""

    def given(client, email, make_account, sms):
        from walkin_support import make_walkin

        from portal.models import Application, NikDispute
        from portal.rules.reference import new_reference

        app = client.application
        officer = create_staff(app, "officer", email)
        with app.app_context():
            Application.update(reference=new_reference()).where(Application.reference == DESK_REFERENCE).execute()
            NikDispute.delete().where(NikDispute.id == DESK_DISPUTE).execute()
        for n in range(records):
            record = make_walkin(app, officer, serial=next(WALKINS), full_name=f"Siti Aminah {chr(ord('A') + n % 26)}.")
            if n == 0:
                with app.app_context():
                    Application.update(reference=DESK_REFERENCE).where(Application.id == record.id).execute()
        if dispute:
            with app.app_context():
                NikDispute.create(id=DESK_DISPUTE, nik="3201014506959999", claimant_name="Siti Aminah",
                                  contact_phone="+6281234567890", office=officer.office_id, recorded_by=officer.id)
        assert sign_in_staff(client, email).status_code == 303, "staff sign-in failed"

    return given


def letter_needed(state=None):
    """A `given` for the statement letter pages: logged in, sent, not selected in three waves, and the letter
    `state`: None (none yet), "pending" (its photo uploaded) or "rejected" (with a reason)."""

    def given(client, email, make_account, sms):
        from letter_support import photographed, thrice_failed

        from portal.models import Account, StatementLetter

        logged_in(client, email, make_account, sms)
        with client.application.app_context():
            # Waves 101-103 (in 2022): the wave pages' own waves 1 and 2 share this database.
            application = thrice_failed(Account.by_email(email), numbers=(101, 102, 103))
        if state:
            assert upload(client, "letter", photographed(), url="/pendaftaran/surat-pernyataan/foto").status_code == 303
        if state == "rejected":
            with client.application.app_context():
                StatementLetter.update(status="rejected", reason="Tanda tangan tidak mengenai meterai.").where(
                    StatementLetter.application == application.id).execute()

    return given


def walkin_in(state, **columns):
    """A `given` for the public pages: a walk-in record in `state` with reference PK-DEM0-0001 (and, per
    visit, a fresh NIK and number)."""

    def given(client, email, make_account, sms):
        from portal.models import Application

        with client.application.app_context():
            Application.delete().where(Application.reference == "PK-DEM0-0001").execute()
        walkin_record(client.application, state, reference="PK-DEM0-0001", **columns)

    return given


DESK = "/petugas/meja"
DESK_RECORD = f"{DESK}/data/{DESK_REFERENCE}"


def claiming(until):
    """A `given` for the claim's pages: a confirmed walk-in record found at /klaim (with a number, or only an
    email address for until="email"), its SMS code entered ("account"), and the account made and logged in
    ("done")."""

    def given(client, email, make_account, sms):
        from portal.models import Account

        record = walkin_record(client.application, "confirmed", phone=None if until == "email" else "auto",
                               email=email if until == "email" else None)
        response = client.post("/klaim", data={
            "reference": record.reference, "nik": record.nik, "birth_date-day": "5", "birth_date-month": "12",
            "birth_date-year": "1990"})
        assert response.status_code == 303, "the claim did not find the record"
        if until in ("account", "done"):
            assert client.post("/klaim/kode", data={"code": sms.last_code(record.phone)}).status_code == 303
        if until == "done":
            assert client.post("/klaim/akun", data={"email": email, "password": PASSWORD}).status_code == 303
            with client.application.app_context():
                Account.update(email_verified_at=Account.created_at).where(Account.email == email).execute()
            assert client.post("/masuk", data={"email": email, "password": PASSWORD}).status_code == 303

    return given


def pmo_with_letters(count=1):
    """A `given` for the PMO's letter pages: `count` applicants with a pending letter ("{letter}" the first), and
    a PMO signed in."""

    def given(client, email, make_account, sms):
        from wave_support import make_application

        from portal.models import StatementLetter
        from portal.storage import storage

        with client.application.app_context():
            key = storage().save(b"not read by these pages")
            letters = [StatementLetter.create(application=make_application(), image_key=key, thumb_key=key)
                       for _ in range(count)]
        client.ids = {"letter": letters[0].id}
        staff_signed_in("pmo")(client, email, make_account, sms)

    return given


def with_wave(given, joined=False, closed=False):
    """A `given` followed by an open wave (which the applicant has joined), or wave 1 closed with its results
    and 37 more provinces' entries, as the PMO's pages show at their fullest."""

    def then(client, email, make_account, sms):
        from wave_support import make_application, open_wave, past_wave

        from portal.models import Account, Application, Wave
        from portal.services import selection, waves

        given(client, email, make_account, sms)
        with client.application.app_context():
            if closed and not Wave.get_or_none(Wave.number == 1):  # the visits share one database
                from portal.rules import regions

                people = [make_application(province=code) for code, _name in regions.options()]
                selection.run(past_wave(1, quota=20, province_quotas={"32": 2}, entries=people))
            wave = Wave.get_or_none(Wave.number == 2) or open_wave(number=2)
            account = Account.get_or_none(Account.email == email)
            application = account and Application.get_or_none(Application.account == account)
            if joined and application:
                waves.enter(wave, application)

    return then


def selection_running(given):
    """A `given` followed by wave 3, closed, whose selection a worker is running now."""

    def then(client, email, make_account, sms):
        from wave_support import make_application, past_wave

        from portal.models import Wave, utcnow

        given(client, email, make_account, sms)
        with client.application.app_context():
            wave = Wave.get_or_none(Wave.number == 3) or past_wave(3, entries=[make_application()])
            Wave.update(selection_requested_at=utcnow(), selection_started_at=utcnow()).where(
                Wave.id == wave.id).execute()

    return then


def wave_to_select(given):
    """A `given` followed by wave 4, closed and not yet selected, with a confirmed walk-in not entered in it."""

    def then(client, email, make_account, sms):
        from wave_support import make_application, past_wave

        from portal.models import Wave

        given(client, email, make_account, sms)
        with client.application.app_context():
            if not Wave.get_or_none(Wave.number == 4):
                past_wave(4, quota=2, province_quotas={"32": 1}, entries=[make_application()])
                make_application(channel="walkin", status="confirmed")

    return then


def pmo_with(records=5):
    """A `given` for the PMO's pages: a batch of `records` ratified walk-ins (the first two with warnings), a NIK
    dispute over an online draft, and a PMO user signed in; paths may name "{batch}", "{record}", "{dispute}"."""

    def given(client, email, make_account, sms):
        from walkin_support import office

        from portal.models import Account, Application, Batch, NikDispute, utcnow

        app = client.application
        with app.app_context():
            batch = Batch.create(office=office(), number=Batch.select().count() + 1, status="ratified",
                                 closed_at=utcnow(), record_count=records)
            made = [walkin_record(app, "ratified", batch=batch, not_in_education=n > 0, not_excluded=n != 1)
                    for n in range(records)]
            holder = Account.create(email=f"draf-{email}", full_name="Pemilik Draf", password_hash="x")
            draft = Application.create(account=holder, nik=f"327301451290{Batch.select().count():04d}",
                                       full_name="Pemilik Draf")
            dispute = NikDispute.create(nik=draft.nik, claimant_name="Siti Penggugat", contact_phone="+6281377770000",
                                        office=office(), recorded_by=holder, note="e-KTP asli dilihat")
        client.ids = {"batch": batch.id, "record": made[0].id, "dispute": dispute.id}
        create_staff(app, "pmo", email, name="Putri PMO")
        assert sign_in_staff(client, email).status_code == 303, "staff sign-in failed"

    return given


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    status: int = 200
    method: str = "GET"
    form: dict = field(default_factory=dict)
    # Run before the visit: (client, an email address no one else uses, make_account, sms gateway) -> None.
    given: Optional[Callable] = None


REVIEWER, OFFICE, ADMIN = (signed_in_with_world(role) for role in ("reviewer", "officer", "admin"))
DECREE_FORM = {"action": "ratify", "decree_number": "", "decree_date-day": "31", "decree_date-month": "2",
               "decree_date-year": "2026"}
QUOTA_FORM = {"province": "", "starts_on-day": "1", "starts_on-month": "1", "starts_on-year": "2026", "amount": "x"}
# The ministry's review (60 records to decide, a batch ratified with 10 waiting), the desk's returned records,
# and the administrator's quotas; ids come from tests/ministry_support.review_world.
MINISTRY_PAGES = [
    Page("ministry: batches", "/kementerian/", given=REVIEWER),
    Page("ministry: batch", "/kementerian/batch/{batch}", given=REVIEWER),
    Page("ministry: tampered batch", "/kementerian/batch/{tampered}", status=409, given=REVIEWER),
    Page("ministry: queue of 60", "/kementerian/batch/{batch}/antrean", given=REVIEWER),
    Page("ministry: warnings", "/kementerian/batch/{batch}/antrean?lihat=warnings", given=REVIEWER),
    Page("ministry: decided", "/kementerian/batch/{ratified}/antrean?lihat=decided", given=REVIEWER),
    Page("ministry: record", "/kementerian/batch/{batch}/data/{record}", given=REVIEWER),
    Page("ministry: record, errors", "/kementerian/batch/{batch}/data/{record}", method="POST",
         form={"decision": "return", "reason": "", "note": ""}, given=REVIEWER),
    Page("ministry: bulk accept", "/kementerian/batch/{batch}/terima-semua", given=REVIEWER),
    Page("ministry: ratify", "/kementerian/batch/{ratified}/penetapan", given=REVIEWER),
    Page("ministry: ratify, errors", "/kementerian/batch/{ratified}/penetapan", method="POST", form=DECREE_FORM,
         given=REVIEWER),
    Page("ministry: decree list", "/kementerian/penetapan/{decree}", given=REVIEWER),
    Page("desk: returned", "/petugas/meja/dikembalikan", given=OFFICE),
    Page("desk: returned record", "/petugas/meja/dikembalikan/{returned}", given=OFFICE),
    Page("admin: quotas", "/admin/kuota", given=ADMIN),
    Page("admin: quotas, errors", "/admin/kuota", method="POST", form=QUOTA_FORM, given=ADMIN),
    Page("admin: change quota", "/admin/kuota/{quota}", given=ADMIN),
]

PAGES = [
    Page("home", "/"),
    Page("register", "/daftar"),
    Page("register with errors", "/daftar", method="POST", form={"full_name": "", "email": "", "password": ""}),
    Page("waiting for email", "/daftar/cek-email", given=registered),
    Page("change email", "/daftar/ubah-email", given=registered),
    Page("link problem", "/verifikasi/bukan-token-yang-sah", status=400),
    Page("login", "/masuk"),
    Page("forgot password", "/lupa-sandi"),
    Page("reset link sent", "/lupa-sandi/terkirim"),
    Page("logged out", "/keluar/selesai"),
    Page("not found", "/tidak-ada-halaman-ini", status=404),
    Page("task list", "/pendaftaran/", given=logged_in),
    # The registration wizard, step by step.
    Page("KTP", "/pendaftaran/ktp", given=applying(until="/pendaftaran/ktp")),
    Page("KTP with errors", "/pendaftaran/ktp", method="POST", form=BAD_KTP,
         given=applying(until="/pendaftaran/ktp")),
    Page("KTP confirm", "/pendaftaran/ktp/konfirmasi", given=applying(until="/pendaftaran/ktp/konfirmasi")),
    Page("name", "/pendaftaran/data-diri/nama", given=applying(until="/pendaftaran/data-diri/nama")),
    Page("address: provinces", ADDRESS_PAGE, given=applying(until=ADDRESS_PAGE)),
    *[Page(f"address: {level} list", ADDRESS_PAGE, method="POST", form={"action": "region", **choices},
           given=applying(until=ADDRESS_PAGE))
      for level, choices in zip(("regency", "district", "village"), REGION_CHOICES)],
    *[Page(f"address: {name}", ADDRESS_PAGE, method="POST", form={"action": "region", **choices},
           given=applying(until=ADDRESS_PAGE))
      for name, choices in LONGEST_LISTS],
    Page("address: villages found", ADDRESS_PAGE, method="POST", form={"action": "village", "desa_q": "suka"},
         given=with_villages(applying(until=ADDRESS_PAGE))),
    Page("domicile", "/pendaftaran/data-diri/domisili", given=applying(until="/pendaftaran/data-diri/domisili")),
    Page("domicile address", "/pendaftaran/data-diri/alamat-domisili",
         given=applying(until="/pendaftaran/data-diri/pendidikan-pekerjaan",
                        answers={"/pendaftaran/data-diri/domisili": {"domicile_same": "no"}})),
    Page("education and work", "/pendaftaran/data-diri/pendidikan-pekerjaan",
         given=applying(until="/pendaftaran/data-diri/pendidikan-pekerjaan")),
    Page("declarations", "/pendaftaran/data-diri/pernyataan",
         given=applying(until="/pendaftaran/data-diri/pernyataan")),
    Page("photos", "/pendaftaran/foto", given=applying()),
    Page("photos, both saved", "/pendaftaran/foto", given=applying(photos=("ktp", "selfie"))),
    Page("phone", "/pendaftaran/nomor-hp", given=applying(photos=("ktp", "selfie"))),
    Page("phone code", "/pendaftaran/nomor-hp/kode", given=applying(photos=("ktp", "selfie"), phone="sent")),
    Page("task list, complete", "/pendaftaran/", given=COMPLETE),
    Page("check answers", "/pendaftaran/periksa", given=COMPLETE),
    Page("application sent", "/pendaftaran/terkirim",
         given=applying(photos=("ktp", "selfie"), phone="verified", sent=True)),
    Page("statement letter needed", "/pendaftaran/surat-pernyataan", given=letter_needed()),
    Page("statement letter to print", "/pendaftaran/surat-pernyataan/cetak", given=letter_needed()),
    Page("statement letter pending", "/pendaftaran/surat-pernyataan", given=letter_needed("pending")),
    Page("statement letter rejected", "/pendaftaran/surat-pernyataan", given=letter_needed("rejected")),
    Page("statement letter, errors", "/pendaftaran/surat-pernyataan/foto", method="POST", form={},
         given=letter_needed()),
    Page("village search", "/wilayah/desa"),
    Page("village search: 20 found", f"/wilayah/desa?q=suka&pick={ADDRESS_PAGE}", given=with_villages()),
    Page("village search: none", "/wilayah/desa?q=qqqzzz", given=with_villages()),
    # Staff: the entrance, first-time set-up, home and the administrator's list.
    Page("staff sign-in", "/petugas"),
    Page("staff sign-in, errors", "/petugas", method="POST", form={"email": "", "password": "", "code": "x" * 30}),
    Page("staff set password", "/petugas/atur-sandi", given=staff_setting_up("password")),
    Page("staff authenticator", "/petugas/autentikator", given=staff_setting_up("enrol")),
    Page("staff recovery codes", "/petugas/kode-pemulihan", given=staff_setting_up("codes")),
    Page("staff recovery count", "/petugas/kode-pemulihan", given=staff_signed_in()),
    Page("staff home", "/petugas/beranda", given=staff_signed_in()),
    Page("admin: 60 staff", "/admin/", given=staff_signed_in("admin", colleagues=60)),
    Page("pmo: 50 letters waiting", "/pmo/surat", given=pmo_with_letters(60)),
    Page("pmo: a letter", "/pmo/surat/{letter}", given=pmo_with_letters()),
    Page("pmo: a letter, errors", "/pmo/surat/{letter}", method="POST", form={"decision": "reject"},
         given=pmo_with_letters()),
    Page("staff signed out", "/petugas/keluar/selesai"),
    # The office's batches and the documents of a closed one ("{batch}": the batch the `given` made).
    Page("batches", "/petugas/meja/batch", given=batch_of(closed=True)),
    Page("batch, 50 records", "/petugas/meja/batch/{batch}", given=batch_of(50)),
    Page("batch, closed", "/petugas/meja/batch/{batch}", given=batch_of(closed=True)),
    Page("close batch", "/petugas/meja/batch/{batch}/tutup", given=batch_of()),
    Page("close batch, refused", "/petugas/meja/batch/{batch}/tutup", given=batch_of(role="officer")),
    Page("close batch, blocked", "/petugas/meja/batch/{batch}/tutup", given=batch_of(incomplete=3)),
    Page("batch recap", "/petugas/meja/batch/{batch}/rekap", given=batch_of(50, closed=True)),
    Page("statement of data truth", "/petugas/meja/batch/{batch}/pernyataan", given=batch_of(closed=True)),
    Page("handover record (BAST)", "/petugas/meja/batch/{batch}/bast", given=batch_of(closed=True)),
    Page("batch history", "/petugas/meja/batch/{batch}/riwayat", given=batch_of(closed=True)),
    Page("record history", "/petugas/meja/catatan/{record}/riwayat", given=batch_of(closed=True)),
    # The walk-in desk.
    Page("desk: today, 40", f"{DESK}/", given=at_the_desk(records=40)),
    Page("desk: entry page", f"{DESK}/baru", given=at_the_desk(records=0)),
    Page("desk: entry, errors", f"{DESK}/baru", method="POST", form={"domicile_same": "no"},
         given=at_the_desk(records=0)),
    Page("desk: entry, villages", f"{DESK}/baru", method="POST",
         form={"action": "region-ktp", "ktp_address-province": "95", "ktp_address-regency": "95.06",
               "ktp_address-district": "95.06.03"}, given=at_the_desk(records=0)),
    Page("desk: record", DESK_RECORD, given=at_the_desk()),
    Page("desk: receipt", f"{DESK_RECORD}/tanda-terima", given=at_the_desk()),
    Page("desk: statement", f"{DESK_RECORD}/pernyataan", given=at_the_desk()),
    Page("desk: correct", f"{DESK_RECORD}/ubah", given=at_the_desk()),
    Page("desk: withdraw", f"{DESK_RECORD}/tarik", given=at_the_desk()),
    Page("desk: phone code", f"{DESK_RECORD}/nomor-hp", given=at_the_desk()),
    Page("desk: NIK dispute", f"{DESK}/sengketa-nik", given=at_the_desk(records=0)),
    Page("desk: dispute receipt", f"{DESK}/sengketa-nik/{DESK_DISPUTE}", given=at_the_desk(records=0, dispute=True)),
    # The public status check and the claim of a walk-in record.
    Page("status check", "/status"),
    Page("status check, not found", "/status", method="POST", form={
        "reference": "PK-ZZZZ-ZZZZ", "birth_date-day": "5", "birth_date-month": "12", "birth_date-year": "1990"}),
    Page("status check, answer", "/status", method="POST", given=walkin_in("returned", reason="nik_kk"),
         form={"reference": "PK-DEM0-0001", "birth_date-day": "5", "birth_date-month": "12",
               "birth_date-year": "1990"}),
    Page("claim", "/klaim"),
    Page("claim, not found", "/klaim", method="POST", form={
        "reference": "PK-ZZZZ-ZZZZ", "nik": "3201014512900001", "birth_date-day": "5", "birth_date-month": "12",
        "birth_date-year": "1990"}),
    Page("claim: SMS code", "/klaim/kode", given=claiming("code")),
    Page("claim: email sent", "/klaim/cek-email", given=claiming("email")),
    Page("claim: account", "/klaim/akun", given=claiming("account")),
    Page("claim: bad link", "/klaim/tautan/bukan-token", status=400),
    Page("task list, claimed walk-in", "/pendaftaran/", given=claiming("done")),
    # Waves: the applicant's status and joining; the PMO's wave screens.
    Page("task list, wave open", "/pendaftaran/", given=with_wave(SENT)),
    Page("join a wave", "/pendaftaran/gelombang", given=with_wave(SENT)),
    Page("join a wave, error", "/pendaftaran/gelombang", method="POST", form={}, given=with_wave(SENT)),
    Page("task list, wave joined", "/pendaftaran/", given=with_wave(SENT, joined=True)),
    Page("pmo: waves", "/pmo/gelombang", given=with_wave(staff_signed_in("pmo"), closed=True)),
    Page("pmo: new wave", "/pmo/gelombang/baru", given=staff_signed_in("pmo")),
    Page("pmo: new wave, errors", "/pmo/gelombang/baru", method="POST", form={
        "number": "x", "opens_at-day": "5", "opens_at-month": "", "opens_at-year": "2031", "opens_at-time": "9",
        "closes_at-day": "12", "closes_at-month": "1", "closes_at-year": "2031", "closes_at-time": "25:00"},
         given=staff_signed_in("pmo")),
    Page("pmo: wave, 38 provinces", "/pmo/gelombang/1", given=with_wave(staff_signed_in("pmo"), closed=True)),
    Page("pmo: close a wave?", "/pmo/gelombang/2/tutup", given=with_wave(staff_signed_in("pmo"), closed=True)),
    Page("pmo: run the selection?", "/pmo/gelombang/4/seleksi/konfirmasi",
         given=wave_to_select(staff_signed_in("pmo"))),
    Page("pmo: wave results", "/pmo/gelombang/1/hasil", given=with_wave(staff_signed_in("pmo"), closed=True)),
    Page("pmo: selection running", "/pmo/gelombang/3/seleksi", given=selection_running(staff_signed_in("pmo"))),
    Page("pmo: wave, selection running", "/pmo/gelombang/3", given=selection_running(staff_signed_in("pmo"))),
    *MINISTRY_PAGES,
    # The PMO: ratified lists, a batch of 50 to confirm, rejecting one, NIK disputes.
    Page("PMO: ratified lists", "/pmo/", given=pmo_with()),
    Page("PMO: ratified batch, 50", "/pmo/batch/{batch}", given=pmo_with(50)),
    Page("PMO: confirm all", "/pmo/batch/{batch}/kukuhkan-semua", given=pmo_with()),
    Page("PMO: reject", "/pmo/catatan/{record}/tolak", given=pmo_with()),
    Page("PMO: reject, errors", "/pmo/catatan/{record}/tolak", method="POST", form={"reason": "other", "note": ""},
         given=pmo_with()),
    Page("PMO: NIK disputes", "/pmo/sengketa-nik", given=pmo_with()),
    Page("PMO: NIK dispute", "/pmo/sengketa-nik/{dispute}", given=pmo_with()),
]


def received(response):
    """(bytes on the wire, decoded body) of a response: its body as sent, and that body decoded."""
    wire = response.get_data()
    return len(wire), DECODERS[response.headers.get("Content-Encoding")](wire)


@dataclass
class Visit:
    page: Page
    lang: str
    html: bytes
    wire: int  # body bytes as sent
    encoding: Optional[str]


class References(HTMLParser):
    """Every URL-bearing attribute in a page, and its stylesheets and scripts."""

    ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "srcset"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.urls = []  # (tag, attribute, value)
        self.stylesheets = []
        self.scripts = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in sorted(self.ATTRIBUTES & attrs.keys()):
            values = [attrs[name] or ""]
            if name == "srcset":  # "a.png 1x, b.png 2x": every candidate counts
                values = [candidate.split()[0] for candidate in values[0].split(",") if candidate.strip()]
            self.urls += [(tag, name, value) for value in values]
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def is_local(url):
    """A path on this site or a fragment. data: URIs load nothing over the network (base.html's
    `<link rel="icon" href="data:,">` is there to spare phones a /favicon.ico request), so they pass."""
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("#") or url.startswith("data:")


@pytest.fixture
def visits(app, make_account, sms):
    """Each page of PAGES in each language, visited by a fresh browser (test client)."""
    found = []
    for n, page in enumerate(PAGES):
        for lang in LANGUAGES:
            client = app.test_client()
            client.set_cookie("lang", lang)
            if page.given:
                page.given(client, f"page{n}-{lang}@contoh.id", make_account, sms)
            # A path may name rows the `given` made: "/petugas/meja/batch/{batch}" (client.ids has them).
            path = page.path.format(**getattr(client, "ids", {}))
            response = client.open(path, method=page.method, data=page.form or None, headers=BROWSER_ENCODINGS)
            wire, html = received(response)
            assert response.status_code == page.status, f"{page.name} ({lang}): {response.status_code}"
            assert response.mimetype == "text/html", f"{page.name} ({lang}): {response.mimetype}"
            assert f'<html lang="{lang}"'.encode() in html, f"{page.name} is not in {lang}"
            found.append(Visit(page, lang, html, wire, response.headers.get("Content-Encoding")))
    return found


def static_weight(app, url):
    """(raw bytes, bytes on the wire, content) of a static file, fetched by its hashed URL like a browser."""
    with app.test_client().get(url, headers=BROWSER_ENCODINGS) as response:
        assert response.status_code == 200, url
        wire, data = received(response)
    return len(data), wire, data


def kb(n):
    return f"{n / KB:.1f} KB"


def test_pages_and_assets_fit_the_2g_budget(visits, app, capsys):
    stylesheets, scripts = [], []
    for visit in visits:
        refs = References(visit.html.decode())
        stylesheets += [url for url in refs.stylesheets if url not in stylesheets]
        scripts += [url for url in refs.scripts if url not in scripts]
    assert stylesheets and scripts, "no stylesheet or script found in the pages"
    weights = {url: static_weight(app, url) for url in stylesheets + scripts}
    htmx = [url for url in scripts if "htmx" in urlsplit(url).path]
    own_js = [url for url in scripts if url not in htmx]
    css, js, htmx_js = (sum(weights[url][1] for url in urls) for urls in (stylesheets, own_js, htmx))
    home = next(v for v in visits if v.page.path == "/" and v.lang == "id")
    first_visit = home.wire + css + js + htmx_js

    lines = [
        "",
        f"Page weights on the wire, as sent to Chromium (budget {kb(PAGE_BUDGET)} a page)",
        f"{'page':<24} {'path':<44} {'lang':<4} {'status':>6} {'HTML B':>8} {'sent B':>8} encoding",
    ]
    for v in visits:
        flag = "  OVER BUDGET" if v.wire > PAGE_BUDGET else ""
        lines.append(f"{v.page.name:<24} {v.page.path:<44} {v.lang:<4} {v.page.status:>6} "
                     f"{len(v.html):>8,} {v.wire:>8,} {v.encoding or 'none'}{flag}")
    lines.append("")
    lines.append(f"{'static file':<69} {'raw B':>13} {'sent B':>8}")
    for url in stylesheets + scripts:
        lines.append(f"{urlsplit(url).path:<69} {weights[url][0]:>13,} {weights[url][1]:>8,}")
    lines += [
        "",
        f"CSS total          {css:>7,} B sent  (budget {kb(CSS_BUDGET)})",
        f"our JS (not htmx)  {js:>7,} B sent  (budget {kb(OWN_JS_BUDGET)})",
        f"htmx               {htmx_js:>7,} B sent",
        f"first visit        {first_visit:>7,} B sent ({kb(first_visit)}) = home {home.wire:,} + CSS {css:,} + JS "
        f"{js:,} + htmx {htmx_js:,}  (budget {kb(FIRST_VISIT_BUDGET)})",
        f"largest later page {max(v.wire for v in visits):>7,} B sent  (budget {kb(PAGE_BUDGET)})",
    ]
    with capsys.disabled():
        print("\n".join(lines))

    problems = [f"{v.page.name} ({v.lang}, {v.page.path}): {v.wire:,} B sent > {kb(PAGE_BUDGET)}"
                for v in visits if v.wire > PAGE_BUDGET]
    if css > CSS_BUDGET:
        problems.append(f"CSS: {css:,} B sent > {kb(CSS_BUDGET)}")
    if js > OWN_JS_BUDGET:
        problems.append(f"our JavaScript: {js:,} B sent > {kb(OWN_JS_BUDGET)}")
    if first_visit > FIRST_VISIT_BUDGET:
        problems.append(f"first visit: {first_visit:,} B sent > {kb(FIRST_VISIT_BUDGET)}")
    assert not problems, "over the 2G budget:\n" + "\n".join(problems)


def test_no_page_or_stylesheet_loads_anything_from_another_site(visits, app):
    problems = []
    stylesheets = set()
    for visit in visits:
        refs = References(visit.html.decode())
        stylesheets.update(refs.stylesheets)
        problems += [f'{visit.page.name} ({visit.lang}): <{tag} {name}="{url}">'
                     for tag, name, url in refs.urls if not is_local(url)]
    for url in sorted(stylesheets):
        css = static_weight(app, url)[2].decode()
        for ref in re.findall(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", css):
            target = ref[0] or ref[1]
            if not is_local(target):
                problems.append(f"{urlsplit(url).path}: {target}")
    assert not problems, "references to other sites (only /paths, #fragments and data: are allowed):\n" + \
        "\n".join(problems)


def test_pages_and_static_files_are_sent_compressed_and_static_files_cached(visits, app):
    """Every page big enough to gain is compressed on the wire; static files come precompressed, by brotli
    to browsers that take it and gzip to those that do not, under hashed names cached for good. (Error
    pages, under 2 KB, go as they are: Flask-Compress leaves non-2xx answers alone.)"""
    problems = [f"{v.page.name} ({v.lang}): {len(v.html):,} B sent as {v.encoding or 'is'}"
                for v in visits if len(v.html) > 1024 and v.page.status == 200 and v.encoding != "br"]
    refs = References(next(v for v in visits if v.page.path == "/").html.decode())
    client = app.test_client()
    for url in refs.stylesheets + refs.scripts:
        assert re.fullmatch(r"/static/[\w.-]+\.[0-9a-f]{12}\.(css|js)", url), url
        for accepted, expected in (("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("", None)):
            with client.get(url, headers={"Accept-Encoding": accepted}) as response:
                if response.headers.get("Content-Encoding") != expected:
                    problems.append(f"{url} for {accepted!r}: {response.headers.get('Content-Encoding')}")
                assert "immutable" in response.headers["Cache-Control"]
                assert "Accept-Encoding" in response.headers["Vary"]
    assert not problems, "sent uncompressed or wrongly encoded:\n" + "\n".join(problems)
