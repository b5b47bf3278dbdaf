"""The PMO's wave forms: a new wave with its times (WIB), total quota and optional per-province quotas."""

from datetime import timezone

from wtforms import DateTimeLocalField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from portal.forms.base import Form
from portal.i18n import lazy_gettext as _l
from portal.rules import regions
from portal.rules.eligibility import ZONE

MAX_QUOTA = 10_000_000
FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # the browser's picker, or typed by hand where there is none


class LocalTimeField(DateTimeLocalField):
    """A date and time in WIB; a value that is not one gets the field's own instruction as its message."""

    def __init__(self, label, message, **kwargs):
        super().__init__(label, format=FORMATS, validators=[InputRequired(message)], **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message) from None


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
    opens_at = LocalTimeField(_l("Opens (WIB)"), _l("Enter when the wave opens, like 2026-12-01 08:00"))
    closes_at = LocalTimeField(_l("Closes (WIB)"), _l("Enter when the wave closes, like 2026-12-07 23:59"))
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
