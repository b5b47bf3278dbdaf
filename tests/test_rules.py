"""Domain rules without HTTP: NIK, KK, eligibility, regions and reference numbers."""

import re
from datetime import date

import pytest

from portal.rules import regions
from portal.rules.eligibility import age_problem, birthday
from portal.rules.nik import check_kk, check_nik
from portal.rules.reference import ALPHABET, new_reference, normalise

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "nik, born, sex",
    [
        ("3201010512900001", date(1990, 12, 5), "L"),  # a man: day as is
        ("3201014512900001", date(1990, 12, 5), "P"),  # a woman: day + 40
        ("3201017112900002", date(1990, 12, 31), "P"),  # 31 + 40
        ("3201014101000003", date(2000, 1, 1), "P"),  # 1 + 40, year 2000
        ("3201012902000004", date(2000, 2, 29), "L"),  # leap day
        ("3201016902000005", date(2000, 2, 29), "P"),  # a woman's leap day
        ("3201012902960006", date(1996, 2, 29), "L"),
        ("3276010101010007", date(2001, 1, 1), "L"),  # Kota Depok
        ("9101010202850008", date(1985, 2, 2), "L"),  # Papua, an older province code
        ("3201 0105 1290 0001", date(1990, 12, 5), "L"),  # typed with spaces
        ("3201-01-051290-0001", date(1990, 12, 5), "L"),  # or dashes
    ],
)
def test_real_world_nik_shapes_pass_and_give_the_sex(english, nik, born, sex):
    result = check_nik(nik, born, today=TODAY)
    assert result.errors == [] and result.sex == sex and result.birth_date == born
    assert len(result.digits) == 16 and result.digits.isdigit()


@pytest.mark.parametrize(
    "nik, born, message",
    [
        ("", None, "Enter your NIK"),
        ("32010105129O0001", None, "only include numbers"),  # letter O for zero
        ("320101051290001", None, "must be 16 digits; you entered 15"),
        ("32010105129000011", None, "must be 16 digits; you entered 17"),
        ("3201013212900001", None, "not a real date"),  # day 32
        ("3201017212900001", None, "not a real date"),  # day 32 + 40
        ("3201010013900001", None, "not a real date"),  # day 0
        ("3201010113900001", None, "not a real date"),  # month 13
        ("3201012902010001", None, "not a real date"),  # 29 Feb 2001
        ("3201013102900001", None, "not a real date"),  # 31 Feb
        ("3201010512900000", None, "cannot be 0000"),
        ("3201010512900001", date(1990, 12, 6), "(05-12-90) is not the date of birth you entered (06-12-90)"),
        ("3201014512900001", date(1991, 12, 5), "(05-12-90) is not the date of birth you entered (05-12-91)"),
    ],
)
def test_each_nik_mistake_has_its_own_message(english, nik, born, message):
    result = check_nik(nik, born, today=TODAY)
    assert result.errors and message in str(result.errors[0])


def test_an_unknown_region_prefix_only_warns(english):
    result = check_nik("9901010512900001", date(1990, 12, 5), today=TODAY)
    assert result.errors == []
    assert "990101" in str(result.warnings[0]) and "you can continue" in str(result.warnings[0])
    assert result.district is None


def test_a_known_prefix_names_the_district(english):
    assert check_nik("3201010512900001", today=TODAY).district == "Cibinong, Kabupaten Bogor, Jawa Barat"


@pytest.mark.parametrize(
    "kk, message",
    [
        ("3201010101010001", None),
        ("3201 0101 0101 0001", None),
        ("", "Enter your family card"),
        ("32010101010100A1", "only include numbers"),
        ("32010101", "must be 16 digits; you entered 8"),
        ("9901010101010001", "990101 is not one"),
        ("3200010101010001", "320001 is not one"),
        ("3201000101010001", "320100 is not one"),
    ],
)
def test_kk_number(english, kk, message):
    digits, problem = check_kk(kk)
    if message is None:
        assert problem is None and digits == kk.replace(" ", "")
    else:
        assert message in str(problem)


@pytest.mark.parametrize(
    "born, on, ok",
    [
        (date(2008, 11, 25), TODAY, True),  # 18 today
        (date(2008, 11, 26), TODAY, False),  # 18 tomorrow
        (date(1960, 1, 1), TODAY, True),
        (date(2008, 2, 29), date(2026, 2, 28), False),  # leap-day birthday: 18 on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), True),
        (date(2027, 1, 1), TODAY, False),  # the future
        (date(1899, 12, 31), TODAY, False),
    ],
)
def test_eligibility_by_age(english, born, on, ok):
    assert (age_problem(born, on) is None) == ok


def test_an_under_18_refusal_says_when_they_can_register(english):
    problem = str(age_problem(date(2009, 3, 10), TODAY))
    assert "at least 18" in problem and "10 March 2027" in problem


def test_birthday_of_a_leap_day_baby():
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert birthday(date(2000, 2, 29), 20) == date(2020, 2, 29)


def test_references_are_crockford_base32_and_not_sequential():
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    for ref in refs:
        assert re.fullmatch(r"PK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", ref)
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.parametrize("typed", ["PK-7G4M-2QXA", "pk-7g4m-2qxa", "7G4M2QXA", "PK 7G4M 2QXA"])
def test_typed_references_are_read_forgivingly(typed):
    assert normalise(typed) == "PK-7G4M-2QXA"
    assert normalise("PK-7G4M-2QXO") == "PK-7G4M-2QX0"
    assert normalise("PK-7G4M") is None


def test_region_selection_keeps_only_a_consistent_chain():
    assert regions.deepest_valid("32", "32.01", "32.01.01", "32.01.01.1001") == "32.01.01.1001"
    assert regions.deepest_valid("32", "33.01", "33.01.01", "") == "32"  # a regency from another province
    assert regions.deepest_valid("", "32.01", "", "") == ""
    assert len(regions.options()) == 38
    assert regions.postal_code("32.01.01.1001") == "16914"


def test_sealed_values_open_only_for_their_purpose_and_survive_key_rotation(app):
    from portal.sealing import InvalidToken, open_sealed, seal

    with app.app_context():
        token = seal("sms", "Kode Prakerja Anda: 123456")
        assert "123456" not in token
        assert open_sealed("sms", token) == "Kode Prakerja Anda: 123456"
        with pytest.raises(InvalidToken):
            open_sealed("totp", token)
        app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
        app.config["SECRET_KEY"] = "a-new-secret"
        assert open_sealed("sms", token) == "Kode Prakerja Anda: 123456"
