"""Account pages shared by every audience: register, verify email, log in and out, reset password."""

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from portal import throttle
from portal.auth.forms import ConfirmForm, EmailForm, LoginForm, NewPasswordForm, RegisterForm
from portal.auth.mailing import RESET_KINDS, SIGNUP_KINDS, allowance, mail_quota, resend_wait, send_signup_email
from portal.domain import DomainError
from portal.email import send_email
from portal.extensions import csrf, limiter
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.links import external_url
from portal.models import Account, db
from portal.navigation import local_path
from portal.pagecache import shared, shared_page
from portal.rendering import render_page
from portal.roles import home_endpoint
from portal.security import CLEAR_SITE_DATA
from portal.services import accounts
from portal.sessions import end_session, start_session
from portal.waits import email_wait

bp = Blueprint("auth", __name__)

def form_limit():
    return current_app.config["FORM_LIMIT_IP"]


def login_limits(email):
    """Login attempts per address and per account; the applicant and staff entrances share the counts."""
    config = current_app.config
    return [(config["LOGIN_LIMIT_IP"], "login-ip", request.remote_addr or ""),
            (config["LOGIN_LIMIT_ACCOUNT"], "login-account", email.strip().lower())]


def take_login_attempt(email):
    """Count a login attempt before the password is checked (429 when none is left); give the limits returned
    back with throttle.give_back_all once it succeeds, so that only failures count."""
    limits = login_limits(email)
    wait = throttle.take_all(limits)
    if wait:
        raise TooManyRequests(retry_after=wait)
    return limits


def pending():
    """The registration this browser is waiting on: {"email": ..., "id": account id or None}."""
    return session.get("pending")


def pending_account():
    """The unverified account this browser created, if it created one."""
    account_id = (pending() or {}).get("id")
    return Account.get_or_none(Account.id == account_id) if account_id else None


@bp.route("/daftar", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def register():
    """Create an account; an address that already has one gets an email, and the screen looks the same."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    if shared():
        return shared_page("auth/register.html", RegisterForm)
    form = RegisterForm()
    if form.validate_on_submit():
        wait = throttle.wait_all(mail_quota())
        if wait:
            form.email.errors.append(email_wait("registration", wait))
            return render_page("auth/register.html", form=form)
        email = form.email.data.lower()
        previous = pending() or {}
        with db.atomic():  # the account and its email are committed together
            account = accounts.register(form.full_name.data, email, form.password.data, str(get_locale()))
            if account is None and previous.get("email") == email:
                account_id = previous.get("id")  # a double tap: nothing is sent twice
            else:
                account_id = account.id if account else None
                wait = send_signup_email(email, account_id)
        session["pending"] = {"email": email, "id": account_id}
        if wait:  # another tab used the last one meanwhile
            flash(email_wait("registration", wait), "error")
        return see_other(url_for(".check_email"))
    return render_page("auth/register.html", form=form)


@bp.route("/daftar/cek-email")
def check_email():
    """The waiting page: which address we wrote to, tips, resend and change-address."""
    if not pending():
        return see_other(url_for(".register"))
    wait, reason = resend_wait(pending())
    return render_page(
        "auth/check_email.html", form=ConfirmForm(), email=pending()["email"],
        wait=email_wait(reason, wait) if wait else None, remaining=allowance(pending()["email"], SIGNUP_KINDS)[1],
    )


@bp.route("/daftar/kirim-ulang", methods=["POST"])
@limiter.limit(form_limit)
def resend():
    """Send the verification email again, within the cooldown and the caps."""
    if not pending():
        return see_other(url_for(".register"))
    if ConfirmForm().validate_on_submit():
        wait, reason = resend_wait(pending())
        if not wait:
            wait, reason = send_signup_email(pending()["email"], pending()["id"]), "registration"
        if wait:
            flash(email_wait(reason, wait), "error")
        else:
            flash(_("We have sent a new email to %(email)s.", email=pending()["email"]), "success")
    return see_other(url_for(".check_email"))


@bp.route("/daftar/ubah-email", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def change_email():
    """Correct the address of an account that is not verified yet."""
    if not pending():
        return see_other(url_for(".register"))
    form = EmailForm()
    if form.validate_on_submit():
        wait = throttle.wait_all(mail_quota(pending()["id"]))
        if wait:
            form.email.errors.append(email_wait("registration", wait))
            return render_page("auth/change_email.html", form=form)
        email = form.email.data.lower()
        account = pending_account()
        with db.atomic():
            if account is not None and not account.is_verified:
                accounts.change_email(account, email)  # refused quietly when the address is taken
            wait = send_signup_email(email, pending()["id"])
        session["pending"] = {"email": email, "id": pending()["id"]}
        if wait:  # another tab used the last one meanwhile
            flash(email_wait("registration", wait), "error")
        else:
            flash(_("Email address changed. We have sent a new link to %(email)s.", email=email), "success")
        return see_other(url_for(".check_email"))
    return render_page("auth/change_email.html", form=form)


@bp.route("/verifikasi/<token>")
def verify(token):
    """Follow the link from the verification email."""
    try:
        accounts.verify_email(token)
    except DomainError as error:
        return render_page("auth/link_problem.html", status=400, message=error.message, kind="verify")
    session.pop("pending", None)
    flash(_("Your email address is verified. Log in to continue."), "success")
    return see_other(url_for(".login"))


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    """Log in with email and password; an unverified account is shown how to verify."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    if shared():
        return shared_page("auth/login.html", LoginForm)
    form = LoginForm()
    if form.validate_on_submit():
        limits = take_login_attempt(form.email.data)
        account = accounts.authenticate(form.email.data, form.password.data)
        if account is None:
            # The same words for an unknown address and a wrong password.
            form.password.errors.append(_("The email address or password is not correct"))
            return render_page("auth/login.html", form=form)
        throttle.give_back_all(limits)  # only failed attempts count
        if not account.is_verified:
            session["pending"] = {"email": account.email, "id": account.id}
            flash(_("Verify your email address first: open the link we sent you, or ask for a new one here."), "info")
            return see_other(url_for(".check_email"))
        start_session(account)
        return see_other(local_path(request.args.get("next"), url_for(home_endpoint(account))))
    return render_page("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@csrf.exempt
def logout():
    """Selesai dan bersihkan: end the session and tell the browser to forget this site's data.

    Exempt from CSRF on purpose: on a shared terminal the button must work even with an expired
    form token, and the worst a forged request can do is log someone out.
    """
    end_session()
    return see_other(url_for(".logged_out")), CLEAR_SITE_DATA


@bp.route("/keluar/selesai")
def logged_out():
    body, status = render_page("auth/logged_out.html")
    return body, status, CLEAR_SITE_DATA


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def forgot():
    """Ask for a password-reset link; the answer never says whether the address has an account."""
    form = EmailForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        account = Account.by_email(email)
        if account is not None and not allowance(email, RESET_KINDS)[0]:
            link = external_url("auth.reset", token=accounts.reset_token(account))
            send_email("reset_password", email, account=account, name=account.full_name, link=link)
        session["reset_email"] = email
        return see_other(url_for(".forgot_sent"))
    return render_page("auth/forgot.html", form=form)


@bp.route("/lupa-sandi/terkirim")
def forgot_sent():
    return render_page("auth/forgot_sent.html", email=session.get("reset_email"))


@bp.route("/atur-sandi/<token>")
def reset(token):
    """Take the token from the emailed link into the session, so it leaves the address bar and history."""
    session["reset_token"] = token
    return see_other(url_for(".reset_form"))


@bp.route("/atur-sandi", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def reset_form():
    """Choose a new password; every session of the account ends and a notice is emailed."""
    try:
        account = accounts.account_for_reset(session.get("reset_token", ""))
    except DomainError as error:
        return render_page("auth/link_problem.html", status=400, message=error.message, kind="reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        with db.atomic():
            accounts.reset_password(account, form.password.data)
            send_email("password_changed", account.email, account=account, name=account.full_name,
                       reset_link=external_url("auth.forgot"))
        end_session()
        flash(_("Your password has been changed. Log in with your new password."), "success")
        return see_other(url_for(".login"))
    return render_page("auth/reset.html", form=form)
