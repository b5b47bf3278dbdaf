"""Staff sign-in and authenticator forms; the password fields are the applicant ones (portal.auth.forms)."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from portal.auth.forms import LoginForm
from portal.forms.base import Form
from portal.forms.fields import strip
from portal.i18n import lazy_gettext as _l


class StaffLoginForm(LoginForm):
    """Email, password and the authenticator code (or a recovery code) on one page."""

    code = StringField(
        _l("Authenticator code"),
        description=_l("The 6-digit code your authenticator app shows now. Lost your phone? Enter one of your "
                       "recovery codes instead. Signing in for the first time? Leave this empty."),
        filters=[strip],
        validators=[Length(max=20, message=_l("Enter the 6-digit code or a recovery code"))],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"},
    )


class EnrolForm(Form):
    code = StringField(
        _l("Code from the app"),
        description=_l("6 digits, like 123456."),
        filters=[strip, lambda value: value.replace(" ", "") if value else value],
        validators=[
            DataRequired(_l("Enter the 6-digit code your authenticator app shows")),
            Regexp(r"^\d{6}$", message=_l("Enter the code as 6 digits, like 123456")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )
