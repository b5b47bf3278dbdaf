"""Who may apply (Permenko 11/2020 art. 2): an Indonesian citizen with a KTP, at least 18, not in formal education."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date

from portal.i18n import lazy_gettext as _l
from portal.rules.voice import voiced

MIN_AGE = 18
OLDEST_BIRTH_YEAR = 1900
ZONE = ZoneInfo("Asia/Jakarta")


def today():
    """The date in Indonesia's western zone, where the programme's deadlines are set."""
    return datetime.now(ZONE).date()


def birthday(born, years):
    """The date someone turns `years` old; 29 February birthdays fall on 1 March in other years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_problem(born, on=None):
    """Why this birth date cannot apply today, or None."""
    on = on or today()
    if born > on:
        return _l("Date of birth must be in the past")
    if born.year < OLDEST_BIRTH_YEAR:
        return _l("Date of birth must be after %(year)d", year=OLDEST_BIRTH_YEAR)
    adult_on = birthday(born, MIN_AGE)
    if adult_on > on:
        day = format_date(adult_on, "d MMMM yyyy")
        return voiced(
            _l("You must be at least %(age)d years old to join Prakerja. You can register from %(day)s", age=MIN_AGE, day=day),
            _l("The applicant must be at least %(age)d years old to join Prakerja. They can register from %(day)s",
               age=MIN_AGE, day=day),
        )
    return None
