"""The language a person is written to in: the one they use the portal in, remembered on their account."""

from flask import current_app

from portal.models import Account


def known(code):
    """The language code if the portal speaks it, else the default (Indonesian)."""
    return code if code in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def of(account):
    """The language of notices to an account's owner; the default for a walk-in without an account."""
    return known(account.language if account is not None else None)


def remember(account, code):
    """Keep the language an applicant switched to, writing only when it changed."""
    if code in current_app.config["LANGUAGES"] and account.language != code:
        Account.update(language=code).where(Account.id == account.id).execute()
        account.language = code


def of_application(application, reader=None):
    """The language of notices about an application: its account owner's (`reader` spares the query when it is
    that account), the default for a walk-in record without an account."""
    if application.account_id is None:
        return of(None)
    if reader is None or reader.id != application.account_id:
        reader = Account.get_or_none(Account.id == application.account_id)
    return of(reader)
