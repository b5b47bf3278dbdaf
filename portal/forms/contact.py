"""The mobile number and its SMS code, shared by the applicant wizard and officer screens."""

from flask_wtf.file import FileField
from wtforms import StringField, ValidationError
from wtforms.validators import Length

from portal.forms.base import Form
from portal.forms.fields import strip
from portal.i18n import lazy_gettext as _l
from portal.rules.phone import check_mobile
from portal.rules.voice import voiced


class PhoneForm(Form):
    phone = StringField(
        _l("Mobile number"),
        description=voiced(_l("We will send a 6-digit code to it by SMS. For example, 0812 3456 7890"),
                            _l("As on the paper form. For example, 0812 3456 7890")),
        filters=[strip],
        render_kw={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": "20"},
    )
    e164 = None

    def validate_phone(self, field):
        self.e164, problem = check_mobile(field.data)
        if problem:
            raise ValidationError(problem)


# One SMS segment: room for the whole pasted SMS (code texts are about 100 characters), no more.
SMS_MAX = 160


class CodeForm(Form):
    code = StringField(
        _l("Code from the SMS"),
        description=_l("6 digits. You can paste the code, or the whole SMS"),
        filters=[strip],
        validators=[Length(max=SMS_MAX, message=_l("Paste only the SMS with the code, or type the 6 digits"))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": str(SMS_MAX),
                   "spellcheck": "false"},
    )


class PhotoForm(Form):
    """One photo upload; built with prefix="ktp" or "selfie" so both fit on one page."""

    photo = FileField(_l("Choose or take a photo"), render_kw={"accept": "image/*"})
