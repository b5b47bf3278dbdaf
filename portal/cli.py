"""Command-line tasks: demo data (the schema command lives in portal.database)."""

import click
from flask.cli import with_appcontext

from portal.models import Account, utcnow
from portal.services.passwords import hash_password

DEMO_PASSWORD = "kopi-tubruk-pagi"
DEMO_ACCOUNTS = [
    # (email, full name, verified)
    ("budi@contoh.id", "Budi Santoso", True),
    ("sari@contoh.id", "Sari Wulandari", False),
]


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo accounts (again) and print how to log in with them."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        account = Account.by_email(email) or Account(email=email)
        account.full_name = name
        account.password_hash = password_hash
        account.email_verified_at = utcnow() if verified else None
        account.save()
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        click.echo(f"  applicant  {email:<20} {name:<16} {'verified' if verified else 'email not verified yet'}")


def register_commands(app):
    app.cli.add_command(seed_demo_command)
