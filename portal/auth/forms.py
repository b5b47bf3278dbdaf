"""Account forms: register, log in, verify, reset. Messages are instructions (GOV.UK style)."""

from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from portal.forms.base import Form
from portal.forms.fields import name_field, strip
from portal.i18n import lazy_gettext as _l
from portal.rules import names
from portal.services import passwords

PASSWORD_LENGTH = _l("Password must be between %(min)d and %(max)d characters",
                     min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH)


def email_field():
    return EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be %(max)d characters or fewer")),
            Email(_l("Enter an email address in the correct format, like nama@contoh.com"), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"},
    )


def new_password_field(label=_l("Password")):
    return PasswordField(
        label,
        description=_l("At least %(min)d characters. A few words you will remember make a strong password.",
                        min=passwords.MIN_LENGTH),
        validators=[
            DataRequired(_l("Enter a password")),
            Length(min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH, message=PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def show_password_field():
    return BooleanField(_l("Show password"))


def validate_not_common(form, field):
    if field.data and passwords.is_common(field.data):
        raise ValidationError(_l("This password is too common and easy to guess. Choose a different one"))


class RegisterForm(Form):
    full_name = name_field(names.ACCOUNT_NAME)
    email = email_field()
    password = new_password_field()
    show_password = show_password_field()

    def validate_password(self, field):
        validate_not_common(self, field)


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=passwords.MAX_LENGTH, message=PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    show_password = show_password_field()


class EmailForm(Form):
    """One email address: forgotten password, change of address."""

    email = email_field()


class NewPasswordForm(Form):
    password = new_password_field(_l("New password"))
    show_password = show_password_field()

    def validate_password(self, field):
        validate_not_common(self, field)


class ConfirmForm(Form):
    """A button that POSTs: resend, log out."""
