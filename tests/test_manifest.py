"""A batch's manifest: pinned canonical format, and any edit to a record after closing changes it."""

import datetime

from portal.models import Address, Application
from portal.rules.manifest import EXPORT_FIELDS, digest, export_row
from portal.services.batches import compute_manifest, manifest_matches, open_batch


def test_the_canonical_format_is_pinned():
    record = Application(reference="PK-7G4M-2QXA", nik="3201014512900001", birth_date=datetime.date(1990, 12, 5),
                         full_name="Siti\tAminah", ktp_seen=True, statement_signed=False)
    ktp = Address(kind="ktp", region_code="32.01.01.2001", street="Jl. Mawar 1", rt="001", rw="002",
                  postal_code="16911")
    row = export_row(record, {"ktp": ktp})
    assert len(row) == len(EXPORT_FIELDS)
    assert row[:6] == ["PK-7G4M-2QXA", "3201014512900001", "", "Siti Aminah", "", "1990-12-05"]
    assert row[EXPORT_FIELDS.index("address_ktp")] == "32.01.01.2001|Jl. Mawar 1|001|002|16911"
    assert row[EXPORT_FIELDS.index("ktp_seen")] == "1"
    # Changing this value means every manifest already printed can no longer be recomputed.
    assert digest([row]) == "f485023bb3fd4d8392ab2b642d4e615fc4037a2b267b16e2b6e2ba5938889c26"
    assert digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_an_edit_after_closing_breaks_the_manifest(app, make_staff):
    officer = make_staff("officer")
    with app.app_context():
        batch = open_batch(officer.office)
        for i in range(3):
            Application.create(channel="walkin", status="closed", office=officer.office, batch=batch,
                               reference=f"PK-0000-000{i}", nik=f"320101451290000{i}", full_name=f"Orang {i}")
        batch.record_count, batch.manifest_sha256 = compute_manifest(batch)
        batch.save()
        assert batch.record_count == 3 and manifest_matches(batch)
        Application.update(full_name="Orang Lain").where(Application.reference == "PK-0000-0001").execute()
        assert not manifest_matches(batch)
