import pytest

from directory.rules import (
    UnknownPostcode,
    department_for_postcode,
    department_sort_key,
    fund_name,
    normalise_department_code,
    normalise_text,
    phone_digits,
)
from directory.search import search_words, town_words, words_match


@pytest.mark.parametrize(
    ("postcode", "department_code"),
    [
        ("01015", "01"),
        ("69003", "69"),
        ("75019", "75"),
        ("95017", "95"),
        ("20000", "2A"),  # Ajaccio
        ("20100", "2A"),  # Sartène
        ("20702", "2A"),  # AJACCIO CEDEX 9, in the seed
        ("20200", "2B"),  # Bastia
        ("20406", "2B"),  # BASTIA CEDEX, in the seed
        ("20600", "2B"),
        ("97159", "971"),
        ("97210", "972"),
        ("97307", "973"),
        ("97410", "974"),
        ("97600", "976"),  # Mayotte: a real postcode, even though no fund of the directory
        ("97500", "975"),
        ("97133", "971"),  # Saint-Barthélemy uses Guadeloupe's postcodes
        ("97704", "974"),  # La Réunion's CEDEX codes (seed: CGSS, SAINT DENIS MESSAG CEDEX 9)
        (" 69003 ", "69"),
    ],
)
def test_postcode_gives_its_department(postcode, department_code):
    assert department_for_postcode(postcode) == department_code


@pytest.mark.parametrize(
    "postcode",
    [
        "00000",
        "96000",
        "20800",
        "20900",
        "1234",
        "123456",
        "ABCDE",
        "98000",
        "97900",
        "97800",
        "",
        "6900A",
    ],
)
def test_invalid_postcode_is_refused(postcode):
    with pytest.raises(UnknownPostcode):
        department_for_postcode(postcode)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1", "01"),
        ("01", "01"),
        ("2a", "2A"),
        ("2B", "2B"),
        ("974", "974"),
        ("976", "976"),
        (" 69 ", "69"),
        ("20", None),
        ("00", None),
        ("96", None),
        ("979", None),
        ("2C", None),
        ("Ain", None),
        ("", None),
    ],
)
def test_department_code_is_normalised(text, code):
    assert normalise_department_code(text) == code


def test_sort_key_puts_corsica_between_19_and_21_and_overseas_last():
    codes = ["971", "21", "2B", "01", "974", "19", "2A", "95", "10"]
    assert sorted(codes, key=department_sort_key) == [
        "01",
        "10",
        "19",
        "2A",
        "2B",
        "21",
        "95",
        "971",
        "974",
    ]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("Côte-d'Or", "cote d or"),
        ("Côtes-d’Armor", "cotes d armor"),
        ("  La   Réunion ", "la reunion"),
        ("Alpes (Hautes)", "alpes hautes"),
        ("BOURG EN BRESSE CEDEX", "bourg en bresse cedex"),
    ],
)
def test_text_is_normalised_as_people_type_it(text, normalised):
    assert normalise_text(text) == normalised


@pytest.mark.parametrize(
    ("kind", "charniere", "department_name", "name"),
    [
        ("CPAM", "de l'", "Ain", "CPAM de l'Ain"),
        ("CPAM", "du", "Rhône", "CPAM du Rhône"),
        ("CPAM", "de la", "Loire", "CPAM de la Loire"),
        ("CPAM", "des", "Hautes-Alpes", "CPAM des Hautes-Alpes"),
        ("CPAM", "de", "Paris", "CPAM de Paris"),
        ("CPAM", "d'", "Eure-et-Loir", "CPAM d'Eure-et-Loir"),
        ("CGSS", "de La", "La Réunion", "CGSS de La Réunion"),
        ("CGSS", "de La", "Réunion", "CGSS de La Réunion"),
        ("CGSS", "de la", "Guyane", "CGSS de la Guyane"),
    ],
)
def test_fund_name_joins_kind_charniere_and_department(kind, charniere, department_name, name):
    assert fund_name(kind, charniere, department_name) == name


@pytest.mark.parametrize(
    ("phone", "digits"),
    [
        ("04 74 45 84 84", "0474458484"),
        ("0 820 904 191", "0820904191"),
        ("0820 90 41 85", "0820904185"),
        ("36 46", "3646"),
        ("04.74.45.84.84", "0474458484"),
        ("+33 4 74 45 84 84", "+33474458484"),
    ],
)
def test_phone_digits_are_what_a_tel_link_dials(phone, digits):
    assert phone_digits(phone) == digits


def test_search_words_expand_the_usual_abbreviations():
    assert search_words("St-Étienne") == ("saint", "etienne")
    assert search_words("Alpes de Hte Provence") == search_words("Alpes-de-Haute-Provence")


def test_town_words_stop_before_cedex():
    assert town_words("LYON CEDEX 06") == ("lyon",)
    assert town_words("SAINT-LO") == ("saint", "lo")


@pytest.mark.parametrize(
    ("query", "name", "matches"),
    [
        ("lyon", "LYON CEDEX 06", True),
        ("lyo", "LYON CEDEX 06", True),  # still typing
        ("saint etienne", "SAINT ETIENNE CEDEX 1", True),
        ("ain", "Ain", True),
        ("ain", "SAINT QUENTIN CEDEX", False),  # whole words only
        ("etienne saint", "SAINT ETIENNE CEDEX 1", False),  # in order
        ("reunion", "La Réunion", True),
        ("hautes alpes", "Hautes-Alpes", True),
    ],
)
def test_words_match_whole_words_in_order(query, name, matches):
    assert words_match(search_words(query), search_words(name)) is matches
