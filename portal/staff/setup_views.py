"""A new staff member's first steps: set a password from the emailed link, set up the authenticator, keep
the recovery codes."""

from flask import flash, request, session, url_for
from flask_login import current_user

from portal.auth.forms import ConfirmForm, NewPasswordForm
from portal.domain import DomainError
from portal.guards import before_second_factor, public
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.rendering import render_page
from portal.roles import home_endpoint
from portal.sealing import InvalidToken, open_sealed, seal
from portal.services import second_factor, staff
from portal.sessions import end_session, second_factor_passed, start_session
from portal.staff import bp
from portal.staff.forms import EnrolForm

# Recovery codes wait in the session, sealed, between the POST that makes them and the page that shows them.
CODES_KEY = "recovery_codes"


@bp.route("/atur-sandi/<token>")
@public
def set_password_link(token):
    """Take the token from the emailed link into the session, so it leaves the address bar and history."""
    end_session()
    session["staff_setup_token"] = token
    return see_other(url_for(".set_password"))


@bp.route("/atur-sandi", methods=["GET", "POST"])
@public
def set_password():
    """Choose a password; then the authenticator is set up in the same visit."""
    try:
        account = staff.account_for_setup(session.get("staff_setup_token", ""))
    except DomainError as error:
        return render_page("auth/link_problem.html", status=400, message=error.message, kind="staff")
    form = NewPasswordForm()
    if form.validate_on_submit():
        staff.set_password(account, form.password.data, ip=request.remote_addr)
        start_session(account, staff=True)
        return see_other(url_for(".enrol"))
    return render_page("staff/set_password.html", form=form, account=account)


@bp.route("/autentikator", methods=["GET", "POST"])
@before_second_factor
def enrol():
    """Set up the authenticator app: scan the QR code (or type the key), then confirm with a code."""
    account = current_user._get_current_object()
    if second_factor.is_enrolled(account):
        if second_factor_passed():
            return see_other(url_for(home_endpoint(account)))
        # Only a sign-in with a code passes the second factor of an account that has one.
        end_session()
        return see_other(url_for(".login"))
    secret = second_factor.pending_secret(account)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(account, form.code.data, ip=request.remote_addr)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            start_session(account, staff=True, second_factor=True)
            staff.signed_in(account, "totp", ip=request.remote_addr)
            session[CODES_KEY] = seal("recovery", " ".join(codes))
            return see_other(url_for(".recovery_codes"))
    uri = second_factor.provisioning_uri(account, secret)
    return render_page(
        "staff/enrol.html", form=form, account=account,
        secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),  # in fours, easier to type
        qr=second_factor.qr_svg(uri, _("QR code to scan with your authenticator app")),
    )


@bp.route("/kode-pemulihan")
def recovery_codes():
    """The ten recovery codes, shown once, ready to print; afterwards only how many are left."""
    codes = []
    sealed = session.pop(CODES_KEY, None)
    if sealed:
        try:
            codes = open_sealed("recovery", sealed).split()
        except InvalidToken:
            codes = []
    left = second_factor.recovery_codes_left(current_user)
    return render_page("staff/recovery_codes.html", codes=codes, left=left, form=ConfirmForm(),
                       home=url_for(home_endpoint(current_user)))


@bp.route("/kode-pemulihan/baru", methods=["POST"])
def recovery_codes_new():
    """Replace the recovery codes with ten new ones (the old ones stop working) and show them once."""
    if ConfirmForm().validate_on_submit():
        account = current_user._get_current_object()
        codes = second_factor.renew_recovery_codes(account, ip=request.remote_addr)
        session[CODES_KEY] = seal("recovery", " ".join(codes))
        flash(_("Your old recovery codes no longer work. Keep these new ones safe."), "success")
    return see_other(url_for(".recovery_codes"))
