"""The programme office's screens (/pmo): confirming ratified candidates, NIK disputes, waves and selection,
statement letters. Only PMO staff (portal.guards).
"""

from flask import Blueprint

from portal.guards import staff_guard
from portal.roles import PMO

bp = Blueprint("pmo", __name__, url_prefix="/pmo")
bp.before_request(staff_guard(PMO))
