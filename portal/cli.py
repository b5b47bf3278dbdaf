"""Command-line tasks: demo data (the schema command lives in portal.database)."""

from datetime import date

import click
from flask.cli import with_appcontext

from portal.models import Account, utcnow
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
    seed_demo_staff(DEMO_PASSWORD)
    echo_demo_staff(DEMO_PASSWORD)


def register_commands(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(staff_cli)
    app.cli.add_command(audit_cli)
    from portal.pmo.wave_cli import wave_cli

    app.cli.add_command(wave_cli)
