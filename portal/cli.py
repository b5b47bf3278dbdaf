"""Command-line tasks: demo data (the schema command lives in portal.database)."""

from datetime import date

import click
from flask.cli import with_appcontext

from portal.models import Account, Application, utcnow
from portal.services import applications
from portal.services.passwords import hash_password
from portal.staff.cli import audit_cli, echo_demo_staff, seed_demo_staff, staff_cli

DEMO_PASSWORD = "kopi-tubruk-pagi"
DEMO_ACCOUNTS = [
    # (email, full name, verified)
    ("budi@contoh.id", "Budi Santoso", True),
    ("sari@contoh.id", "Sari Wulandari", False),
    ("dewi@contoh.id", "Dewi Anggraini", True),
]
# Dewi has finished her KTP section, so the task list shows each state.
DEMO_KTP = {"nik": "3201014512900001", "birth_date": date(1990, 12, 5), "kk_number": "3201010101010001", "sex": "P"}


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo accounts and staff (again) and print how to log in with them."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        account = Account.by_email(email) or Account(email=email)
        account.full_name = name
        account.password_hash = password_hash
        account.email_verified_at = utcnow() if verified else None
        account.save()
    account = Account.by_email("dewi@contoh.id")
    dewi = applications.draft_for(account)
    if not dewi.is_submitted:
        applications.update(dewi, account, ktp_confirmed=True, **DEMO_KTP)
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        state = "email not verified yet" if not verified else "KTP section done" if email.startswith("dewi") else "verified"
        click.echo(f"  applicant  {email:<20} {name:<16} {state}")
    office = seed_demo_staff(DEMO_PASSWORD)
    echo_demo_staff(DEMO_PASSWORD)
    seed_demo_walkins(office)


# Three paper forms keyed at the demo office's desk: (NIK, birth date, name, birthplace, village, street, education,
# employment, training). Women born on day D have D + 40 in the NIK.
DEMO_WALKINS = [
    ("3201014708920001", date(1992, 8, 7), "Nur Aisyah", "Bogor", "32.01.01.1006", "Jl. Mayor Oking No. 12", "sma",
     "laid_off", "food"),
    ("3201011503880002", date(1988, 3, 15), "Joko Prasetyo", "Bogor", "32.01.01.1011", "Kp. Cirimekar RT 02",
     "smp", "informal", "automotive"),
    ("3201016201990003", date(1999, 1, 22), "Lestari Handayani", "Jakarta", "32.01.01.1010", "Gg. Kenanga 4",
     "diploma", "job_seeker", "digital"),
]


def seed_demo_walkins(office):
    """A few walk-ins in the demo office's open batch, keyed by the demo officer (skipped if already there)."""
    from portal.services.intake import create_walkin

    officer = Account.by_email("petugas@contoh.id")
    for n, (nik, born, name, place, village, street, education, employment, training) in enumerate(DEMO_WALKINS):
        if Application.get_or_none(Application.nik == nik):
            continue
        create_walkin({
            "nik": nik, "birth_date": born, "kk_number": f"320101010120{n:04d}", "full_name": name, "birth_place": place,
            "phone": f"+62813100200{n:02d}", "ktp_address": {"region_code": village, "street": street, "rt": "002",
                                                            "rw": "005"},
            "domicile_same": True, "education": education, "employment": employment, "not_in_education": True,
            "not_excluded": True, "aid": ["none"] if n else ["blt_village"], "training_field": training,
            "ktp_seen": True, "statement_signed": n != 2,
        }, officer, ip="127.0.0.1")
    count = Application.select().where(Application.office == office, Application.channel == "walkin").count()
    click.echo(f"Walk-ins at {office.name}: {count} (desk: /petugas/meja as petugas@contoh.id)")


def register_commands(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(staff_cli)
    app.cli.add_command(audit_cli)
