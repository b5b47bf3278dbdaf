"""Public pages: the home page and the language switch."""

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user

from portal.htmx import see_other
from portal.models import Photo
from portal.navigation import local_path
from portal.rendering import render_page
from portal.roles import PHOTO_ROLES, home_endpoint
from portal.storage import storage

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What the portal is, what it costs in data, and where to start."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    return render_page("main/home.html")


@bp.route("/foto/<int:photo_id>/<variant>")
def photo_file(photo_id, variant):
    """A stored photo, only for its owner and staff who need it; anyone else is told it does not exist."""
    photo = Photo.get_or_none(Photo.id == photo_id)
    if photo is None or variant not in ("besar", "kecil") or not current_user.is_authenticated:
        abort(404)
    if current_user.role not in PHOTO_ROLES and photo.application.account_id != current_user.id:
        abort(404)
    key = photo.image_key if variant == "besar" else photo.thumb_key
    try:
        data = storage().read(key)
    except FileNotFoundError:
        abort(404)
    return data, 200, {"Content-Type": "image/jpeg", "Cache-Control": "no-store"}


@bp.route("/bahasa/<code>")
def language(code):
    """Remember the chosen language in a cookie and go back to the page the visitor was on."""
    response = see_other(local_path(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            "lang", code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax", secure=request.is_secure
        )
    return response
