"""The intake service: a walk-in saved, corrected, withdrawn and disputed in one place, checked by the shared rules."""

from datetime import date

import pytest

from conftest import at_once
from walkin_support import VILLAGE, make_walkin, nik, online_holder, walkin_data


@pytest.fixture
def officer(make_staff):
    return make_staff("officer")


@pytest.fixture
def desk(app, officer, english):
    """The officer as loaded inside an app context, ready for service calls."""
    from portal.models import Account

    return Account.get_by_id(officer.id)


def test_create_walkin_gives_reference_batch_and_stamp(desk):
    from portal.models import Address, AuditEntry, Batch
    from portal.services.intake import create_walkin

    record = create_walkin(walkin_data(), desk, ip="10.0.0.5")
    assert record.reference.startswith("PK-") and len(record.reference) == 12
    assert record.status == "entered" and record.channel == "walkin"
    assert record.entered_by_id == desk.id and record.office_id == desk.office_id
    batch = Batch.get_by_id(record.batch_id)
    assert batch.status == "open" and batch.office_id == desk.office_id
    assert record.sex == "P"  # derived from the NIK (day + 40)
    assert record.ktp_seen and record.statement_signed and record.ktp_confirmed
    assert record.phone == "+6281234500001" and record.verified_phone is None
    assert [a.region_code for a in Address.select().where(Address.application == record.id)] == [VILLAGE]
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.target_id, entry.ip) == ("walkin.created", str(record.id), "10.0.0.5")
    assert "nik" in entry.fields.split(",") and "ktp_address" in entry.fields.split(",")


def test_audit_holds_no_personal_value(desk):
    from portal.models import AuditEntry
    from portal.services.intake import create_walkin

    create_walkin(walkin_data(), desk)
    for entry in AuditEntry.select():
        text = " ".join(str(v) for v in entry.__data__.values())
        assert nik(1) not in text and "Siti" not in text and "81234500001" not in text


def test_second_walkin_joins_the_same_open_batch(desk):
    from portal.services.intake import create_walkin

    first = create_walkin(walkin_data(1), desk)
    second = create_walkin(walkin_data(2), desk)
    assert first.batch_id == second.batch_id and first.reference != second.reference


@pytest.mark.parametrize("field, value, message", [
    ("nik", "12345", "NIK must be 16 digits; you entered 5"),
    ("nik", "", "Enter the applicant's NIK"),
    ("birth_date", date(1995, 6, 6), "is not the date of birth entered"),
    ("birth_date", date(2020, 1, 1), "at least 18"),
    ("kk_number", "12", "KK number must be 16 digits"),
    ("full_name", "  ", "Enter the applicant's full name"),
    ("phone", "021 555 1234", "not a landline"),
    ("contact_email", "siti@", "correct format"),
    ("ktp_address", {"region_code": "32.01", "street": "Jl. A"}, "Select the district"),
    ("domicile_same", None, "lives at the address on the KTP"),
    ("education", "phd", "highest education"),
    ("not_excluded", False, "both declarations"),
    ("aid", ["none", "pkh"], "None only"),
    ("training_field", "", "training"),
    ("ktp_seen", False, "original e-KTP"),
])
def test_bad_answer_is_refused_with_its_field(desk, field, value, message):
    from portal.domain import DomainError
    from portal.models import Application
    from portal.services.intake import create_walkin

    with pytest.raises(DomainError) as refused:
        create_walkin(walkin_data(**{field: value}), desk)
    expected_field = "nik" if "not the date" in message else field
    assert refused.value.field == expected_field
    assert message in str(refused.value.message)
    assert Application.select().count() == 0  # never a half-written record


def test_domicile_elsewhere_needs_its_address(desk):
    from portal.domain import DomainError
    from portal.services.intake import create_walkin

    with pytest.raises(DomainError) as refused:
        create_walkin(walkin_data(domicile_same=False), desk)
    assert refused.value.field == "domicile_address"
    record = create_walkin(walkin_data(domicile_same=False, domicile_address={
        "region_code": "32.01.01.1011", "street": "Gg. Melati 2"}), desk)
    assert record.address("domicile").street == "Gg. Melati 2"


def test_duplicate_nik_says_where_but_not_whose(app, desk, make_account):
    from portal.domain import DomainError
    from portal.services.intake import create_walkin, findings

    create_walkin(walkin_data(1), desk)
    with pytest.raises(DomainError) as refused:
        create_walkin(walkin_data(1, full_name="Orang Lain"), desk)
    assert refused.value.field == "nik"
    assert "walk-in at this office" in str(refused.value.message)

    online_holder(make_account, 7)
    with pytest.raises(DomainError) as refused:
        create_walkin(walkin_data(7), desk)
    message = str(refused.value.message)
    assert "registered online (not sent yet)" in message and "Dewi" not in message
    kinds = [kind for kind, _ in findings(desk.office, nik=nik(7))["nik"]]
    assert kinds == ["taken", "dispute"]


def test_walkin_at_another_office(app, make_staff, desk):
    from portal.models import Account
    from portal.services.intake import create_walkin, findings

    other = make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273")
    create_walkin(walkin_data(3), Account.get_by_id(other.id))
    [(kind, message)] = findings(desk.office, nik=nik(3))["nik"]
    assert kind == "taken" and "walk-in at another office" in str(message) and "PK-" not in str(message)


def test_kk_and_phone_warnings(app, desk):
    from portal.models import Application
    from portal.services.intake import create_walkin, findings

    first = create_walkin(walkin_data(1), desk)
    assert findings(desk.office, kk_number="3201010101230001") == {}
    create_walkin(walkin_data(2), desk)
    [(kind, message)] = findings(desk.office, kk_number="3201-0101-0123-0001")["kk_number"]
    assert kind == "warning" and "already has 2 applications" in str(message)
    Application.update(verified_phone=first.phone).where(Application.id == first.id).execute()
    [(kind, message)] = findings(desk.office, phone="0812 3450 0001")["phone"]
    assert "already confirmed" in str(message)
    assert "phone" not in findings(desk.office, phone="0812 3450 0001", exclude_id=first.id)


def test_update_writes_and_audits_only_changed_fields(desk):
    from portal.models import AuditEntry
    from portal.services.intake import create_walkin, update_walkin

    record = create_walkin(walkin_data(), desk)
    changed = update_walkin(record, walkin_data(full_name="Siti Aminah Putri", ktp_address={
        "region_code": VILLAGE, "street": "Jl. Baru 1"}), desk, ip="10.0.0.6")
    assert sorted(changed) == ["full_name", "ktp_address"]
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "walkin.corrected" and entry.fields == "full_name,ktp_address"
    assert update_walkin(record, walkin_data(full_name="Siti Aminah Putri", ktp_address={
        "region_code": VILLAGE, "street": "Jl. Baru 1"}), desk) == []


def test_no_correction_once_the_batch_is_closed(desk):
    from portal.domain import DomainError
    from portal.models import Application, Batch
    from portal.services.intake import create_walkin, update_walkin

    record = create_walkin(walkin_data(), desk)
    Batch.update(status="closed", open_slot=None).execute()
    Application.update(status="closed").execute()
    record = Application.get_by_id(record.id)
    with pytest.raises(DomainError):
        update_walkin(record, walkin_data(full_name="Lain"), desk)


def test_other_office_cannot_correct_or_withdraw(app, make_staff, desk):
    from portal.domain import DomainError
    from portal.models import Account
    from portal.services.intake import create_walkin, update_walkin, withdraw_walkin

    record = create_walkin(walkin_data(), desk)
    other = Account.get_by_id(make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273").id)
    with pytest.raises(DomainError):
        update_walkin(record, walkin_data(full_name="Lain"), other)
    with pytest.raises(DomainError):
        withdraw_walkin(record, other, "applicant_asked")


def test_withdraw_with_reason(desk):
    from portal.domain import DomainError
    from portal.models import Application, AuditEntry
    from portal.services.intake import create_walkin, withdraw_walkin

    record = create_walkin(walkin_data(), desk)
    with pytest.raises(DomainError):
        withdraw_walkin(record, desk, "bored")
    withdraw_walkin(record, desk, "entered_twice", note="  ")
    stored = Application.get_by_id(record.id)
    assert (stored.status, stored.status_reason, stored.status_note) == ("withdrawn", "entered_twice", None)
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).first().action == "application.withdrawn"


def test_dispute_only_against_an_online_holder(app, desk, make_account):
    from portal.domain import DomainError
    from portal.models import AuditEntry, NikDispute
    from portal.services.intake import create_walkin, findings, record_dispute

    with pytest.raises(DomainError) as refused:
        record_dispute(nik(5), "Siti", "081234567890", "", desk)
    assert refused.value.field == "nik"
    online_holder(make_account)
    with pytest.raises(DomainError) as refused:
        record_dispute(nik(5), "Siti", "0215551234", "", desk)
    assert refused.value.field == "contact_phone"
    dispute = record_dispute(nik(5), "Siti Aminah", "0812-3456-7890", "Membawa e-KTP asli", desk, ip="10.0.0.7")
    assert (dispute.contact_phone, dispute.office_id, dispute.recorded_by_id) == ("+6281234567890",
                                                                                   desk.office_id, desk.id)
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.target_type) == ("nik_dispute.recorded", "nik_dispute")
    assert NikDispute.select().count() == 1
    assert "A NIK dispute is already open" in str(findings(desk.office, nik=nik(5))["nik"][-1][1])
    create_walkin  # noqa: B018 (imported to keep the service's surface in one place)


def test_a_nik_has_at_most_one_open_dispute(app, desk, make_account, make_staff):
    from portal.domain import DomainError
    from portal.models import Account, Application, AuditEntry, NikDispute
    from portal.services import audit, disputes
    from portal.services.intake import findings, record_dispute

    online = online_holder(make_account)
    first = record_dispute(nik(5), "Siti Aminah", "081234567890", "e-KTP asli", desk)
    with pytest.raises(DomainError) as refused:
        record_dispute(nik(5).replace("0", "0 ", 1), "Siti Aminah", "081234567891", "datang lagi", desk)
    message = str(refused.value.message)
    assert refused.value.field == "nik"
    assert "already open for this NIK: this office recorded it on" in message and " WIB" in message
    assert "The PMO will decide it" in message and "Dewi" not in message and "online@" not in message
    other = Account.get_by_id(make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273").id)
    with pytest.raises(DomainError) as refused:
        record_dispute(nik(5), "Siti Aminah", "081234567892", "", other)
    message = str(refused.value.message)
    assert refused.value.field == "nik" and "Disnaker DISNAKER-3201 recorded it on" in message
    assert "this office" not in message and "Dewi" not in message
    assert [d.id for d in NikDispute.select()] == [first.id]
    assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.recorded").count() == 1
    # The entry page says the same, and offers no second dispute to record.
    notes = findings(desk.office, nik=nik(5))["nik"]
    assert [kind for kind, _ in notes] == ["taken", "warning"] and "this office recorded it" in str(notes[1][1])
    # Decided, the NIK may be disputed again: here its draft's owner typed it once more after the release.
    pmo = Account.get_by_id(make_staff("pmo").id)
    disputes.resolve(first, pmo, disputes.RELEASE, "KTP asli dilihat")
    Application.update(nik=nik(5)).where(Application.id == online.id).execute()
    second = record_dispute(nik(5), "Siti Aminah", "081234567890", "", other)
    assert [(d.id, d.status) for d in NikDispute.select().order_by(NikDispute.id)] == [(first.id, "resolved"),
                                                                                    (second.id, "open")]
    assert [kind for kind, _ in findings(desk.office, nik=nik(5))["nik"]] == ["taken", "warning"]
    assert audit.verify().ok


def test_a_dispute_recorded_a_moment_ago_elsewhere_refuses_with_the_same_message(app, desk, make_account,
                                                                                 make_staff, monkeypatch):
    """The check before the insert saw nothing (another desk's row was not yet committed): the database's
    index refuses the second open dispute, and the officer reads the same message, nothing written."""
    from portal.domain import DomainError
    from portal.models import Account, AuditEntry, NikDispute
    from portal.services import intake

    online_holder(make_account)
    other = Account.get_by_id(make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273").id)
    first = intake.record_dispute(nik(5), "Siti Aminah", "081234567890", "", other)
    looked, real = [], intake.open_dispute
    monkeypatch.setattr(intake, "open_dispute", lambda digits: real(digits) if looked.append(digits) or
                        len(looked) > 1 else None)
    with pytest.raises(DomainError) as refused:
        intake.record_dispute(nik(5), "Siti Aminah", "081234567890", "", desk)
    assert refused.value.field == "nik" and len(looked) == 2
    assert "Disnaker DISNAKER-3273 recorded it on" in str(refused.value.message)
    assert [d.id for d in NikDispute.select()] == [first.id]
    assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.recorded").count() == 1


def test_desks_recording_one_nik_at_once_open_one_dispute(app, make_account, make_staff):
    """Four officers at two offices record the same claim at the same moment, on the real database."""
    from portal.domain import DomainError
    from portal.models import Account, AuditEntry, NikDispute, db
    from portal.services import audit, intake

    with app.test_request_context(headers={"Accept-Language": "en"}):
        online_holder(make_account)
    officers = [make_staff("officer", email=f"petugas{n}@kantor.id", office_code=f"DISNAKER-32{n % 2}1").id
                for n in range(4)]
    outcomes = []

    def record(officer_id):
        with app.test_request_context(headers={"Accept-Language": "en"}):
            try:
                intake.record_dispute(nik(5), "Siti Aminah", "081234567890", "", Account.get_by_id(officer_id))
                outcomes.append("recorded")
            except DomainError as error:
                outcomes.append((error.field, "already open" in str(error.message)))
            finally:
                db.close()

    at_once(record, officers)
    assert sorted(outcomes, key=str) == [("nik", True)] * 3 + ["recorded"]
    with app.app_context():
        assert NikDispute.select().where(NikDispute.status == "open").count() == 1
        assert NikDispute.select().count() == 1
        assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.recorded").count() == 1
        assert audit.verify().ok


def test_find_own_office_only(app, make_staff, desk):
    from portal.models import Account
    from portal.services.intake import create_walkin, entered_today, find

    record = create_walkin(walkin_data(), desk)
    assert find(desk.office, record.reference.lower().replace("-", "")).id == record.id
    assert find(desk.office, "3201 0145 0695 0001").id == record.id
    assert find(desk.office, "nonsense") is None
    other = Account.get_by_id(make_staff("officer", email="lain@kantor.id", office_code="DISNAKER-3273").id)
    assert find(other.office, record.reference) is None
    assert [r.id for r in entered_today(desk.office)] == [record.id]
    assert list(entered_today(other.office)) == []


def test_applicant_cannot_create_walkin(app, make_account, english):
    from portal.domain import DomainError
    from portal.models import Account
    from portal.services.intake import create_walkin

    make_account(email="x@contoh.id")
    with pytest.raises(DomainError):
        create_walkin(walkin_data(), Account.by_email("x@contoh.id"))


def test_make_walkin_helper(app, officer):
    record = make_walkin(app, officer, serial=9, full_name="Budi Santoso")
    assert record.full_name == "Budi Santoso" and record.nik == nik(9)


def test_one_rule_message_two_voices(app):
    from portal.rules.nik import check_nik
    from portal.rules.voice import for_staff, speak_to_staff

    with app.test_request_context(headers={"Accept-Language": "id"}):
        message = check_nik("").errors[0]
        assert str(message) == "Masukkan NIK Anda"
        assert str(for_staff(message)) == "Masukkan NIK pendaftar"
        speak_to_staff()
        assert str(message) == "Masukkan NIK pendaftar"
