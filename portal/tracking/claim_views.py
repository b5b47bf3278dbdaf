"""Klaim pendaftaran (/klaim): a walk-in proves a record is theirs and chooses an email address and password."""

import time

from flask import current_app, flash, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.auth.forms import ConfirmForm
from portal.auth.mailing import allowance, send_signup_email
from portal.domain import DomainError
from portal.extensions import limiter
from portal.forms.contact import CodeForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.models import Application
from portal.rendering import render_page
from portal.roles import home_endpoint
from portal.rules.phone import mask
from portal.services import claims, phones
from portal.tracking import bp, limits
from portal.tracking.forms import ClaimAccountForm, ClaimForm

NOT_FOUND = _l("We could not find an application with this reference number, NIK and date of birth. Check them "
               "against your receipt and your KTP, and try again.")


def form_limit():
    return current_app.config["FORM_LIMIT_IP"]


def current_claim(proven=False):
    """(the record being claimed, this browser's claim state), or None once it is stale or not proven yet."""
    state = session.get("claim")
    if not state or time.time() - state["t"] > current_app.config["CLAIM_MINUTES"] * 60:
        return None
    if proven and not state.get("ok"):
        return None
    application = Application.get_or_none(Application.id == state["a"])
    return (application, state) if application else None


def start(application, via, by_link=False):
    """This browser's claim: which record, how it is confirmed, and whether the emailed link proved it (then
    the record's address is proven too; the cookie holds no address)."""
    session["claim"] = {"a": application.id, "via": via, "ok": by_link, "link": by_link, "t": int(time.time())}


@bp.route("/klaim", methods=["GET", "POST"])
def claim():
    """Step 1: the reference number, NIK and date of birth of the record."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    form = ClaimForm()
    if form.validate_on_submit():
        taken, wait = limits.take("claim", form.reference.data)
        if wait:
            form.form_errors.append(limits.wait_message(wait))
            return render_page("tracking/claim.html", status=429, form=form)
        application = claims.find(form.reference.data, form.nik.data, form.birth_date.data)
        if application is None:
            form.form_errors.append(NOT_FOUND)
            return render_page("tracking/claim.html", form=form)
        limits.succeeded(taken)
        try:
            via = claims.how_to_confirm(application)
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_page("tracking/claim.html", form=form)
        start(application, via)
        if via == "email":
            if not allowance(application.contact_email, ("claim_link",))[0]:
                claims.send_link(application)
            return see_other(url_for(".claim_email_sent"))
        try:
            claims.send_code(application, request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        return see_other(url_for(".claim_code"))
    return render_page("tracking/claim.html", form=form)


@bp.route("/klaim/kode", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def claim_code():
    """Step 2: the code sent by SMS to the number on the record."""
    found = current_claim()
    if not found or found[1]["via"] != "sms":
        return see_other(url_for(".claim"))
    application, state = found
    form = CodeForm()
    if form.validate_on_submit():
        try:
            claims.check_code(application, form.code.data)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            session["claim"] = {**state, "ok": True}
            return see_other(url_for(".claim_account"))
    otp = phones.latest_code(application)
    dead = phones.dead_code_reason(otp)
    return render_page("tracking/claim_code.html", form=form, masked=mask(application.phone),
                       code_expires=None if dead else phones.expires_at(otp), code_dead=dead,
                       allowance=phones.allowance(application, application.phone, request.remote_addr),
                       resend_form=ConfirmForm())


@bp.route("/klaim/kirim-ulang", methods=["POST"])
@limiter.limit(form_limit)
def claim_resend():
    """Send a fresh claim code, within the cooldown and caps."""
    found = current_claim()
    if found and found[1]["via"] == "sms" and ConfirmForm().validate_on_submit():
        try:
            claims.send_code(found[0], request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("We have sent a new code. Earlier codes no longer work."), "success")
    return see_other(url_for(".claim_code"))


@bp.route("/klaim/cek-email")
def claim_email_sent():
    """Step 2 for a record with an email address and no number: the link is in the email."""
    found = current_claim()
    if not found or found[1]["via"] != "email":
        return see_other(url_for(".claim"))
    return render_page("tracking/claim_email_sent.html", address=claims.mask_email(found[0].contact_email))


@bp.route("/klaim/tautan/<token>")
def claim_link(token):
    """The emailed claim link: proves the record is the visitor's, then leaves the address bar."""
    try:
        application = claims.application_for_link(token)
    except DomainError as error:
        return render_page("tracking/claim_problem.html", status=400, message=error.message)
    start(application, "email", by_link=True)
    return see_other(url_for(".claim_account"))


@bp.route("/klaim/akun", methods=["GET", "POST"])
@limiter.limit(form_limit, methods=["POST"])
def claim_account():
    """Step 3: the email address and password of the new account, which gets the record."""
    found = current_claim(proven=True)
    if not found:
        return see_other(url_for(".claim"))
    application, state = found
    proven = application.contact_email if state.get("link") else None
    form = ClaimAccountForm(data={"email": application.contact_email})
    if form.validate_on_submit():
        try:
            account = claims.claim(application, form.email.data, form.password.data, proven,
                                   ip=request.remote_addr, language=str(get_locale()))
        except DomainError as error:
            if error.field:
                form[error.field].errors.append(error.message)
                return render_page("tracking/claim_account.html", form=form, reference=application.reference)
            session.pop("claim", None)
            return render_page("tracking/claim_problem.html", status=409, message=error.message)
        session.pop("claim", None)
        if account.is_verified:
            flash(_("Your account is ready. Log in to follow your application."), "success")
            return see_other(url_for("auth.login"))
        send_signup_email(account.email, account.id)
        session["pending"] = {"email": account.email, "id": account.id}
        return see_other(url_for("auth.check_email"))
    return render_page("tracking/claim_account.html", form=form, reference=application.reference)
