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
