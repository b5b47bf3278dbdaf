"""What every wizard step shares: where Continue leads, and show-validate-save-redirect."""

from flask import g, request, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.htmx import see_other
from portal.rendering import render_page


def next_url(endpoint, **values):
    """Where Continue leads: back to the check page when the step was opened from there, else the next step."""
    if request.args.get("dari") == "periksa":
        return url_for("applicant.check")
    return url_for(endpoint, **values)


def show_error(form, error):
    """Put a rule's message next to its field; one for no field goes up to the blueprint's handler."""
    if error.field is None:
        raise error
    form[error.field].errors.append(error.message)


def run_step(form, template, save, next_endpoint, **context):
    """The shape of every wizard step: show the form; on a valid POST save it and go on (PRG)."""
    if form.validate_on_submit():
        try:
            save(g.application, current_user._get_current_object(), form)
        except DomainError as error:
            show_error(form, error)
        else:
            return see_other(next_url(next_endpoint))
    return render_page(template, form=form, application=g.application, **context)
