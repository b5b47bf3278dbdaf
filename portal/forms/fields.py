"""Fields the stock WTForms set lacks (a GOV.UK day/month/year date, with a time box or not, a digits-only
number), and text filters."""

import re
import unicodedata
from datetime import date, datetime, time

from flask_babel import LazyString
from wtforms import Field, SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from portal.i18n import lazy_gettext as _l
from portal.rules.names import name_problem
from portal.rules.nik import clean_number
from portal.rules.voice import voiced


class PartError(ValueError):
    """A date or time box that cannot be read: the message, and the boxes to mark."""

    def __init__(self, message, parts):
        super().__init__(message)
        self.message, self.parts = message, parts


def sentence(message):
    """A message that starts with a placeholder ("%(what)s must...") read with a capital letter."""
    return LazyString(lambda: (text := str(message))[:1].upper() + text[1:])


class DateInputField(Field):
    """Three boxes, <name>-day, <name>-month and <name>-year, read as one date (GOV.UK date input)."""

    DATE_PARTS = PARTS = ("day", "month", "year")
    # Digits each box may hold: a longer number is not a date, and would overflow date().
    DIGITS = {"day": re.compile(r"[0-9]{1,2}"), "month": re.compile(r"[0-9]{1,2}"), "year": re.compile(r"[0-9]{4}")}
    EARLIEST_YEAR = 1

    def __init__(self, label=None, validators=None, name_in_message=_l("Date"), required=None, example="27 3 1995",
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.name_in_message, self.example = name_in_message, example
        self.required = required or voiced(_l("Enter your %(what)s", what=name_in_message),
                                           _l("Enter the applicant's %(what)s", what=name_in_message))
        self.typed = None
        self.error_parts = ()  # the boxes a message is about; none named (a message from elsewhere) means all

    @property
    def parts(self):
        """What each box shows: what was typed, else the value's own parts."""
        if self.typed is not None:
            return self.typed
        return self.parts_of(self.data) if self.data else dict.fromkeys(self.PARTS, "")

    def parts_of(self, value):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw_data = self.typed = None
        self.object_data = data
        self.data = data if data is not None else self.default
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.PARTS):
            self.raw_data = [formdata.get(f"{self.name}-{part}", "") for part in self.PARTS]
            # Full-width digits (some phone keyboards) read as ASCII ones.
            self.typed = {part: unicodedata.normalize("NFKC", visible_text(typed)).strip()
                          for part, typed in zip(self.PARTS, self.raw_data)}
            self.data = None

    def pre_validate(self, form):
        if self.raw_data is None and self.data:
            return
        if any(hidden_in(typed) for typed in self.raw_data or ()):
            self.errors.append(hidden_message(self.label.text))
            return
        if not any(self.parts.values()):
            self.errors.append(self.required)
            return
        try:
            self.data = self.read(self.parts)
        except PartError as error:
            self.errors.append(sentence(error.message))
            self.error_parts = error.parts

    def read(self, parts):
        """The date in the boxes, or a PartError naming the first problem and its boxes."""
        missing = [part for part in self.DATE_PARTS if not parts[part]]
        if missing:
            names = {"day": _l("a day"), "month": _l("a month"), "year": _l("a year")}
            raise PartError(_l("%(what)s must include %(part)s", what=self.name_in_message, part=names[missing[0]]),
                            missing)
        not_real = _l("%(what)s must be a real date, like %(example)s", what=self.name_in_message,
                      example=self.example)
        wrong = [part for part in self.DATE_PARTS if not self.DIGITS[part].fullmatch(parts[part])]
        if wrong:
            raise PartError(not_real, wrong)
        try:
            day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise PartError(not_real, self.DATE_PARTS) from None
        if day.year < self.EARLIEST_YEAR:
            raise PartError(not_real, ("year",))
        return day

    def _value(self):
        return self.parts


class DateTimeInputField(DateInputField):
    """A GOV.UK date input and a time box (<name>-time, 24-hour), read as one naive datetime in the form's zone."""

    PARTS = (*DateInputField.DATE_PARTS, "time")
    # 09:00, 9:00, 09.00 (as Indonesians write it), 0900, or just the hour.
    TIME = re.compile(r"([01]?[0-9]|2[0-3])(?:[:.]?([0-5][0-9]))?")
    EARLIEST_YEAR = 1900  # earlier is a typo, and near year 1 a change of zone would overflow datetime

    def parts_of(self, value):
        return {**super().parts_of(value), "time": f"{value:%H:%M}"}

    def read(self, parts):
        """The date (read as DateInputField reads it), then the time."""
        day = super().read(parts)
        if not parts["time"]:
            raise PartError(_l("%(what)s must include a time, like 09:00", what=self.name_in_message), ("time",))
        typed = self.TIME.fullmatch(parts["time"])
        if typed is None:
            raise PartError(_l("%(what)s must be a real time on the 24-hour clock, like 09:00 or 21:30",
                               what=self.name_in_message), ("time",))
        return datetime.combine(day, time(int(typed[1]), int(typed[2] or 0)))


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
