"""The staff entrance (/petugas): sign-in with a second factor, first-time setup, and the staff home page."""

from flask import Blueprint

from portal.guards import staff_guard

bp = Blueprint("staff", __name__, url_prefix="/petugas")
bp.before_request(staff_guard())
