"""Finding a village by typing (issue 9): the reference table, the search, its page and fragment, and choosing."""

import re

import pytest

from portal.services import villages as search_service
from wizard_support import KTP, NAME

ADDRESS_STEP = "/pendaftaran/data-diri/alamat-ktp"
CIBUNGBULANG_SUKAMAJU = "Desa Sukamaju, Kec. Cibungbulang, Kab. Bogor, Prov. Jawa Barat"


def found(app, text, **kwargs):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        result = search_service.search(text, **kwargs)
        return result, [search_service.label(v) for v in result.villages], str(result.problem)


def code_of(app, label_wanted, text):
    with app.test_request_context():
        return next(v.code for v in search_service.search(text).villages + search_service.search(text, near="32.01").villages
                    if search_service.label(v) == label_wanted)


def test_sukamaju_lists_villages_with_their_district_regency_and_province(app, villages):
    result, labels, _ = found(app, "sukamaju", near="32.01")
    assert len(labels) == search_service.LIMIT and result.more
    assert labels[0].endswith("Kab. Bogor, Prov. Jawa Barat") and CIBUNGBULANG_SUKAMAJU in labels
    assert all(label.split(",")[0] in ("Desa Sukamaju", "Kel. Sukamaju") for label in labels)


def test_kelurahan_and_kota_are_named_as_on_a_ktp(app, villages):
    _, labels, _ = found(app, "kotabaru gondokusuman")
    assert labels == ["Kel. Kotabaru, Kec. Gondokusuman, Kota Yogyakarta, Prov. Daerah Istimewa Yogyakarta"]
    _, labels, _ = found(app, "pondok rajeg")
    assert "Kel. Pondok Rajeg, Kec. Cibinong, Kab. Bogor, Prov. Jawa Barat" in labels


@pytest.mark.parametrize("typed", ["Sukamaju", "  SUKA maju ", "suka-maju", "Desa Sukamaju", "sukamaju"])
def test_case_spaces_and_the_word_desa_do_not_matter(app, villages, typed):
    assert found(app, typed)[1] == found(app, "sukamaju")[1]


def test_ranking_whole_name_then_name_start_then_a_later_word(app, villages):
    _, labels, _ = found(app, "maju")
    names = [label.split(",")[0].split(" ", 1)[1] for label in labels]
    assert names[0] == "Maju"
    whole = [n for n in names if n == "Maju"]
    starting = [n for n in names if n != "Maju" and n.startswith("Maju")]
    assert names == whole + starting + [n for n in names if n not in whole + starting]
    # A later word matches too: "Jaya" finds "Sukajaya"? No: word prefixes only, so "Suka Jaya" but not "Sukajaya".
    _, labels, _ = found(app, "rajeg")
    assert any(label.startswith("Kel. Pondok Rajeg,") for label in labels)
    assert not any("ajeg" in label.split(",")[0].lower() for label in found(app, "ajeg")[1])


def test_the_applicants_own_regency_comes_first_and_place_words_narrow(app, villages):
    _, anywhere, _ = found(app, "sukamaju")
    _, near_bogor, _ = found(app, "sukamaju", near="32.01")
    assert not anywhere[0].endswith("Kab. Bogor, Prov. Jawa Barat")
    assert near_bogor[0].endswith("Kab. Bogor, Prov. Jawa Barat")
    result, labels, _ = found(app, "sukamaju bogor")
    assert labels and not result.more and all("Bogor" in label for label in labels)
    assert CIBUNGBULANG_SUKAMAJU in labels
    _, labels, _ = found(app, "sukamaju cibungbulang")
    assert labels == [CIBUNGBULANG_SUKAMAJU]


@pytest.mark.parametrize("typed, message", [
    ("", "Type at least 2 letters"), ("!!", "Type at least 2 letters"), ("\x00", "Type at least 2 letters"),
    ("s", "Type at least 2 letters"), ("x" * 101, "Enter at most 100 characters"),
])
def test_too_little_or_too_much_is_explained_not_searched(app, villages, typed, message):
    result, labels, problem = found(app, typed)
    assert labels == [] and message in problem


def test_nothing_found_is_said(app, villages, client):
    client.set_cookie("lang", "en")
    page = client.get("/wilayah/desa?q=qqqzzz").get_data(as_text=True)
    assert "No village name starts with “qqqzzz”" in page


@pytest.mark.parametrize("query", ["", "!!", "\x00", "x" * 5000, "%00", "sukamaju\x00bogor", "' OR 1=1 --", "%%__"])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_gets_a_message_not_an_error(app, villages, client, query, htmx):
    client.set_cookie("lang", "en")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/wilayah/desa", query_string={"q": query}, headers=headers)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("<html" in page) is not htmx
    assert re.search(r"Type at least 2 letters|Enter at most 100 characters|No village name starts|villages? found", page)


def test_the_fragment_is_the_results_alone_and_small(app, villages, client):
    client.set_cookie("lang", "en")
    response = client.get("/wilayah/desa?q=suka&mode=form&pick=/pendaftaran/data-diri/alamat-ktp",
                          headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "<form" not in fragment and response.headers["Vary"].find("HX-Request") >= 0
    assert len(response.get_data()) <= 12 * 1024
    assert fragment.count('name="desa"') == search_service.LIMIT
    assert 'data-hx-post="/pendaftaran/data-diri/alamat-ktp"' in fragment
    assert "More than 20 villages found" in fragment


def test_without_javascript_the_page_has_a_box_a_button_and_links_that_choose(app, villages, client):
    client.set_cookie("lang", "en")
    page = client.get("/wilayah/desa?q=sukamaju+cibungbulang&pick=/pendaftaran/data-diri/alamat-ktp").get_data(as_text=True)
    assert "<html" in page and 'type="search"' in page and ">Search</button>" in page
    code = code_of(app, CIBUNGBULANG_SUKAMAJU, "sukamaju")
    assert f'<a href="/pendaftaran/data-diri/alamat-ktp?desa={code}">{CIBUNGBULANG_SUKAMAJU}</a>' in page
    assert 'aria-live="polite"' in page and '<label class="label" for="q">' in page
    # Another site as the destination is dropped: the results are then plain text.
    page = client.get("/wilayah/desa?q=sukamaju&pick=//evil.example/x").get_data(as_text=True)
    assert "?desa=" not in page and 'value="//evil' not in page and "<li>Desa Sukamaju," in page


def at_address_step(client):
    for url, data in (("/pendaftaran/ktp", KTP), ("/pendaftaran/ktp/konfirmasi", {}), ("/pendaftaran/data-diri/nama", NAME)):
        assert client.post(url, data=data).status_code == 303


TYPED = {"street": "Jl. Mawar No. 3", "rt": "003", "rw": "011", "province": "11"}


def test_no_js_search_and_choice_keep_everything_typed(app, villages, applicant):
    at_address_step(applicant)
    page = applicant.post(ADDRESS_STEP, data={**TYPED, "desa_q": "sukamaju", "action": "village"}).get_data(as_text=True)
    assert 'value="Jl. Mawar No. 3"' in page and 'value="sukamaju"' in page
    code = code_of(app, CIBUNGBULANG_SUKAMAJU, "sukamaju")
    assert f'name="desa" value="{code}"' in page
    # The applicant's NIK was issued in Kabupaten Bogor: its villages come first.
    first = re.search(r'name="desa" value="[^"]+"[^>]*>([^<]+)<', page).group(1)
    assert first.endswith("Kab. Bogor, Prov. Jawa Barat")

    page = applicant.post(ADDRESS_STEP, data={**TYPED, "desa_q": "sukamaju", "desa": code}).get_data(as_text=True)
    assert f"Chosen: {CIBUNGBULANG_SUKAMAJU}" in page
    assert 'value="Jl. Mawar No. 3"' in page and 'value="003"' in page and 'value="011"' in page
    for level in ("32", "32.01", code.rsplit(".", 1)[0], code):
        assert f'<option selected value="{level}">' in page or f'value="{level}" selected' in page
    response = applicant.post(ADDRESS_STEP, data={**TYPED, "province": "32", "regency": "32.01",
                                                   "district": code.rsplit(".", 1)[0], "village": code,
                                                   "postal_code": re.search(r'name="postal_code"[^>]*value="(\d*)"', page).group(1)})
    assert response.status_code == 303
    from portal.models import Address

    with app.app_context():
        address = Address.get(Address.kind == "ktp")
        assert address.region_code == code and address.street == "Jl. Mawar No. 3"


def test_enter_in_another_box_with_the_search_empty_saves_the_step(app, villages, applicant):
    from wizard_support import ADDRESS

    at_address_step(applicant)
    response = applicant.post(ADDRESS_STEP, data={**ADDRESS, "desa_q": " ", "action": "village"})
    assert response.status_code == 303 and response.location.endswith("/pendaftaran/data-diri/domisili")


def test_a_second_address_on_one_page_names_its_result_buttons(app, villages, client):
    response = client.get("/wilayah/desa?dom_desa_q=sukamaju&mode=form&pick=/x&choose=dom_desa&field=dom_desa_q",
                          headers={"HX-Request": "true"})
    assert response.get_data(as_text=True).count('name="dom_desa"') == search_service.LIMIT
    response = client.get('/wilayah/desa?q=sukamaju&mode=form&pick=/x&choose="><script>&action=region-ktp',
                          headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<script>" not in fragment and fragment.count('"action": "region-ktp", "desa": "') == search_service.LIMIT


def test_htmx_choice_fills_the_lists_in_place_and_says_what_was_chosen(app, villages, applicant):
    at_address_step(applicant)
    code = code_of(app, CIBUNGBULANG_SUKAMAJU, "sukamaju")
    response = applicant.post(ADDRESS_STEP, data={**TYPED, "action": "region", "desa": code},
                              headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="street"' not in fragment
    assert 'data-hx-swap-oob="innerHTML"' in fragment and f"Chosen: {CIBUNGBULANG_SUKAMAJU}" in fragment
    assert f'value="{code}"' in fragment and 'name="village"' in fragment


def test_a_chosen_link_opens_the_step_with_the_village_selected(app, villages, applicant):
    at_address_step(applicant)
    code = code_of(app, CIBUNGBULANG_SUKAMAJU, "sukamaju")
    page = applicant.get(f"{ADDRESS_STEP}?desa={code}").get_data(as_text=True)
    assert f"Chosen: {CIBUNGBULANG_SUKAMAJU}" in page and 'name="village"' in page
    page = applicant.get(f"{ADDRESS_STEP}?desa=99.99.99.9999").get_data(as_text=True)
    assert "Chosen:" not in page


def test_loading_twice_writes_nothing_the_second_time(app, villages):
    from portal.models import Village, VillageKey, db

    with app.app_context(), db.connection_context():
        assert search_service.load() == 0
        assert Village.select().count() == 83762 and VillageKey.select().count() > 83762
