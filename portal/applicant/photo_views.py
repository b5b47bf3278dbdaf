"""Wizard section "Foto": the KTP photo and a selfie holding it, each uploaded and retried on its own."""

from flask import current_app, flash, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.applicant import bp
from portal.applicant.steps import show_error
from portal.domain import DomainError
from portal.forms.contact import PhotoForm
from portal.htmx import see_other
from portal.rendering import render_page
from portal.security import allows_upload
from portal.services.photos import KINDS, photos_of, save_photo


def photos_page(failed=None, status=200):
    """Both upload forms; the one that failed keeps its message."""
    uploads = {kind: failed if failed and failed._prefix == f"{kind}-" else PhotoForm(prefix=kind) for kind in KINDS}
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
        if request.args.get("dari") == "periksa":
            return see_other(url_for(".check"))
        done = len(photos_of(g.application)) == len(KINDS)
        return see_other(url_for(".task_list" if done else ".photos"))
    return photos_page(failed=form)
