"""What a record still lacks before it can go on, by channel (DESIGN.md 2.1 and 2.2).

An online application needs every task-list section (photos and a verified number included). A walk-in
has no photos, and its number may stay unconfirmed when the applicant has no working SMS; instead the
officer ticks that the original e-KTP was seen and that the applicant signed the statement.
"""

from portal.i18n import lazy_gettext as _l
from portal.services.applications import PERSONAL_STEPS, step_done

WALKIN_CHECKS = [
    ("nik", _l("NIK, date of birth and KK number"),
     lambda a: bool(a.nik and a.birth_date and a.kk_number)),
    *[(step, label, lambda a, step=step: step_done(a, step)) for step, label in zip(PERSONAL_STEPS, [
        _l("Name and place of birth"), _l("KTP address"), _l("Domicile"), _l("Education and work"),
        _l("Declarations, aid and training")])],
    ("phone", _l("Mobile number"), lambda a: bool(a.phone)),
    ("ktp_seen", _l("Original e-KTP seen by the officer"), lambda a: a.ktp_seen),
    ("statement_signed", _l("Applicant statement signed"), lambda a: a.statement_signed),
]


def walkin_missing(application):
    """(key, label) of each part a walk-in record still lacks; empty when it is complete."""
    return [(key, label) for key, label, done in WALKIN_CHECKS if not done(application)]
