"""Staff sign-in at /petugas (password and authenticator code on one page) and sign-out."""

from flask import flash, request, url_for
from flask_login import current_user

from portal import throttle
from portal.auth.views import take_login_attempt
from portal.extensions import csrf
from portal.guards import public
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.rendering import render_page
from portal.roles import home_endpoint
from portal.security import CLEAR_SITE_DATA
from portal.services import accounts, audit, second_factor, staff
from portal.sessions import end_session, is_staff_session, second_factor_passed, start_session
from portal.staff import bp
from portal.staff.forms import StaffLoginForm


@bp.route("", methods=["GET", "POST"])
@public
def login():
    """Sign in with email, password and a code; there is no "remember me" on shared office PCs.

    Every failure reads the same, so the page never confirms that a password was right without its code.
    Failures count towards the limits /masuk uses, per address and per account, before the password is checked.
    """
    if current_user.is_authenticated and is_staff_session() and second_factor_passed():
        return see_other(url_for(home_endpoint(current_user)))
    form = StaffLoginForm()
    if form.validate_on_submit():
        limits = take_login_attempt(form.email.data)
        account = accounts.authenticate(form.email.data, form.password.data, staff=True)
        code = form.code.data
        if account is not None and not second_factor.is_enrolled(account):
            throttle.give_back_all(limits)
            start_session(account, staff=True)  # first sign-in: set up the authenticator next
            return see_other(url_for(".enrol"))
        if not code:
            form.code.errors.append(_("Enter the code from your authenticator app. If you have not set one up "
                                      "yet, check your email address and password."))
        else:
            method = second_factor.check(account, code) if account is not None else None
            if method:
                throttle.give_back_all(limits)
                start_session(account, staff=True, second_factor=True)
                staff.signed_in(account, method, ip=request.remote_addr)
                if method == "recovery":
                    left = second_factor.recovery_codes_left(account)
                    flash(_("You signed in with a recovery code. You have %(left)d left: make new ones on your "
                            "home page if you are running out.", left=left), "info")
                return see_other(url_for(home_endpoint(account)))
            if account is not None:
                audit.record(account, "staff.second_factor_failed", account, ip=request.remote_addr)
            form.password.errors.append(_("The email address, password or code is not correct"))
    return render_page("staff/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@csrf.exempt
@public
def logout():
    """Selesai dan bersihkan for staff: recorded in the audit log, then as for applicants.

    Exempt from CSRF for the reason auth.logout gives: the button must work with an expired form.
    """
    if current_user.is_authenticated and is_staff_session():
        audit.record(current_user._get_current_object(), "staff.signed_out", current_user._get_current_object(),
                     ip=request.remote_addr)
    end_session()
    return see_other(url_for(".logged_out")), CLEAR_SITE_DATA


@bp.route("/keluar/selesai")
@public
def logged_out():
    body, status = render_page("auth/logged_out.html", again="staff.login")
    return body, status, CLEAR_SITE_DATA

