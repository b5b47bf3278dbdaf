"""Fuzzing the PMO's screens as a signed-in PMO user: every pmo route, random and hostile values in every field
of its forms, query and path; never a 500, never a traceback (test_fuzz.py only reaches their 404s)."""

from walkin_support import office, walkin
from conftest import sign_in_staff
from portal.extensions import limiter
from portal.models import Account, Batch, NikDispute, utcnow
from test_fuzz import PROFILE, forms_on, fuzz_routes, routes


def test_no_pmo_input_gives_a_500(app, make_staff, capsys, sms):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter.enabled = False
    pmo = make_staff("pmo")
    with app.app_context():
        batch = Batch.create(office=office(), number=1, status="ratified", closed_at=utcnow(), record_count=3)
        dispute = NikDispute.create(nik="3273014512900001", claimant_name="Siti", contact_phone="+6281377770000",
                                    office=office(), recorded_by=Account.get_by_id(pmo.id))
    records = [walkin(app, "ratified", batch=batch, not_in_education=n != 0) for n in range(3)]
    client = app.test_client()
    assert sign_in_staff(client, "pmo@kantor.id").status_code == 303
    forms, path_values = forms_on(app, client, [
        "/pmo/", f"/pmo/batch/{batch.id}", f"/pmo/batch/{batch.id}/kukuhkan-semua",
        f"/pmo/catatan/{records[0].id}/tolak", f"/pmo/sengketa-nik/{dispute.id}"])
    pmo_routes = [(rule, methods) for rule, methods in routes(app) if rule.endpoint.startswith("pmo.")]
    sent = fuzz_routes(app, client, pmo_routes, forms, path_values)
    with capsys.disabled():
        print(f"\nfuzz ({PROFILE}), PMO: {sent} requests to {len(pmo_routes)} pmo routes, "
              f"forms found for {len(forms)} of them")
    assert len(forms) >= 4
