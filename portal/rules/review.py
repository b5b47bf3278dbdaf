"""The checks a ministry reviewer sees on a walk-in record: the same rules the online channel applies.

Each check is a warning, not a verdict: the reviewer decides. A record with no warning may be accepted in
bulk. `SUGGESTED_REASON` maps a warning to the return reason it most likely leads to.
"""

from portal.i18n import lazy_gettext as _l
from portal.rules.completeness import walkin_missing
from portal.rules.eligibility import age_problem
from portal.rules.nik import check_kk, check_nik

WARNINGS = {
    "nik": _l("The NIK does not match the date of birth or is not a valid NIK"),
    "kk": _l("The KK number is not valid"),
    "age": _l("Younger than 18"),
    "in_education": _l("Did not declare being out of formal education"),
    "excluded": _l("Did not declare being outside the groups that may not join"),
    "incomplete": _l("Information missing"),
    "kk_shared": _l("The KK number is also on other applications"),
    "phone_shared": _l("The mobile number is also on other applications"),
    "nik_dispute": _l("A NIK dispute is open for this NIK"),
}
SUGGESTED_REASON = {
    "nik": "nik_kk", "kk": "nik_kk", "age": "not_eligible.age", "in_education": "not_eligible.in_education",
    "excluded": "not_eligible.excluded", "incomplete": "incomplete", "kk_shared": "duplicate",
    "phone_shared": "duplicate", "nik_dispute": "nik_kk",
}


def record_warnings(application, kk_others=0, phone_others=0, disputed=False, today=None):
    """The warning keys of one record; `kk_others`/`phone_others` count other applications sharing them."""
    found = []
    if not application.nik or check_nik(application.nik, application.birth_date, today=today).errors:
        found.append("nik")
    if not application.kk_number or check_kk(application.kk_number)[1]:
        found.append("kk")
    if application.birth_date and age_problem(application.birth_date, on=today):
        found.append("age")
    if application.not_in_education is False:
        found.append("in_education")
    if application.not_excluded is False:
        found.append("excluded")
    missing = {key for key, _label in walkin_missing(application)}
    if "in_education" in found or "excluded" in found:
        # A declaration answered "no" is its own warning, not missing information.
        if application.aid and application.training_field:
            missing.discard("declarations")
    if missing:
        found.append("incomplete")
    if kk_others:
        found.append("kk_shared")
    if phone_others:
        found.append("phone_shared")
    if disputed:
        found.append("nik_dispute")
    return found
