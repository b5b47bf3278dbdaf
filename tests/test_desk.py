"""The walk-in desk over HTTP: keying a paper form, checks as typed, receipt, statement, find, correct, withdraw."""

import re

import pytest

from walkin_support import form_post, make_walkin, nik, online_holder


@pytest.fixture
def officer(make_staff):
    return make_staff("officer")


@pytest.fixture
def desk(client, officer, staff_login):
    assert staff_login(client, "officer@kantor.id").status_code == 303
    return client


def test_entry_page_saves_and_opens_the_record(desk):
    page = desk.get("/petugas/meja/baru")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    order = [html.index(f'id="{name}"') for name in ("nik", "birth_date-day", "kk_number", "full_name", "birth_place",
                                                      "contact_email", "phone", "ktp_address-province",
                                                      "domicile_same-0", "education-0", "employment-0",
                                                      "not_in_education", "not_excluded", "aid-0",
                                                      "training_field-0", "ktp_seen", "statement_signed")]
    assert order == sorted(order), "the page follows the paper form's order"
    saved = desk.post("/petugas/meja/baru", data=form_post())
    assert saved.status_code == 303
    record_page = desk.get(saved.headers["Location"])
    text = record_page.get_data(as_text=True)
    reference = re.search(r"PK-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)
    assert "Siti Aminah" in text and "3201 01•• •••• 0001" in text
    receipt = desk.get(f"/petugas/meja/data/{reference}/tanda-terima").get_data(as_text=True)
    assert reference in receipt and "3201 01•• •••• 0001" in receipt and nik(1) not in receipt
    assert "Rina Petugas" in receipt and "WIB" in receipt and "/status" in receipt
    statement = desk.get(f"/petugas/meja/data/{reference}/pernyataan").get_data(as_text=True)
    assert nik(1) in statement and "Siti Aminah" in statement and "Cibinong" in statement


FIELD_CASES = [
    ("nik", {"nik": "3201-0145"}, "NIK harus 16 angka", "3201-0145"),
    ("nik", {"nik": ""}, "Masukkan NIK pendaftar", ""),
    ("birth_date", {"birth_date-day": "31", "birth_date-month": "2"}, "tanggal yang benar", "31"),
    ("kk_number", {"kk_number": "12ab"}, "KK", "12ab"),
    ("full_name", {"full_name": ""}, "nama lengkap pendaftar", ""),
    ("full_name", {"full_name": "12345"}, "huruf", "12345"),
    ("birth_place", {"birth_place": ""}, "tempat lahir pendaftar", ""),
    ("contact_email", {"contact_email": "siti@"}, "format", "siti@"),
    ("phone", {"phone": "021 555 1234"}, "bukan nomor telepon rumah", "021 555 1234"),
    ("ktp_address-village", {"ktp_address-village": None}, "Pilih kelurahan atau desa", None),
    ("ktp_address-street", {"ktp_address-street": ""}, "Masukkan jalan", ""),
    ("ktp_address-rt", {"ktp_address-rt": "12a"}, "RT", "12a"),
    ("domicile_same", {"domicile_same": None}, "pendaftar tinggal", None),
    ("domicile_address-province", {"domicile_same": "no"}, "Pilih provinsi", None),
    ("education", {"education": None}, "pendidikan terakhir", None),
    ("employment", {"employment": None}, "kegiatan pendaftar", None),
    ("not_in_education", {"not_in_education": None}, "pendidikan formal", None),
    ("not_excluded", {"not_excluded": None}, "orang-orang yang disebutkan", None),
    ("aid", {"aid": None}, "bantuan", None),
    ("training_field", {"training_field": None}, "bidang pelatihan", None),
    ("ktp_seen", {"ktp_seen": None}, "e-KTP asli pendaftar", None),
]


@pytest.mark.parametrize("field, changes, message, kept", FIELD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FIELD_CASES)])
def test_bad_input_message_next_to_field_and_kept(app, desk, field, changes, message, kept):
    from portal.models import Application

    page = desk.post("/petugas/meja/baru", data=form_post(**changes))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    assert error, f"no message next to {field}"
    assert message.lower() in error.group(1).lower()
    assert f'href="#{field}' in html, "the error summary links to the field"
    if kept:
        assert f'value="{kept}"' in html
    assert 'value="Siti Aminah"' in html or field == "full_name"
    with app.app_context():
        assert Application.select().count() == 0


def test_nik_check_fragment_with_and_without_htmx(app, desk, make_account):
    with app.app_context():
        online_holder(make_account, 4)
    fragment = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(4)}, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and 'id="nik"' in html
    assert "sudah terdaftar online (belum dikirim)" in html and "Dewi" not in html
    assert "Perempuan" in html  # the sex the NIK holds, for confirmation
    assert 'formaction="/petugas/meja/sengketa-nik"' in html
    clean = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(5)}, headers={"HX-Request": "true"})
    assert "sudah terdaftar" not in clean.get_data(as_text=True)
    bad = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": "123"}, headers={"HX-Request": "true"})
    assert 'id="nik-error"' in bad.get_data(as_text=True)
    full = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(4)})
    assert "<html" in full.get_data(as_text=True)  # without htmx: the whole page, checked


def test_save_refuses_a_registered_nik(app, desk, officer):
    make_walkin(app, officer, serial=1)
    page = desk.post("/petugas/meja/baru", data=form_post(1, full_name="Orang Lain"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="nik-error">.*sudah terdaftar sebagai pendaftaran langsung di kantor ini', html, re.S)


def test_kk_and_phone_warnings_in_fragments(app, desk, officer):
    from portal.models import Application

    first = make_walkin(app, officer, serial=1)
    make_walkin(app, officer, serial=2)
    kk = desk.post("/petugas/meja/baru?fragment=kk_number", data={"kk_number": "3201010101230001"},
                   headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in kk and "sudah dipakai di 2 pendaftaran" in kk
    with app.app_context():
        Application.update(verified_phone=first.phone).where(Application.id == first.id).execute()
    phone = desk.post("/petugas/meja/baru?fragment=phone", data={"phone": "0812 3450 0001"},
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in phone and "sudah dikonfirmasi di pendaftaran lain" in phone
    assert "<html" in desk.post("/petugas/meja/baru?fragment=phone", data={"phone": "0812"}).get_data(as_text=True)


def test_region_lists_refine_with_and_without_htmx(desk):
    data = {"ktp_address-province": "32", "action": "region-ktp", "full_name": "Siti"}
    fragment = desk.post("/petugas/meja/baru", data=data, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="ktp_address-regency"' in fragment and "error-message" not in fragment
    assert "autofocus" not in fragment  # htmx keeps the focus on the list just changed
    page = desk.post("/petugas/meja/baru", data=data).get_data(as_text=True)
    assert 'id="ktp_address-regency"' in page and 'value="Siti"' in page and "error-message" not in page
    assert re.search(r'id="ktp_address-regency"[^>]*autofocus|autofocus[^>]*id="ktp_address-regency"', page)


def test_dispute_path(app, desk, make_account):
    from portal.models import AuditEntry, NikDispute

    with app.app_context():
        online_holder(make_account, 4)
    start = desk.post("/petugas/meja/sengketa-nik", data={**form_post(4), "action": "start"})
    html = start.get_data(as_text=True)
    assert start.status_code == 200 and f'value="{nik(4)}"' in html and 'value="Siti Aminah"' in html
    assert "error-message" not in html and "Dewi" not in html
    refused = desk.post("/petugas/meja/sengketa-nik", data={"nik": nik(4), "claimant_name": "Siti Aminah",
                                                             "contact_phone": "081234500004", "note": ""})
    assert 'id="ktp_seen-error"' in refused.get_data(as_text=True)
    done = desk.post("/petugas/meja/sengketa-nik", data={"nik": nik(4), "claimant_name": "Siti Aminah",
                                                          "contact_phone": "081234500004", "note": "e-KTP asli",
                                                          "ktp_seen": "y"})
    assert done.status_code == 303
    receipt = desk.get(done.headers["Location"]).get_data(as_text=True)
    assert "Siti Aminah" in receipt and "3201 01•• •••• 0004" in receipt and "Dewi" not in receipt
    with app.app_context():
        assert NikDispute.select().count() == 1
        assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.recorded").count() == 1


DISPUTE_POST = {"claimant_name": "Siti Aminah", "contact_phone": "0812 3450 0004", "note": "datang lagi",
                "ktp_seen": "y"}


@pytest.mark.parametrize("htmx", [False, True])
def test_a_second_dispute_over_an_open_one_is_refused_next_to_the_nik(app, desk, officer, make_account, make_staff,
                                                                      staff_login, htmx):
    from portal.models import Account, AuditEntry, NikDispute
    from portal.services.intake import record_dispute

    with app.app_context():
        online_holder(make_account, 4)
        first = record_dispute(nik(4), "Siti Aminah", "081234500004", "", Account.get_by_id(officer.id))
    headers = {"HX-Request": "true"} if htmx else {}
    typed = {**DISPUTE_POST, "nik": "3201 0145 0695 0004"}
    refused = desk.post("/petugas/meja/sengketa-nik", data=typed, headers=headers)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and ("<html" in html) is not htmx
    error = re.search(r'id="nik-error">(.*?)</p>', html, re.S).group(1)
    assert "sudah tercatat dan masih terbuka: kantor ini mencatatnya pada" in error and "WIB" in error
    assert "PMO akan memutuskannya" in error and "Dewi" not in html and "online@" not in html
    assert 'value="3201 0145 0695 0004"' in html and 'value="Siti Aminah"' in html and "datang lagi" in html
    assert f'href="/petugas/meja/sengketa-nik/{first.id}"' in html  # this office's dispute, to print again
    # Another office reads which office recorded it, and gets no link to a receipt that is not theirs.
    make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273")
    elsewhere = app.test_client()
    assert staff_login(elsewhere, "lain@kantor.id").status_code == 303
    html = elsewhere.post("/petugas/meja/sengketa-nik", data=typed, headers=headers).get_data(as_text=True)
    error = re.search(r'id="nik-error">(.*?)</p>', html, re.S).group(1)
    assert "dicatat oleh Disnaker DISNAKER-3201 pada" in error and "kantor ini" not in error
    assert "/petugas/meja/sengketa-nik/" not in html.replace('action="/petugas/meja/sengketa-nik"', "")
    with app.app_context():
        assert [d.id for d in NikDispute.select()] == [first.id]
        assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.recorded").count() == 1


def test_the_entry_page_offers_no_second_dispute(app, desk, officer, make_account):
    from portal.models import Account
    from portal.services.intake import record_dispute

    with app.app_context():
        online_holder(make_account, 4)
    offered = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(4)}, headers={"HX-Request": "true"})
    assert 'value="start"' in offered.get_data(as_text=True)
    with app.app_context():
        record_dispute(nik(4), "Siti Aminah", "081234500004", "", Account.get_by_id(officer.id))
    for headers in ({"HX-Request": "true"}, {}):
        html = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(4)}, headers=headers).get_data(
            as_text=True)
        assert "kantor ini mencatatnya pada" in html and 'value="start"' not in html


def test_list_find_correct_withdraw(app, desk, officer):
    from portal.models import Application, AuditEntry

    record = make_walkin(app, officer, serial=1)
    listing = desk.get("/petugas/meja/").get_data(as_text=True)
    assert record.reference in listing
    found = desk.post("/petugas/meja/", data={"query": nik(1)})
    assert found.status_code == 303 and found.headers["Location"].endswith(record.reference)
    assert desk.post("/petugas/meja/", data={"query": record.reference.lower()}).status_code == 303
    assert desk.post("/petugas/meja/", data={"query": nik(2)}).status_code == 404
    edit = desk.get(f"/petugas/meja/data/{record.reference}/ubah").get_data(as_text=True)
    assert 'value="Siti Aminah"' in edit
    assert re.search(r'<option (selected value="32.01.01.1006"|value="32.01.01.1006" selected)', edit)
    corrected = desk.post(f"/petugas/meja/data/{record.reference}/ubah", data=form_post(1, full_name="Siti A. Putri"))
    assert corrected.status_code == 303
    with app.app_context():
        assert Application.get_by_id(record.id).full_name == "Siti A. Putri"
        entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
        assert (entry.action, entry.fields) == ("walkin.corrected", "full_name")
    refused = desk.post(f"/petugas/meja/data/{record.reference}/tarik", data={"note": "x"})
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    withdrawn = desk.post(f"/petugas/meja/data/{record.reference}/tarik", data={"reason": "entered_twice"})
    assert withdrawn.status_code == 303
    with app.app_context():
        assert Application.get_by_id(record.id).status == "withdrawn"
    assert desk.get(f"/petugas/meja/data/{record.reference}/ubah").status_code == 404
    assert desk.get(f"/petugas/meja/data/{record.reference}/tanda-terima").status_code == 404


def test_other_office_gets_404(app, client, make_staff, staff_login, officer):
    record = make_walkin(app, officer, serial=1)
    make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273")
    assert staff_login(client, "lain@kantor.id").status_code == 303
    for page in ("", "/ubah", "/tanda-terima", "/pernyataan", "/tarik", "/nomor-hp"):
        assert client.get(f"/petugas/meja/data/{record.reference}{page}").status_code == 404, page
    assert client.post("/petugas/meja/", data={"query": record.reference}).status_code == 404
    assert record.reference not in client.get("/petugas/meja/").get_data(as_text=True)


def test_statement_signed_later(app, desk, officer):
    from portal.models import Application

    record = make_walkin(app, officer, serial=1, statement_signed=False)
    page = desk.get(f"/petugas/meja/data/{record.reference}").get_data(as_text=True)
    assert "Pendaftar sudah menandatangani surat pernyataan" in page
    assert desk.post(f"/petugas/meja/data/{record.reference}/ditandatangani").status_code == 303
    with app.app_context():
        assert Application.get_by_id(record.id).statement_signed


def test_phone_confirmed_at_the_desk(app, desk, officer, sms):
    from portal.models import Application, AuditEntry

    record = make_walkin(app, officer, serial=1)
    assert desk.post(f"/petugas/meja/data/{record.reference}/nomor-hp", data={"action": "send"}).status_code == 303
    code = sms.last_code(record.phone)
    wrong = desk.post(f"/petugas/meja/data/{record.reference}/nomor-hp", data={"code": "000000" if code != "000000" else "111111"})
    assert 'id="code-error"' in wrong.get_data(as_text=True)
    right = desk.post(f"/petugas/meja/data/{record.reference}/nomor-hp", data={"code": code})
    assert right.status_code == 303
    with app.app_context():
        assert Application.get_by_id(record.id).verified_phone == record.phone
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.seq)]
        assert "walkin.phone_code_sent" in actions and "walkin.phone_verified" in actions


def test_seed_demo_puts_walkins_in_the_open_batch(app, runner):
    from portal.models import Application, Batch

    for _run in range(2):  # every `make run` seeds again: nothing doubles
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert "Walk-ins in the open batch at Dinas Tenaga Kerja Kabupaten Bogor: 3" in result.output
    with app.app_context():
        # PK-DEM0-...: the status check's and PMO's demo records (portal/tracking/demo.py), in a batch of their own.
        records = list(Application.select().where(Application.channel == "walkin", Application.status != "closed",
                                                  ~Application.reference.startswith("PK-DEM0")))
        assert len(records) == 3 and {r.status for r in records} == {"entered"}
        assert {Batch.get_by_id(r.batch_id).status for r in records} == {"open"}


def test_check_fragment_never_takes_the_focus(desk):
    """htmx focuses an autofocus element it swaps in; the officer is typing the next box by then."""
    fragment = desk.post("/petugas/meja/baru?fragment=nik", data={"nik": nik(5)}, headers={"HX-Request": "true"})
    assert "autofocus" not in fragment.get_data(as_text=True)
    assert "autofocus" in desk.get("/petugas/meja/baru").get_data(as_text=True)


def test_village_found_by_name_fills_the_right_address(desk, villages):
    """No JavaScript: "Search" under the KTP address lists villages; pressing one fills that address's lists."""
    typed = form_post(**{"ktp_address-province": None, "ktp_address-regency": None, "ktp_address-district": None,
                         "ktp_address-village": None, "ktp_address-postal_code": None})
    page = desk.post("/petugas/meja/baru", data={**typed, "ktp_desa_q": "cirimekar", "action": "village-ktp"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "error-message" not in html and 'value="Siti Aminah"' in html
    assert 'name="ktp_desa" value="32.01.01.1011"' in html
    chosen = desk.post("/petugas/meja/baru", data={**typed, "ktp_desa": "32.01.01.1011"})
    html = chosen.get_data(as_text=True)
    assert re.search(r'<option (selected value="32.01.01.1011"|value="32.01.01.1011" selected)', html)
    assert "error-message" not in html
    # With htmx a result button posts action=region-domicile and gets that address's lists back, the choice said.
    fragment = desk.post("/petugas/meja/baru", data={**typed, "dom_desa": "32.01.01.1010", "action": "region-domicile"},
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="domicile_address-village"' in fragment
    assert 'id="desa-domicile-results" data-hx-swap-oob' in fragment


def test_enter_in_a_box_saves_rather_than_searching(desk):
    """Enter in a text box presses the form's first button: an empty village search must not swallow it."""
    page = desk.get("/petugas/meja/baru").get_data(as_text=True)
    first_button = re.search(r"<button[^>]*>", page[page.index("<form method=\"post\" action=\"/petugas/meja/baru\""):]).group(0)
    assert "name=" not in first_button and 'tabindex="-1"' in first_button
    assert desk.post("/petugas/meja/baru", data=form_post()).status_code == 303


@pytest.mark.parametrize("lang, applicant_label, staff_label", [
    ("en", "Find your village by name", "Find the applicant's village by name"),
    ("id", "Cari kelurahan/desa Anda menurut nama", "Cari kelurahan/desa pendaftar menurut nama"),
])
def test_the_village_search_speaks_to_the_officer_about_the_applicant(app, client, make_account, login, officer,
                                                                      staff_login, lang, applicant_label, staff_label):
    client.set_cookie("lang", lang)
    make_account()
    login()
    page = client.get("/pendaftaran/data-diri/alamat-ktp").get_data(as_text=True)
    assert f'for="desa-q">{applicant_label}</label>' in page
    desk = app.test_client()
    desk.set_cookie("lang", lang)
    assert staff_login(desk, "officer@kantor.id").status_code == 303
    page = desk.get("/petugas/meja/baru").get_data(as_text=True)
    assert page.count(f"{staff_label}</label>") == 2  # the KTP and the domicile address
    assert applicant_label not in page
