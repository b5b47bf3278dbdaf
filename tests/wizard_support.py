"""Answers that complete each wizard step, for tests that need an application in a given state."""

KTP = {
    "nik": "3201014512900001",
    "birth_date-day": "5",
    "birth_date-month": "12",
    "birth_date-year": "1990",
    "kk_number": "3201010101010001",
}
NAME = {"full_name": "Ani Lestari", "birth_place": "Bogor"}
ADDRESS = {
    "province": "32",
    "regency": "32.01",
    "district": "32.01.01",
    "village": "32.01.01.1001",
    "street": "Jl. Mawar No. 3",
    "rt": "003",
    "rw": "011",
    "postal_code": "16914",
}
WORK = {"education": "sma", "employment": "laid_off"}
DECLARATIONS = {"not_in_education": "y", "not_excluded": "y", "aid": ["none"], "training_field": "digital"}

STEPS = [
    ("/pendaftaran/ktp", KTP),
    ("/pendaftaran/ktp/konfirmasi", {}),
    ("/pendaftaran/data-diri/nama", NAME),
    ("/pendaftaran/data-diri/alamat-ktp", ADDRESS),
    ("/pendaftaran/data-diri/domisili", {"domicile_same": "yes"}),
    ("/pendaftaran/data-diri/pendidikan-pekerjaan", WORK),
    ("/pendaftaran/data-diri/pernyataan", DECLARATIONS),
]


def complete_sections(client, **overrides):
    """Answer every step (overrides replace a step's answers by URL); returns the last response."""
    response = None
    for url, data in STEPS:
        response = client.post(url, data=overrides.get(url, data))
        assert response.status_code == 303, (url, response.get_data(as_text=True)[-2000:])
    return response
