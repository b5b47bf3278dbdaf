"""Helpers for wave tests: submitted applications made directly in the database, and waves around now."""

from datetime import date, timedelta

from portal.models import Account, Address, Application, utcnow
from portal.services import waves

_counter = [0]


def make_application(province="32", kk=None, status="submitted", channel="online", aid="none", account=None,
                     birth_date=date(1995, 5, 17), **fields):
    """A sent application with a KTP address in `province`; unique NIK, reference and KK unless given."""
    _counter[0] += 1
    n = _counter[0]
    values = dict(channel=channel, status=status, reference=f"PK-T{n:03d}-TEST"[:12], nik=f"{province}0101170595{n:04d}",
                  birth_date=birth_date, kk_number=kk or f"{province}0101{n:010d}", full_name=f"Peserta {n}",
                  not_in_education=True, not_excluded=True, aid=aid, submitted_at=utcnow())
    values.update(fields)
    application = Application.create(account=account, **values)
    Address.create(application=application, kind="ktp", region_code=f"{province}.01.01.2001", street="Jl. Mawar 1")
    return application


def make_account_for(email):
    return Account.create(email=email, full_name="Ani Lestari", password_hash="x", email_verified_at=utcnow())


def time_boxes(name, typed):
    """A date-and-time field's boxes as posted: time_boxes("opens_at", "5 1 2031 08:00")."""
    return dict(zip((f"{name}-{part}" for part in ("day", "month", "year", "time")), typed.split(" ")))


def wave_form(number, opens="5 1 2031 08:00", closes="12 1 2031 23:59", quota="100", **more):
    """The PMO's new-wave form as posted, times typed in WIB."""
    return {"number": str(number), **time_boxes("opens_at", opens), **time_boxes("closes_at", closes),
            "quota": quota, **more}


def open_wave(actor=None, number=1, quota=10, province_quotas=None, opened=timedelta(hours=1),
              closes=timedelta(hours=1)):
    """A wave open now: opened `opened` ago, closing in `closes`."""
    now = utcnow()
    return waves.create(actor, number, now - opened, now + closes, quota, province_quotas)


def past_wave(number=1, quota=10, province_quotas=None, entries=(), actor=None):
    """A wave that opened and closed before now (wave n closed 10 - n days ago), with these applications in it."""
    now = utcnow()
    opens = now - timedelta(days=21 - 2 * number)
    wave = waves.create(actor, number, opens, opens + timedelta(days=1), quota, province_quotas)
    for application in entries:
        waves.enter(wave, application, now=opens + timedelta(hours=1))
    return wave
