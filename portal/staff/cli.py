"""`flask staff ...` (offices and staff accounts), `flask audit verify`, and the demo staff for `make run`."""

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from portal.domain import DomainError
from portal.email import send_email
from portal.links import external_url
from portal.models import OFFICE_KINDS, Account, Office, SecondFactor, db, utcnow
from portal.roles import STAFF_ROLES
from portal.sealing import seal
from portal.services import audit, staff
from portal.services.passwords import hash_password

staff_cli = AppGroup("staff", help="Offices and staff accounts.")
audit_cli = AppGroup("audit", help="The audit log.")

# DEMO ONLY: a published secret, so anyone can sign in as the demo staff. Never on a real server.
DEMO_TOTP_SECRET = "DEMOPRAKERJAJANGANDIPAKAI2345677"
DEMO_OFFICE = ("DISNAKER-3201", "Dinas Tenaga Kerja Kabupaten Bogor", "regency", "32.01")
DEMO_STAFF = [
    # (email, full name, role, belongs to the demo office)
    ("petugas@contoh.id", "Rina Petugas", "officer", True),
    ("penyelia@contoh.id", "Agus Penyelia", "supervisor", True),
    ("verifikator@contoh.id", "Maya Verifikator", "reviewer", False),
    ("pmo@contoh.id", "Dodi PMO", "pmo", False),
    ("admin@contoh.id", "Sinta Admin", "admin", False),
]


def fail(error):
    """Stop with a rule's message, in English like the rest of the command line."""
    with force_locale("en"):
        raise click.ClickException(str(error.message))


def by_email(email):
    account = Account.by_email(email)
    if account is None or account.role not in STAFF_ROLES:
        raise click.ClickException(f"no staff account with the address {email}")
    return account


def send_setup_link(account):
    """Email the set-password link and return it (printed too, for an administrator without mail)."""
    link = external_url("staff.set_password_link", token=staff.setup_token(account))
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):  # the email's language
        send_email("staff_invite", account.email, account=account, name=account.full_name, link=link,
                   entrance=external_url("staff.login"))
    return link


@staff_cli.command("add-office")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice(OFFICE_KINDS), required=True, help="kemnaker, province or regency")
@click.option("--region", default="", help="Kemendagri code it serves: 32 (province) or 32.01 (regency)")
def add_office(code, name, kind, region):
    """Create an office, e.g. add-office DISNAKER-3201 "Dinas Tenaga Kerja Kabupaten Bogor" --kind regency --region 32.01"""
    try:
        office = staff.create_office(code, name, kind, region)
    except DomainError as error:
        fail(error)
    click.echo(f"Office {office.code} created: {office.name}")


@staff_cli.command("add")
@click.argument("email")
@click.argument("name")
@click.option("--role", type=click.Choice(sorted(STAFF_ROLES)), required=True)
@click.option("--office", "office_code", default=None, help="office code (officers and supervisors only)")
def add_staff(email, name, role, office_code):
    """Create a staff account and send its owner a link to set a password (printed here as well)."""
    office = None
    if office_code:
        office = Office.get_or_none(Office.code == office_code.strip().upper())
        if office is None:
            raise click.ClickException(f"no office with the code {office_code}")
    try:
        account = staff.create_staff(email, name, role, office)
    except DomainError as error:
        fail(error)
    link = send_setup_link(account)
    click.echo(f"Staff account created for {account.email} ({role}). Set-password link, valid 72 hours:\n{link}")


@staff_cli.command("send-link")
@click.argument("email")
def send_link(email):
    """A forgotten password or a lost authenticator: reset both and send a new set-password link."""
    account = staff.reset_access(by_email(email))
    click.echo(f"Password and authenticator reset. New link for {account.email}:\n{send_setup_link(account)}")


@staff_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Stop a staff account at once (it is kept, for the audit log)."""
    account = staff.deactivate(by_email(email))
    click.echo(f"{account.email} is deactivated and signed out everywhere.")


@staff_cli.command("list")
def list_staff():
    """Offices, then staff accounts with their role, office and state."""
    click.echo("Offices:")
    for office in Office.select().order_by(Office.code):
        click.echo(f"  {office.code:<16} {office.kind:<9} {office.region_code or '-':<6} {office.name}")
    enrolled = {f.account_id for f in SecondFactor.select().where(SecondFactor.enrolled_at.is_null(False))}
    click.echo("Staff:")
    for account in staff.staff_list():
        office = account.office.code if account.office_id else "-"
        state = "deactivated" if not account.is_active else "ready" if account.id in enrolled else "not set up"
        click.echo(f"  {account.email:<28} {account.role:<10} {office:<16} {state}")


@staff_cli.command("demo-code")
def demo_code():
    """The current sign-in code of the demo staff accounts (demo secret only)."""
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


@audit_cli.command("verify")
def verify():
    """Prove the audit chain unbroken, or say where it breaks."""
    verdict = audit.verify()
    if not verdict.ok:
        raise click.ClickException(
            f"audit chain BROKEN at entry {verdict.broken_at}: {verdict.reason} ({verdict.count} entries before it are intact)"
        )
    click.echo(f"Audit chain intact: {verdict.count} entries, last hash {verdict.head}")


def seed_demo_staff(password):
    """The demo office and one staff member per role, all on the published demo authenticator secret."""
    code, name, kind, region = DEMO_OFFICE
    office = Office.get_or_none(Office.code == code) or staff.create_office(code, name, kind, region)
    with db.atomic():
        for email, full_name, role, in_office in DEMO_STAFF:
            account = Account.by_email(email) or staff.create_staff(email, full_name, role, office if in_office else None)
            account.password_hash = hash_password(password)
            account.email_verified_at = account.email_verified_at or utcnow()
            account.deactivated_at = None
            account.save()
            SecondFactor.delete().where(SecondFactor.account == account).execute()
            SecondFactor.create(account=account, secret_sealed=seal("totp", DEMO_TOTP_SECRET), enrolled_at=utcnow())
    return office


def echo_demo_staff(password):
    banner = "!" * 78
    click.echo(f"\n{banner}\n!! DEMO ONLY: these staff accounts share a PUBLISHED authenticator secret.\n"
               f"!! Anyone can sign in as them. Never run seed-demo on a real server.\n{banner}")
    click.echo(f"Staff sign in at /petugas (password for all: {password}; authenticator key {DEMO_TOTP_SECRET}).")
    click.echo("The current 6-digit code: flask --app wsgi staff demo-code")
    for email, full_name, role, in_office in DEMO_STAFF:
        where = DEMO_OFFICE[1] if in_office else "ministry-wide"
        click.echo(f"  {role:<10} {email:<22} {full_name:<17} {where}")
