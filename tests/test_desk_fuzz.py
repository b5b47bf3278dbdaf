"""Fuzzing the walk-in desk as a signed-in officer: every desk route, random and hostile values in every
field of its forms, query and path; never a 500, never a traceback (the applicant-side fuzz in test_fuzz.py
only reaches the desk's 404s)."""

import logging

from hypothesis import given, settings

from conftest import sign_in_staff
from portal.extensions import limiter
from test_fuzz import PROFILE, Failures, Forms, FormFields, request_for, routes, send
from walkin_support import make_walkin


def desk_forms(app, client, reference):
    """The desk pages' forms (the entry page, find, record actions), by the endpoint they post to."""
    adapter = app.url_map.bind("localhost")
    found, path_values = {}, {}
    for path in ("/petugas/meja/", "/petugas/meja/baru", f"/petugas/meja/data/{reference}",
                 f"/petugas/meja/data/{reference}/tarik", f"/petugas/meja/data/{reference}/nomor-hp",
                 "/petugas/meja/sengketa-nik"):
        html = client.get(path).get_data(as_text=True)
        for action, forms in Forms(html, path).found.items():
            endpoint, values = adapter.match(action.split("?")[0], method="POST")
            known = found.setdefault(endpoint, FormFields())
            for name, choices in forms.fields.items():
                known.fields.setdefault(name, set()).update(choices)
            for name, value in values.items():
                path_values.setdefault(endpoint, {}).setdefault(name, set()).add(value)
    return found, path_values


def test_no_desk_input_gives_a_500(app, make_staff, capsys):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter.enabled = False
    officer = make_staff("officer")
    record = make_walkin(app, officer)
    client = app.test_client()
    assert sign_in_staff(client, "officer@kantor.id").status_code == 303
    forms, path_values = desk_forms(app, client, record.reference)
    adapter = app.url_map.bind("localhost")
    failures = Failures()
    logging.getLogger().addHandler(failures)
    sent = 0
    desk_routes = [(rule, methods) for rule, methods in routes(app) if rule.endpoint.startswith("desk.")]
    try:
        for rule, methods in desk_routes:
            @settings(settings.get_profile(PROFILE))
            @given(request=request_for(rule, methods, forms, path_values))
            def no_500(request):
                nonlocal sent
                failures.records.clear()
                response = send(client, adapter, rule, request)
                sent += 1
                assert response.status_code != 500, f"500 from {rule.rule}: {request}"
                assert not failures.records, f"{rule.rule} logged: {failures.format(failures.records[0])}"

            no_500()
    finally:
        logging.getLogger().removeHandler(failures)
        limiter.enabled = True
    with capsys.disabled():
        print(f"\nfuzz ({PROFILE}), officer at the desk: {sent} requests to {len(desk_routes)} desk routes, "
              f"forms found for {len(forms)} of them")
    assert len(forms) >= 5
