"""The PMO's decision on a statement letter."""

from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms.base import Form
from portal.forms.fields import options
from portal.i18n import lazy_gettext as _l
from portal.services.letters import REASON_MAX


class LetterDecisionForm(Form):
    decision = RadioField(
        _l("Your decision"),
        choices=options([("approve", _l("Approve: the letter is signed on a duty stamp and matches the applicant")),
                         ("reject", _l("Reject: the applicant must send it again"))]),
        validators=[InputRequired(_l("Choose approve or reject"))],
    )
    reason = TextAreaField(
        _l("Reason for rejecting"),
        description=_l("Only when rejecting. The applicant reads it, so say what to put right, for example: "
                       "the signature does not touch the duty stamp."),
        validators=[Length(max=REASON_MAX, message=_l("The reason must be %(max)d characters or fewer",
                                                      max=REASON_MAX))],
        render_kw={"rows": "3", "maxlength": str(REASON_MAX)},
    )
