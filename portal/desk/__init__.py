"""The office desk (/petugas/meja): officers key walk-ins' paper forms; supervisors close the office's batches.

Only officers and supervisors, each seeing only their own office's records (portal.guards).
"""

from flask import Blueprint

from portal.guards import staff_guard
from portal.roles import OFFICER, SUPERVISOR

bp = Blueprint("desk", __name__, url_prefix="/petugas/meja")
bp.before_request(staff_guard(OFFICER, SUPERVISOR))
