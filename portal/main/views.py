"""Public pages: the home page and the language switch; photos for their owner and staff."""

import hashlib

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user

from portal import languages
from portal.htmx import see_other
from portal.models import Photo
from portal.navigation import local_path
from portal.pagecache import shared, shared_page
from portal.rendering import render_page
from portal.roles import APPLICANT, PHOTO_ROLES, home_endpoint
from portal.storage import storage

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What the portal is, what it costs in data, and where to start."""
    if current_user.is_authenticated:
        return see_other(url_for(home_endpoint(current_user)))
    if shared():
        return shared_page("main/home.html")
    return render_page("main/home.html")


# A thumbnail at this address may be kept by the browser that fetched it for a day: the address changes
# with the photo, and "Selesai dan bersihkan" clears the cache (Clear-Site-Data) on a shared terminal.
THUMB_CACHE = "private, max-age=86400, immutable"


def content_tag(key):
    """A short tag that changes whenever the stored file (and so its random key) does."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@bp.app_template_global()
def thumbnail_url(photo):
    """The address of a photo's thumbnail, tagged with its content so the browser need not fetch it twice."""
    return url_for("main.photo_file", photo_id=photo.id, variant="kecil", v=content_tag(photo.thumb_key))


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
    tagged = variant == "kecil" and request.args.get("v") == content_tag(key)
    # The full photo is never kept; nor is a thumbnail asked for without its tag (it could change under it).
    return data, 200, {"Content-Type": "image/jpeg", "Cache-Control": THUMB_CACHE if tagged else "no-store"}


@bp.route("/bahasa/<code>")
def language(code):
    """Remember the chosen language in a cookie (and on a logged-in applicant's account, for their notices) and
    go back to the page the visitor was on."""
    response = see_other(local_path(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated and current_user.role == APPLICANT:
            languages.remember(current_user, code)  # their notices follow (portal.languages)
        response.set_cookie(
            "lang", code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax", secure=request.is_secure
        )
    return response
