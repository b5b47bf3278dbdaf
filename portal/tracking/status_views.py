"""The public status check (/status): reference number and date of birth in, status name and reason out."""

from portal.i18n import lazy_gettext as _l
from portal.rendering import render_page
from portal.services import tracking
from portal.tracking import bp, limits
from portal.tracking.forms import ReferenceForm

NOT_FOUND = _l("We could not find an application with this reference number and date of birth. Check both "
               "against your receipt and your KTP, and try again.")


@bp.route("/status", methods=["GET", "POST"])
def status_check():
    """Anyone with a reference number and the date of birth on it sees the status and its reason."""
    form = ReferenceForm()
    answer = None
    if form.validate_on_submit():
        taken, wait = limits.take("status", form.reference.data)
        if wait:
            form.form_errors.append(limits.wait_message(wait))
            return render_page("tracking/status_check.html", status=429, form=form, answer=None)
        answer = tracking.status_of(form.reference.data, form.birth_date.data)
        if answer is None:
            form.form_errors.append(NOT_FOUND)
        else:
            limits.succeeded(taken)
    return render_page("tracking/status_check.html", form=form, answer=answer)
