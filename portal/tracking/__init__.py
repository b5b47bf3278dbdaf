"""Public pages for walk-ins and everyone who has a reference number: the status check (/status) and
claiming an online account for a walk-in record (/klaim). No sign-in needed."""

from flask import Blueprint

bp = Blueprint("tracking", __name__)
