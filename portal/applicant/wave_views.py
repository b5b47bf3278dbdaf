"""Joining a wave ("Gabung"): one confirmation that the data is valid, one cheap request, one entry."""

from flask import flash, g, url_for
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.applicant import bp
from portal.forms.base import Form
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.rendering import render_page
from portal.rules import waves as rules
from portal.services import waves


class JoinForm(Form):
    # The consent added in August 2020: joining confirms the application's data is valid.
    consent = BooleanField(
        _l("I confirm that the data in my application is valid and true"),
        validators=[DataRequired(_l("Confirm that your data is valid to join the wave"))],
    )


@bp.route("/gelombang", methods=["GET", "POST"])
def wave_join():
    """The open wave, its close time and the confirmation; joining takes the applicant back to their page.

    A valid POST goes straight to the one-statement join (services.waves.join): no status is worked out first,
    so the busiest request of a wave opening stays cheap.
    """
    application = g.application
    form = JoinForm()
    if form.validate_on_submit():
        waves.join(application)  # a DomainError goes back to the task list with its message
        wave = waves.open_wave()
        flash(_("You have joined wave %(number)d. The draw takes place after the wave closes.",
                number=wave.number) if wave else _("You have joined the wave."), "success")
        return see_other(url_for(".task_list"))
    current = waves.status_for(application)
    if current is None or current.name != rules.CAN_JOIN:
        return see_other(url_for(".task_list"))  # nothing to join, or joined already (a second tap)
    return render_page("applicant/wave_join.html", form=form, wave=current.wave)
