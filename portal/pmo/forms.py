"""The PMO's forms: reject a ratified record with a reason, resolve a NIK dispute."""

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms.base import Form
from portal.forms.fields import options, strip
from portal.i18n import lazy_gettext as _l
from portal.rules.status import REJECT_REASONS
from portal.services.disputes import RESOLUTIONS


class RejectForm(Form):
    reason = SelectField(_l("Reason"), choices=options([("", _l("Choose a reason"))] + list(REJECT_REASONS.items())),
                         validators=[DataRequired(_l("Choose a reason"))])
    note = TextAreaField(_l("Note (optional)"), description=_l("Seen by staff only; the applicant reads the reason."),
                         filters=[strip], validators=[Optional(), Length(max=500, message=_l(
                             "The note must be %(max)d characters or fewer", max=500))])

    def validate(self, extra_validators=None):
        """A note is needed when the reason is "another reason" (Optional() stops the note's own checks)."""
        valid = super().validate(extra_validators)
        if self.reason.data == "other" and not self.note.data and not self.note.errors:
            self.note.errors.append(_l("Say why, when the reason is another reason"))
            return False
        return valid


class DisputeForm(Form):
    resolution = RadioField(_l("Decision"), choices=options(list(RESOLUTIONS.items())),
                            validators=[DataRequired(_l("Choose how to resolve the dispute"))])
    note = TextAreaField(_l("Reason for the decision"), filters=[strip],
                         validators=[DataRequired(_l("Enter the reason for the decision")),
                                     Length(max=500, message=_l("The reason must be %(max)d characters or fewer",
                                                                max=500))])
