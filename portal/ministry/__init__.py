"""The ministry's screens (/kementerian): the selection team reviews closed batches and ratifies them.

Only ministry reviewers (portal.guards); they see the batches of every office.
"""

from flask import Blueprint

from portal.guards import staff_guard
from portal.roles import REVIEWER

bp = Blueprint("ministry", __name__, url_prefix="/kementerian")
bp.before_request(staff_guard(REVIEWER))
