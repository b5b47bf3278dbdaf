"""Closed batches for the ministry's tests: complete walk-ins of an office, closed with their manifest."""

from conftest import create_staff


def staff_email(role, office_code):
    """officer-disnaker-3201@kantor.id: the address of an office's officer or supervisor in these tests."""
    return f"{role}-{office_code.lower()}@kantor.id"


def office_staff(app, office_code="DISNAKER-3201"):
    """An officer and a supervisor of an office (made on first use)."""
    from portal.models import Account

    with app.app_context():
        found = Account.get_or_none(Account.email == staff_email("officer", office_code))
    if found is None:
        for role in ("officer", "supervisor"):
            create_staff(app, role, staff_email(role, office_code), office_code=office_code)
    with app.app_context():
        return tuple(Account.get(Account.email == staff_email(role, office_code)) for role in ("officer", "supervisor"))


def make_closed_batch(app, count=3, first=0, office_code="DISNAKER-3201", village=None):
    """A closed batch of `count` complete walk-ins numbered from `first` (unique across the test)."""
    from portal.ministry.demo import closed_batch

    officer, supervisor = office_staff(app, office_code)
    with app.app_context():
        return closed_batch(officer.office, officer, supervisor, count, first, village)


def review_world(app):
    """Made once per database: a closed batch of 60 (one record with a warning), a batch ratified under a
    decree with 10 waiting over the quota, a tampered batch, and records returned to DISNAKER-3201."""
    import datetime

    from portal.ministry.demo import add_walkins, close_batch
    from portal.models import Account, Application, Batch, Quota, Ratification
    from portal.services import ratification, review
    from portal.services.batches import open_batch

    officer, supervisor = office_staff(app, "DISNAKER-3374")
    with app.app_context():
        found = Batch.select().where(Batch.office == officer.office, Batch.number == 1).first()
        if found is None:
            batch = open_batch(officer.office)
            ids = add_walkins(batch, officer, 60, 1000)
            # The first record shares its KK number with the second: a warning the reviewer must look at.
            Application.update(kk_number=Application.select(Application.kk_number).where(Application.id == ids[1])
                               ).where(Application.id == ids[0]).execute()
            found = close_batch(batch, supervisor)
            tampered = make_closed_batch(app, 2, first=1100, office_code="DISNAKER-3374")
            Application.update(full_name="Diubah").where(Application.batch == tampered.id).execute()
            reviewer = Account.get_or_none(Account.email == "world-reviewer@kantor.id") or create_staff(
                app, "reviewer", "world-reviewer@kantor.id")
            review.verify_manifest(found, reviewer)  # received: its queue opens straight away
            ratified = make_closed_batch(app, 30, first=2000, village="32.01.01.1006")
            Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                         amount=20)
            review.verify_manifest(ratified, reviewer)
            review.bulk_accept(ratified, reviewer)
            for record in review.undecided(ratified):  # any with a warning (other pages' records share numbers)
                review.accept(record, reviewer)
            ratification.ratify(ratified, reviewer, "KEP.12/LATTAS/XI/2026", datetime.date(2026, 11, 20))
            returned = make_closed_batch(app, 5, first=3000)
            review.verify_manifest(returned, reviewer)
            for n, record in enumerate(review.undecided(returned).order_by(Application.reference)[:3]):
                review.return_to_office(record, reviewer, ["duplicate", "not_eligible.age", "other"][n],
                                        "Periksa lagi nomor KK pada formulir kertas")
        tampered = Batch.get((Batch.office == found.office) & (Batch.number == 2))
        ratified = Ratification.get()
        first = Application.select().where(Application.batch == found.id).order_by(Application.reference).first()
        returned = Application.select().where(Application.status == "returned").order_by(Application.id).first()
        quota = Quota.get()
        return {"batch": found.id, "record": first.id, "tampered": tampered.id, "ratified": ratified.batch_id,
                "decree": ratified.id, "returned": returned.id, "quota": quota.id}


def signed_in_with_world(role):
    """A `given` for the budget pages: the review world exists (its ids fill the path) and a staff member of
    `role` is signed in."""
    from conftest import sign_in_staff

    def given(client, email, make_account, sms):
        world = review_world(client.application)
        office = "DISNAKER-3201" if role in ("officer", "supervisor") else None
        create_staff(client.application, role, email, **({"office_code": office} if office else {}))
        assert sign_in_staff(client, email).status_code == 303, "staff sign-in failed"
        client.ids = world  # the path's {placeholders}

    return given
