"""Fuzzing the ministry's, the returned-records and the quota forms as the staff who use them: never a 500,
never a traceback, and nothing decided by a value that is not one of the form's choices."""

import logging

from hypothesis import given, settings
from hypothesis import strategies as st
from ministry_support import review_world, staff_email

from conftest import create_staff, sign_in_staff
from portal.extensions import limiter
from portal.models import Application
from portal.rules import status
from test_fuzz import PROFILE, Failures, fuzz_text

DECISION = {"decision": st.one_of(st.sampled_from(["accept", "return"]), fuzz_text),
            "reason": st.one_of(st.sampled_from(["duplicate", "not_eligible.age", "other", ""]), fuzz_text),
            "note": fuzz_text}
DATE = {f"decree_date-{part}": fuzz_text for part in ("day", "month", "year")}
RATIFY = {"action": st.one_of(st.sampled_from(["check", "ratify"]), fuzz_text), "decree_number": fuzz_text, **DATE}
QUOTA = {"province": st.one_of(st.sampled_from(["32", "33", ""]), fuzz_text), "amount": fuzz_text,
         **{f"{name}-{part}": fuzz_text for name in ("starts_on", "ends_on") for part in ("day", "month", "year")}}
PAGE = st.one_of(fuzz_text, st.integers(-(10**30), 10**30).map(str))


def test_no_input_to_the_review_forms_gives_a_500(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter.enabled = False
    world = review_world(app)
    for role, email in (("reviewer", "fuzz-reviewer@kantor.id"), ("admin", "fuzz-admin@kantor.id")):
        create_staff(app, role, email)
    clients = {}
    for email in ("fuzz-reviewer@kantor.id", "fuzz-admin@kantor.id", staff_email("officer", "DISNAKER-3201")):
        clients[email] = app.test_client()
        assert sign_in_staff(clients[email], email).status_code == 303
    reviewer, admin = clients["fuzz-reviewer@kantor.id"], clients["fuzz-admin@kantor.id"]
    officer = clients[staff_email("officer", "DISNAKER-3201")]
    batch = world["batch"]
    targets = [
        (reviewer, f"/kementerian/batch/{batch}/data/{world['record']}", DECISION),
        (reviewer, f"/kementerian/batch/{world['ratified']}/penetapan", RATIFY),
        (reviewer, f"/kementerian/batch/{batch}/terima-semua", {"expected": fuzz_text}),
        (admin, "/admin/kuota", QUOTA),
        (admin, f"/admin/kuota/{world['quota']}", QUOTA),
        (officer, f"/petugas/meja/dikembalikan/{world['returned']}", {"corrected": fuzz_text}),
    ]
    failures = Failures()
    logging.getLogger().addHandler(failures)
    try:
        for client, url, fields in targets:
            @settings(settings.get_profile(PROFILE))
            @given(form=st.fixed_dictionaries({}, optional=fields), page=PAGE,
                   hx=st.sampled_from([{}, {"HX-Request": "true"}]))
            def no_500(form, page, hx):
                failures.records.clear()
                posted = client.post(url, data=form, headers=hx)
                listed = reviewer.get(f"/kementerian/batch/{batch}/antrean", query_string={"page": page, "lihat": page})
                assert posted.status_code < 500 and listed.status_code < 500, (url, form, page)
                assert not failures.records, failures.format(failures.records[0])

            no_500()
    finally:
        logging.getLogger().removeHandler(failures)
        limiter.enabled = True
    with app.app_context():
        # A fuzzed decision is one of the form's: the record is accepted, returned with a listed reason, or undecided.
        record = Application.get_by_id(world["record"])
        assert record.status in (status.CLOSED, status.ACCEPTED, status.RETURNED)
        assert record.status != status.RETURNED or record.status_reason in status.REASONS
