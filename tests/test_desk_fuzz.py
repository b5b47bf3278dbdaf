"""Fuzzing the walk-in desk as a signed-in officer: every desk route, random and hostile values in every
field of its forms, query and path; never a 500, never a traceback (the applicant-side fuzz in test_fuzz.py
only reaches the desk's 404s)."""

from conftest import sign_in_staff
from portal.extensions import limiter
from test_fuzz import PROFILE, forms_on, fuzz_routes, routes
from walkin_support import make_walkin


def desk_forms(app, client, reference):
    """The desk pages' forms (the entry page, find, record actions), by the endpoint they post to."""
    return forms_on(app, client, [
        "/petugas/meja/", "/petugas/meja/baru", f"/petugas/meja/data/{reference}",
        f"/petugas/meja/data/{reference}/tarik", f"/petugas/meja/data/{reference}/nomor-hp",
        "/petugas/meja/sengketa-nik"])


def test_no_desk_input_gives_a_500(app, make_staff, capsys):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter.enabled = False
    officer = make_staff("officer")
    record = make_walkin(app, officer)
    client = app.test_client()
    assert sign_in_staff(client, "officer@kantor.id").status_code == 303
    forms, path_values = desk_forms(app, client, record.reference)
    desk_routes = [(rule, methods) for rule, methods in routes(app) if rule.endpoint.startswith("desk.")]
    sent = fuzz_routes(app, client, desk_routes, forms, path_values)
    with capsys.disabled():
        print(f"\nfuzz ({PROFILE}), officer at the desk: {sent} requests to {len(desk_routes)} desk routes, "
              f"forms found for {len(forms)} of them")
    assert len(forms) >= 5
