"""The PMO's wave forms: a new wave with its times (WIB), total quota and optional per-province quotas."""

from datetime import timezone

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from portal.forms.base import Form
from portal.forms.fields import DateTimeInputField
from portal.i18n import lazy_gettext as _l
from portal.rules import regions
from portal.rules.eligibility import ZONE

MAX_QUOTA = 10_000_000


class WholeNumberField(IntegerField):
    """A whole number typed in a text box (GOV.UK: not type=number), with an instruction when it is not one."""

    widget = TextInput()

    def __init__(self, label, message, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message) from None


class WaveForm(Form):
    number = WholeNumberField(_l("Wave number"), _l("Enter a wave number from 1"), validators=[
        InputRequired(_l("Enter the wave number")), NumberRange(1, 100_000, _l("Enter a wave number from 1"))])
    # Naive WIB times, as typed; the view stores them as UTC (to_utc).
    opens_at = DateTimeInputField(_l("Opens (WIB)"), name_in_message=_l("the date and time the wave opens"),
                                  required=_l("Enter the date and time the wave opens"), example="1 12 2026",
                                  description=_l("For example, 1 12 2026"))
    closes_at = DateTimeInputField(_l("Closes (WIB)"), name_in_message=_l("the date and time the wave closes"),
                                   required=_l("Enter the date and time the wave closes"), example="7 12 2026",
                                   description=_l("For example, 7 12 2026"))
    quota = WholeNumberField(_l("Total quota"), _l("Enter a quota from 1"),
                             description=_l("How many people the draw selects in all."), validators=[
        InputRequired(_l("Enter the total quota")), NumberRange(1, MAX_QUOTA, _l("Enter a quota from 1"))])

    def province_fields(self):
        return [(code, name, self[f"province_{code}"]) for code, name in regions.options()]

    def province_quotas(self):
        return {code: field.data for code, _name, field in self.province_fields() if field.data}


for _code, _name in regions.options():
    setattr(WaveForm, f"province_{_code}", WholeNumberField(_name, _l("Enter a quota of 0 or more"), validators=[
        Optional(), NumberRange(0, MAX_QUOTA, _l("Enter a quota of 0 or more"))]))


def to_utc(local):
    """A naive WIB time from the form as the naive UTC time the database keeps."""
    return local.replace(tzinfo=ZONE).astimezone(timezone.utc).replace(tzinfo=None)


def to_wib(utc):
    return utc.replace(tzinfo=timezone.utc).astimezone(ZONE).replace(tzinfo=None)
