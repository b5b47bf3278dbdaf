"""Forms of the status check and the claim: a reference number, the date of birth, the NIK, a code."""

from wtforms import StringField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.auth.forms import email_field, new_password_field, show_password_field, validate_not_common
from portal.forms.base import Form
from portal.forms.fields import DateInputField, NumberField, strip
from portal.forms.ktp import NUMBER_INPUT
from portal.i18n import lazy_gettext as _l
from portal.rules import reference
from portal.rules.nik import check_nik


def reference_field():
    return StringField(
        _l("Reference number"),
        description=_l("On your receipt or in our email, for example PK-7G4M-2QXA"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your reference number")),
                    Length(max=20, message=_l("Enter a reference number like PK-7G4M-2QXA"))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


def birth_date_field():
    return DateInputField(_l("Date of birth"), name_in_message=_l("date of birth"),
                          description=_l("As on your KTP. For example, 27 3 1995"))


class ReferenceForm(Form):
    """A reference number and a date of birth: what anyone checking a status knows."""

    reference = reference_field()
    birth_date = birth_date_field()

    def validate_reference(self, field):
        normalised = reference.normalise(field.data)
        if not normalised:
            raise ValidationError(_l("Enter a reference number like PK-7G4M-2QXA"))
        field.data = normalised


class ClaimForm(ReferenceForm):
    """The reference, NIK and date of birth of the walk-in record to claim."""

    nik = NumberField(_l("NIK (Nomor Induk Kependudukan)"),
                      description=_l("The 16-digit number at the top of your e-KTP"), render_kw=NUMBER_INPUT)

    def validate_nik(self, field):
        problems = check_nik(field.data, None).errors
        if problems:
            raise ValidationError(problems[0])


class ClaimAccountForm(Form):
    """The email address and password of the account a claimed record joins."""

    email = email_field()
    password = new_password_field()
    show_password = show_password_field()

    def validate_password(self, field):
        validate_not_common(self, field)
