"""Public pages: the home page and the language switch."""

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from portal.htmx import see_other
from portal.navigation import local_path
from portal.rendering import render_page

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What the portal is, what it costs in data, and where to start."""
    if current_user.is_authenticated:
        return see_other(url_for("applicant.task_list"))
    return render_page("main/home.html")


@bp.route("/bahasa/<code>")
def language(code):
    """Remember the chosen language in a cookie and go back to the page the visitor was on."""
    response = see_other(local_path(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            "lang", code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax", secure=request.is_secure
        )
    return response
