"""Forms of the ministry's screens: a decision on one record, a bulk confirmation, a decree."""

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from portal.forms.base import Form
from portal.forms.fields import DateInputField, options, strip
from portal.i18n import lazy_gettext as _l
from portal.rules.status import NOT_ELIGIBLE_REASONS, RETURN_REASONS

NOTE_MAX = 500
# "Not eligible" is chosen with its rule, so the office and the applicant read which one.
RETURN_CHOICES = [("", _l("Choose a reason"))] + [
    (key, label) for key, label in RETURN_REASONS.items() if key != "not_eligible"
] + list(NOT_ELIGIBLE_REASONS.items())


class DecisionForm(Form):
    """Accept a record, or return it to its office with a reason and a note."""

    decision = RadioField(
        _l("Decision"),
        choices=options([("accept", _l("Accept")), ("return", _l("Return to the office"))]),
        validators=[InputRequired(_l("Select accept or return to the office"))],
    )
    reason = SelectField(_l("Reason for returning"), choices=options(RETURN_CHOICES), validate_choice=False)
    note = TextAreaField(
        _l("Note for the office"),
        description=_l("What the office must check or correct. The applicant may read the reason, not this note."),
        filters=[strip],
        validators=[Length(max=NOTE_MAX, message=_l("Note must be %(max)d characters or fewer", max=NOTE_MAX))],
    )

    def validate_reason(self, field):
        if self.decision.data != "return":
            return
        if field.data not in dict(RETURN_CHOICES) or not field.data:
            raise ValidationError(_l("Choose why the record goes back to the office"))

    def validate_note(self, field):
        if self.decision.data == "return" and self.reason.data == "other" and not field.data:
            raise ValidationError(_l("Say what the office must correct"))


class ConfirmForm(Form):
    """A confirmation button; `expected` is the count the reviewer saw, so a change meanwhile is noticed."""

    expected = HiddenField()


class RatifyForm(Form):
    """The decree (surat keputusan) that ratifies a batch."""

    decree_number = StringField(
        _l("Decree number"),
        description=_l("As written on the signed decree, for example KEP.12/LATTAS/XI/2026"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the decree number")),
                    Length(max=60, message=_l("Decree number must be 60 characters or fewer"))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    decree_date = DateInputField(_l("Decree date"), name_in_message=_l("decree date"),
                                 required=_l("Enter the decree date"), example="20 11 2026",
                                 description=_l("It also decides which quota period is used. For example, 20 11 2026"))
