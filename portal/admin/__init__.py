"""The administrator's screens (/admin): offices and staff accounts."""

from flask import Blueprint

from portal.roles import ADMIN, staff_guard

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(staff_guard(ADMIN))
