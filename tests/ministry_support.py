"""Closed batches for the ministry's tests: complete walk-ins of an office, closed with their manifest."""

from conftest import create_staff


def office_staff(app, office_code="DISNAKER-3201"):
    """An officer and a supervisor of an office (made on first use)."""
    from portal.models import Account

    with app.app_context():
        officer = Account.get_or_none(Account.email == f"officer-{office_code}@kantor.id")
    if officer is None:
        officer = create_staff(app, "officer", f"officer-{office_code}@kantor.id", office_code=office_code)
        create_staff(app, "supervisor", f"supervisor-{office_code}@kantor.id", office_code=office_code)
    with app.app_context():
        from portal.models import Account

        officer = Account.get(Account.email == f"officer-{office_code}@kantor.id")
        supervisor = Account.get(Account.email == f"supervisor-{office_code}@kantor.id")
        return officer, supervisor


def make_closed_batch(app, count=3, first=0, office_code="DISNAKER-3201", village=None):
    """A closed batch of `count` complete walk-ins numbered from `first` (unique across the test)."""
    from portal.ministry.demo import closed_batch

    officer, supervisor = office_staff(app, office_code)
    with app.app_context():
        return closed_batch(officer.office, officer, supervisor, count, first, village)
