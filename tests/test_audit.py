"""The audit log: a hash chain that `flask audit verify` proves, safe with writers racing on both databases."""

import threading

import pytest
from flask import render_template_string

from portal.models import Account, AuditEntry, db, utcnow
from portal.services import audit


def record_some(app, account_id, count=3):
    with app.app_context():
        account = Account.get_by_id(account_id)
        for _ in range(count):
            with db.atomic():
                audit.record(account, "staff.signed_in", account, ip="10.1.2.3")


def test_each_entry_carries_the_hash_of_the_one_before(app, runner, make_staff):
    account = make_staff()
    record_some(app, account.id)
    with app.app_context():
        entries = list(AuditEntry.select().order_by(AuditEntry.seq))
        assert [e.seq for e in entries] == [1, 2, 3]
        assert entries[0].prev_hash == "0" * 64
        assert all(later.prev_hash == earlier.hash for earlier, later in zip(entries, entries[1:]))
        assert entries[0].actor_role == "officer" and entries[0].office_id == account.office_id
        assert entries[0].target_type == "account" and entries[0].target_id == str(account.id)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 entries" in result.output


@pytest.mark.parametrize("tamper, broken_at, reason", [
    ("UPDATE audit_entry SET fields = 'nik' WHERE seq = 2", 2, "do not match"),
    ("UPDATE audit_entry SET actor_id = actor_id + 1 WHERE seq = 3", 3, "do not match"),
    ("DELETE FROM audit_entry WHERE seq = 2", 3, "entry 2 is missing"),
    ("UPDATE audit_entry SET ip = '', hash = '{hash}' WHERE seq = 2", 3, "does not point"),
])
def test_verify_finds_an_entry_edited_or_removed_in_sql(app, runner, make_staff, tamper, broken_at, reason):
    account = make_staff()
    record_some(app, account.id, count=4)
    with app.app_context():
        # The last case is a careful forger: entry 2 edited and its own hash recomputed to fit.
        forged = AuditEntry.get(AuditEntry.seq == 2)
        forged.ip = ""
        db.execute_sql(tamper.format(hash=audit.entry_hash(forged)))
        verdict = audit.verify()
    assert not verdict.ok and verdict.broken_at == broken_at and reason in verdict.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and f"BROKEN at entry {broken_at}" in result.output


def test_an_entry_is_kept_or_lost_with_the_change_it_records(app, make_staff):
    account = make_staff()
    with app.app_context():
        with db.atomic() as transaction:
            Account.update(full_name="Diubah").where(Account.id == account.id).execute()
            audit.record(Account.get_by_id(account.id), "staff.password_set", account, fields=("full_name",))
            transaction.rollback()
        assert AuditEntry.select().count() == 0 and Account.get_by_id(account.id).full_name == "Rina Petugas"


def test_entries_hold_field_names_never_values(app, make_staff):
    account = make_staff()
    with app.app_context():
        for fields in (["3201014512900001"], ["nik=3201014512900001"], ["Ani Lestari"], ["+6281234567890"]):
            with pytest.raises(ValueError):
                audit.record(account, "application.updated", account, fields=fields)
        with pytest.raises(ValueError):
            audit.record(account, "NIK 3201014512900001", account)
        assert AuditEntry.select().count() == 0


def test_entries_cannot_be_changed_through_the_model(app, make_staff):
    account = make_staff()
    record_some(app, account.id, count=1)
    with app.app_context():
        entry = AuditEntry.get()
        entry.fields = "nik"
        with pytest.raises(TypeError):
            entry.save()
        with pytest.raises(TypeError):
            entry.delete_instance()


def test_a_staff_life_leaves_no_personal_value_in_the_log(app, client, runner, mailbox):
    from test_staff import create_by_cli, set_up

    create_by_cli(runner)
    set_up(client, mailbox)
    runner.invoke(args=["staff", "deactivate", "baru@kantor.id"])
    with app.app_context():
        rows = db.execute_sql("SELECT * FROM audit_entry").fetchall()
    text = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == 4
    for personal in ("baru@kantor.id", "Budi Baru", "Bogor"):
        assert personal not in text


def test_concurrent_writers_never_fork_the_chain(app, make_staff):
    """Eight writers, each recording in its own transaction alongside a change, all at once."""
    ids = [make_staff("pmo", email=f"pmo{n}@kantor.id").id for n in range(8)]
    start = threading.Barrier(len(ids))
    errors = []

    def writer(account_id):
        try:
            with app.app_context():
                db.connect(reuse_if_open=True)
                start.wait()
                for _ in range(10):
                    with db.atomic():
                        Account.update(last_login_at=utcnow()).where(Account.id == account_id).execute()
                        audit.record(Account.get_by_id(account_id), "staff.signed_in", ("account", account_id))
                db.close()
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(account_id,)) for account_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        verdict = audit.verify()
        assert verdict.ok and verdict.count == 80
        assert [e.seq for e in AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq)] == list(range(1, 81))


def test_the_log_of_one_record_and_its_partial(app, make_staff):
    officer = make_staff()
    admin = make_staff("admin", name="Sinta Admin")
    with app.app_context():
        audit.record(None, "staff.created", officer, fields=("email", "role"))
        audit.record(Account.get_by_id(admin.id), "staff.deactivated", officer, fields=("deactivated_at",))
        audit.record(Account.get_by_id(admin.id), "staff.signed_in", admin)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        entries = audit.for_record(officer)
        assert [e.action for e in entries] == ["staff.created", "staff.deactivated"]
        html = render_template_string('{% import "macros/audit.html" as audit %}{{ audit.log(entries) }}',
                                      entries=entries)
    assert "Staff account created" in html and "Staff account deactivated" in html
    assert "Sinta Admin (admin)" in html and "System (cli)" in html and "email, role" in html
