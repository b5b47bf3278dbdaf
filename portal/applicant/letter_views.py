"""The statement letter (surat pernyataan) after three waves without success: where the applicant stands, the
letter filled in for printing, and the photo of the signed letter, uploaded like the KTP photo."""

from flask import abort, current_app, flash, g, url_for
from flask_babel import force_locale
from markupsafe import Markup

from portal.applicant import bp
from portal.applicant.steps import show_error
from portal.domain import DomainError
from portal.forms.contact import PhotoForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.models import StatementLetter, utcnow
from portal.rendering import render_block, render_page
from portal.security import allows_upload
from portal.services import letters
from portal.storage import storage

PREFIX = "letter"
VARIANTS = {"besar": "image_key", "kecil": "thumb_key"}


def letter_page(form=None, status=200):
    """The letter's state and, while one is needed, the three steps: print, sign on a duty stamp, upload."""
    state = letters.state_for(g.application)
    form = form or PhotoForm(prefix=PREFIX, formdata=None)
    return render_page("applicant/letter.html", status=status, state=state, upload=form,
                       form=form if form.errors else None, application=g.application)


@bp.route("/surat-pernyataan")
def letter():
    return letter_page()


@bp.route("/surat-pernyataan/cetak")
def letter_print():
    """The letter filled in with the applicant's details, on an A4 page that prints from any browser."""
    state = letters.state_for(g.application)
    if not state.can_upload:
        return see_other(url_for(".letter"))
    # The letter is a statement to an Indonesian programme: it is in Indonesian whatever the page's language.
    with force_locale("id"):
        sheet = Markup(render_block("applicant/letter_print.html", "sheet", application=g.application,
                                    state=state, today=utcnow().date()))
    return render_page("applicant/letter_print.html", sheet=sheet, state=state, application=g.application)


@bp.route("/surat-pernyataan/foto", methods=["POST"])
@allows_upload
def letter_upload():
    """Receive the photo of the signed letter (shrunk in the browser when JavaScript runs, full size otherwise)."""
    form = PhotoForm(prefix=PREFIX)
    upload = form.photo.data
    data = upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1) if upload else b""
    if not form.validate_on_submit():
        return letter_page(form)
    try:
        letters.save_letter(g.application, data)
    except DomainError as error:
        show_error(form, error)
        return letter_page(form)
    flash(_("Photo of your letter saved. The programme office will review it."), "success")
    return see_other(url_for(".letter"))


@bp.route("/surat-pernyataan/<int:letter_id>/<variant>")
def letter_image(letter_id, variant):
    """The photo of one of the applicant's own letters; any other letter does not exist for them."""
    letter = StatementLetter.get_or_none(StatementLetter.id == letter_id,
                                         StatementLetter.application == g.application.id)
    return letter_file(letter, variant)


def letter_file(letter, variant):
    """A letter's stored photo, never kept by a browser or proxy."""
    if letter is None or variant not in VARIANTS or not getattr(letter, VARIANTS[variant]):
        abort(404)
    try:
        data = storage().read(getattr(letter, VARIANTS[variant]))
    except (FileNotFoundError, KeyError):
        abort(404)
    return data, 200, {"Content-Type": "image/jpeg", "Cache-Control": "no-store"}


def letter_too_large():
    """The letter page again, the size message at its field (photo_views' handler of oversized bodies calls it)."""
    form = PhotoForm(prefix=PREFIX, formdata=None)  # the body cannot be read: it is over the limit
    form.photo.errors = [letters.LETTER_PROBLEMS["too_large"]]
    return letter_page(form, status=413)
