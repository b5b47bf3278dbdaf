"""The office desk (/petugas/meja): officers key walk-ins' paper forms; supervisors close the office's batches.

Only officers and supervisors, each seeing only their own office's records (portal.guards). Rule messages
here speak to the officer about the applicant (portal.rules.voice).
"""

from flask import Blueprint, request
from flask_login import current_user

from portal.guards import staff_guard
from portal.roles import OFFICER, SUPERVISOR
from portal.rules.voice import speak_to_staff

bp = Blueprint("desk", __name__, url_prefix="/petugas/meja")
bp.before_request(staff_guard(OFFICER, SUPERVISOR))
bp.before_request(speak_to_staff)


def actor():
    """The signed-in officer or supervisor, as the services take it."""
    return current_user._get_current_object()


def client_ip():
    return request.remote_addr
