"""Fields the stock WTForms set lacks (a GOV.UK day/month/year date, a digits-only number), and text filters."""

import re
import unicodedata
from datetime import date

from wtforms import Field, SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from portal.i18n import lazy_gettext as _l
from portal.rules.names import name_problem
from portal.rules.nik import clean_number
from portal.rules.voice import voiced


class DateInputField(Field):
    """Three boxes, <name>-day, <name>-month and <name>-year, read as one date (GOV.UK date input)."""

    PARTS = ("day", "month", "year")
    # Digits each box may hold: a longer number is not a date, and would overflow date().
    DIGITS = {"day": re.compile(r"[0-9]{1,2}"), "month": re.compile(r"[0-9]{1,2}"), "year": re.compile(r"[0-9]{4}")}

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
            self.raw_data = [formdata.get(f"{self.name}-{part}", "") for part in self.PARTS]
            # Full-width digits (some phone keyboards) read as ASCII ones.
            self.parts = {part: unicodedata.normalize("NFKC", visible_text(typed)).strip()
                          for part, typed in zip(self.PARTS, self.raw_data)}
            self.data = None

    def pre_validate(self, form):
        if self.raw_data is None and self.data:
            return
        if any(hidden_in(typed) for typed in self.raw_data or ()):
            self.errors.append(hidden_message(self.label.text))
            return
        day, month, year = (self.parts[part] for part in self.PARTS)
        if not (day or month or year):
            self.errors.append(voiced(_l("Enter your %(what)s", what=self.name_in_message),
                                      _l("Enter the applicant's %(what)s", what=self.name_in_message)))
            return
        missing = [part for part in self.PARTS if not self.parts[part]]
        if missing:
            names = {"day": _l("a day"), "month": _l("a month"), "year": _l("a year")}
            self.errors.append(_l("%(what)s must include %(part)s", what=self.name_in_message, part=names[missing[0]]))
            return
        if not all(self.DIGITS[part].fullmatch(self.parts[part]) for part in self.PARTS):
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
        return visible_text(self.raw_data[0]) if self.raw_data else (self.data or "")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip(value):
    return value.strip() if isinstance(value, str) else value


def hidden(ch, keep=""):
    """A character no text field takes: a control character (NUL, tab, line break...) or a Unicode noncharacter.

    PostgreSQL cannot store NUL, and the others cannot be shown in a page; `keep` lets a text area have tabs
    and line breaks.
    """
    code = ord(ch)
    return ch not in keep and (
        unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
    )


def hidden_in(text, keep=""):
    return isinstance(text, str) and any(hidden(ch, keep) for ch in text)


def visible_text(value, keep=""):
    """The text without the characters `hidden` refuses (a filter: what is shown again is what can be)."""
    return "".join(ch for ch in value if not hidden(ch, keep)) if isinstance(value, str) else value


def hidden_message(label):
    return _l("%(label)s had hidden characters, such as tabs or line breaks. We have removed them: check it and "
              "continue", label=label)


def refuse_hidden(keep=""):
    """A first validator: what was sent had hidden characters, so the (cleaned) answer must be checked again."""

    def check(form, field):
        if any(hidden_in(typed, keep) for typed in field.raw_data or ()):
            raise StopValidation(hidden_message(field.label.text))

    return check


def name_field(answer, description=None, autocomplete="name"):
    """A person's or place's name (a portal.rules.names.NameAnswer): trimmed, required, length-capped, the name
    rule."""
    return StringField(
        answer.label,
        description=description,
        filters=[strip],
        validators=[DataRequired(answer.required), Length(max=answer.max_length, message=answer.too_long),
                    name_rule(answer.place)],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


def name_rule(place):
    """A field validator: portal.rules.names.name_problem, naming the field's label."""

    def validate(form, field):
        problem = name_problem(field.data, field.label.text, place)
        if problem:
            raise ValidationError(problem)

    return validate


def options(pairs):
    """WTForms choices from (value, label) pairs, as WTForms 3.3 wants them."""
    return [SelectChoice(value, label) for value, label in pairs]
