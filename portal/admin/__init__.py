"""The administrator's screens (/admin): offices and staff accounts."""

from flask import Blueprint

from portal.guards import staff_guard
from portal.roles import ADMIN

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(staff_guard(ADMIN))
