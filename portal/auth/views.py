"""Account pages shared by every audience: register, verify email, log in and out, reset password."""

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.forms import ConfirmForm, EmailForm, LoginForm, NewPasswordForm, RegisterForm
from portal.email import send_allowance, send_email
from portal.domain import DomainError
from portal.extensions import csrf, form_email, limiter
from portal.htmx import see_other
from portal.links import external_url
from portal.models import Account
from portal.navigation import local_path
from portal.rendering import render_page
from portal.roles import home_endpoint
from portal.services import accounts
from portal.sessions import end_session, start_session

bp = Blueprint("auth", __name__)

CLEAR_SITE_DATA = {"Clear-Site-Data": '"cache", "cookies", "storage"'}
# Kinds that share one cooldown and hourly cap per address.
SIGNUP_KINDS = ("verify_email", "account_exists", "register_prompt")
RESET_KINDS = ("reset_password",)


def form_limit():
    return current_app.config["FORM_LIMIT_IP"]


def login_failed(response):
    """Only failed attempts (the form shown again) count towards the login limits."""
    return response.status_code == 200


def allowance(address, kinds):
    config = current_app.config
    return send_allowance(address, kinds, config["EMAIL_RESEND_COOLDOWN"], config["EMAIL_HOURLY_CAP"])


def send_signup_email(address):
    """Send what a sign-up at this address needs: a verification link, an "account exists" note, or a prompt.

    The owner is looked up by address, so the email always speaks of the account that really has it.
    """
    if allowance(address, SIGNUP_KINDS)[0]:
        return
    owner = Account.by_email(address)
    if owner is None:
        send_email("register_prompt", address, link=external_url("auth.register"))
    elif owner.is_verified:
        send_email(
            "account_exists", address, account=owner, name=owner.full_name,
            login_link=external_url("auth.login"), reset_link=external_url("auth.forgot"),
        )
    else:
        link = external_url("auth.verify", token=accounts.verification_token(owner))
        send_email("verify_email", address, account=owner, name=owner.full_name, link=link)


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
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        previous = pending() or {}
        account = accounts.register(form.full_name.data, email, form.password.data)
        if account is None and previous.get("email") == email:
            account_id = previous.get("id")  # a double tap: nothing is sent twice
        else:
            send_signup_email(email)
            account_id = account.id if account else None
        session["pending"] = {"email": email, "id": account_id}
        return see_other(url_for(".check_email"))
    return render_page("auth/register.html", form=form)


@bp.route("/daftar/cek-email")
def check_email():
    """The waiting page: which address we wrote to, tips, resend and change-address."""
    if not pending():
        return see_other(url_for(".register"))
    wait, remaining = allowance(pending()["email"], SIGNUP_KINDS)
    return render_page(
        "auth/check_email.html", form=ConfirmForm(), email=pending()["email"], wait=wait, remaining=remaining
    )


@bp.route("/daftar/kirim-ulang", methods=["POST"])
@limiter.limit(form_limit)
def resend():
    """Send the verification email again, within the cooldown and hourly cap."""
    if not pending():
        return see_other(url_for(".register"))
    if ConfirmForm().validate_on_submit():
        wait, _remaining = allowance(pending()["email"], SIGNUP_KINDS)
        if wait:
            flash(_("Please wait %(seconds)d seconds before asking for another email.", seconds=wait), "error")
        else:
            send_signup_email(pending()["email"])
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
        email = form.email.data.lower()
        account = pending_account()
        if account is not None and not account.is_verified:
            accounts.change_email(account, email)  # refused quietly when the address is taken
        send_signup_email(email)
        session["pending"] = {"email": email, "id": pending()["id"]}
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
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_IP"], methods=["POST"], deduct_when=login_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"], key_func=form_email, methods=["POST"], deduct_when=login_failed
)
def login():
    """Log in with email and password; an unverified account is shown how to verify."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(form.email.data, form.password.data)
        if account is None:
            # The same words for an unknown address and a wrong password.
            form.password.errors.append(_("The email address or password is not correct"))
        elif not account.is_verified:
            session["pending"] = {"email": account.email, "id": account.id}
            flash(_("Verify your email address first: open the link we sent you, or ask for a new one here."), "info")
            return see_other(url_for(".check_email"))
        else:
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
        accounts.reset_password(account, form.password.data)
        send_email("password_changed", account.email, account=account, name=account.full_name,
                   reset_link=external_url("auth.forgot"))
        end_session()
        flash(_("Your password has been changed. Log in with your new password."), "success")
        return see_other(url_for(".login"))
    return render_page("auth/reset.html", form=form)
