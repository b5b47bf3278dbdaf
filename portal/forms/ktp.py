"""The KTP step: NIK, date of birth and family card number, checked against each other."""

from wtforms import ValidationError

from portal.forms.base import Form
from portal.forms.fields import DateInputField, NumberField
from portal.i18n import lazy_gettext as _l
from portal.rules.eligibility import age_problem
from portal.rules.nik import check_kk, check_nik
from portal.rules.voice import voiced

NUMBER_INPUT = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": "24"}


class KtpForm(Form):
    nik = NumberField(
        _l("NIK (Nomor Induk Kependudukan)"),
        description=voiced(_l("The 16-digit number at the top of your e-KTP"), _l("The 16-digit number at the top of the e-KTP")),
        render_kw=NUMBER_INPUT,
    )
    birth_date = DateInputField(
        _l("Date of birth"),
        name_in_message=_l("date of birth"),
        description=voiced(_l("As on your KTP. For example, 27 3 1995"), _l("As on the KTP. For example, 27 3 1995")),
    )
    kk_number = NumberField(
        _l("Family card (KK) number"),
        description=voiced(_l("The 16-digit number at the top of your Kartu Keluarga"), _l("The 16-digit number at the top of the Kartu Keluarga")),
        render_kw=NUMBER_INPUT,
    )

    nik_check = None

    def validate_birth_date(self, field):
        if field.data:
            problem = age_problem(field.data)
            if problem:
                raise ValidationError(problem)

    def validate(self, extra_validators=None):
        """Check each field, then the NIK against the birth date once that date is itself valid."""
        valid = super().validate(extra_validators)
        born = self.birth_date.data if not self.birth_date.errors else None
        self.nik_check = check_nik(self.nik.data, born)
        if self.nik_check.errors:
            self.nik.errors.append(self.nik_check.errors[0])
            if self.nik_check.date_mismatch:
                # The typo may be in either; the date boxes are marked too, and the summary links once, to the NIK.
                self.birth_date.errors.append(self.nik_check.errors[0])
            return False
        return valid

    def validate_kk_number(self, field):
        field.data, problem = check_kk(field.data)
        if problem:
            raise ValidationError(problem)
