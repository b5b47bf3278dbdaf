"""Fields the stock WTForms set lacks: a GOV.UK day/month/year date, a digits-only number."""

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.rules.nik import clean_number


class DateInputField(Field):
    """Three boxes, <name>-day, <name>-month and <name>-year, read as one date (GOV.UK date input)."""

    PARTS = ("day", "month", "year")

    def __init__(self, label=None, validators=None, name_in_message=_l("Date"), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.name_in_message = name_in_message
        self.parts = {part: "" for part in self.PARTS}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw_data = None
        self.object_data = data
        self.data = data if data is not None else self.default
        if self.data:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.PARTS):
            self.parts = {part: formdata.get(f"{self.name}-{part}", "").strip() for part in self.PARTS}
            self.data = None
            self.raw_data = [self.parts[part] for part in self.PARTS]

    def pre_validate(self, form):
        if self.raw_data is None and self.data:
            return
        day, month, year = (self.parts[part] for part in self.PARTS)
        if not (day or month or year):
            self.errors.append(_l("Enter your %(what)s", what=self.name_in_message))
            return
        missing = [part for part in self.PARTS if not self.parts[part]]
        if missing:
            names = {"day": _l("a day"), "month": _l("a month"), "year": _l("a year")}
            self.errors.append(_l("%(what)s must include %(part)s", what=self.name_in_message, part=names[missing[0]]))
            return
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            self.errors.append(_l("%(what)s must be a real date, like 27 3 1995", what=self.name_in_message))
            return
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            self.errors.append(_l("%(what)s must be a real date, like 27 3 1995", what=self.name_in_message))

    def _value(self):
        return self.parts


class NumberField(StringField):
    """Text typed as a number (NIK, KK, RT): keeps leading zeros; spaces and dashes are dropped."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_number(self.data)

    def _value(self):
        """Show what was typed, separators and all, so a mistake is easy to find."""
        return self.raw_data[0] if self.raw_data else (self.data or "")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip(value):
    return value.strip() if isinstance(value, str) else value


def name_field(label, required, too_long, max_length=100, description=None, autocomplete="name"):
    """A person's or place's name: trimmed, required, length-capped, letters in any script."""
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[DataRequired(required), Length(max=max_length, message=too_long), validate_name],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


def validate_name(form, field):
    """Names in any script; must contain a letter and no control characters."""
    value = field.data or ""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value):
        raise ValidationError(_l("%(label)s must only include letters, spaces, hyphens, apostrophes and full stops", label=field.label.text))
    if not any(ch.isalpha() for ch in value):
        raise ValidationError(_l("%(label)s must include letters", label=field.label.text))


def options(pairs):
    """WTForms choices from (value, label) pairs, as WTForms 3.3 wants them."""
    return [SelectChoice(value, label) for value, label in pairs]
