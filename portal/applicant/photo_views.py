"""Wizard section "Foto": the KTP photo and a selfie holding it, each uploaded and retried on its own."""

from flask import current_app, flash, g, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.applicant import bp, load_application
from portal.applicant.steps import carried, show_error
from portal.domain import DomainError
from portal.errors import render_error
from portal.forms.contact import PhotoForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.rendering import render_page
from portal.roles import APPLICANT
from portal.security import allows_upload
from portal.services.photos import KINDS, PROBLEMS, photos_of, save_photo


def photos_page(failed=None, status=200):
    """Both upload forms; the one that failed keeps its message (the other is blank: it was not sent)."""
    uploads = {kind: failed if failed and failed._prefix == f"{kind}-" else PhotoForm(prefix=kind, formdata=None)
               for kind in KINDS}
    return render_page("applicant/photos.html", status=status, uploads=uploads, form=failed,
                       photos=photos_of(g.application), application=g.application)


@bp.route("/foto")
def photos():
    return photos_page()


@bp.route("/foto/<kind>", methods=["POST"])
@allows_upload
def photo_upload(kind):
    """Receive one photo (shrunk in the browser when JavaScript runs, full size otherwise)."""
    if kind not in KINDS:
        return see_other(url_for(".photos"))
    form = PhotoForm(prefix=kind)
    upload = form.photo.data
    data = upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1) if upload else b""
    if form.validate_on_submit():
        try:
            save_photo(g.application, current_user._get_current_object(), kind, data)
        except DomainError as error:
            show_error(form, error)
            return photos_page(failed=form)
        flash(_("Photo saved."), "success")
        if carried():
            return see_other(url_for(".check"))
        done = len(photos_of(g.application)) == len(KINDS)
        return see_other(url_for(".task_list" if done else ".photos"))
    return photos_page(failed=form)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A photo over the limit (sent whole without JavaScript): the photo page again, the message at its field.

    The body is refused before the view and its guard run, so the applicant is checked here.
    """
    kind = (request.view_args or {}).get("kind")
    applicant = current_user.is_authenticated and current_user.role == APPLICANT
    letter = request.endpoint == "applicant.letter_upload"  # the signed statement letter's photo
    if not applicant or not (letter or (request.endpoint == "applicant.photo_upload" and kind in KINDS)):
        return render_error(error)
    sent = load_application()
    if sent is not None:
        return sent
    if letter:
        from portal.applicant.letter_views import letter_too_large

        return letter_too_large()
    form = PhotoForm(prefix=kind, formdata=None)  # the body cannot be read: it is over the limit
    form.photo.errors = [PROBLEMS["too_large"]]
    return photos_page(failed=form, status=413)
