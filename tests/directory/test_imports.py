"""The CSV of offices: reading, checking and classifying, without a database."""

import csv
import io

import pytest

from directory.imports import (
    COLUMNS,
    FIELD_LABELS,
    MAX_LENGTHS,
    ImportPlan,
    Message,
    Outcome,
    describe,
    is_plausible_phone,
    line_problems,
    offices_csv,
    plan_import,
)
from directory.loading import DATA_DIR
from directory.models import Fund, Office

HEADER = ",".join(COLUMNS)
FUND_CODES = frozenset({"01", "06", "13", "2A", "69", "974"})
AIN = "01,Ain,place de la Grenouillère,,,01015,BOURG EN BRESSE CEDEX,04 74 45 84 84,"
NICE = '06,Alpes-Maritimes,"48, avenue Roi Robert",,,06100,NICE,04 92 09 40 00,'
LYON = "69,Rhône,rue Paul Lintier,,,69907,LYON CEDEX 20,36 46,prix d'un appel local"
SEED_TEXT = (DATA_DIR / "seed_offices.csv").read_text(encoding="utf-8")
SEED_CODES = frozenset(row["department_code"] for row in csv.DictReader(io.StringIO(SEED_TEXT)))


def csv_text(*lines: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *lines]) + "\r\n"


def plan(*lines: str, existing=None, header: str = HEADER) -> ImportPlan:
    return plan_import(csv_text(*lines, header=header), FUND_CODES, existing or {})


def refusals(result: ImportPlan) -> dict[int | None, list[str]]:
    """Line -> codes of the messages of each refused line."""
    assert not result.is_applicable
    return {line.line: [m.code for m in line.messages] for line in result.lines}


def current(**values: str) -> dict[str, str]:
    """An office of the directory as the service passes it: its compared fields."""
    base = {
        "department_code": "01",
        "address_line_1": "place de la Grenouillère",
        "address_line_2": "",
        "address_line_3": "",
        "phone": "04 74 45 84 84",
        "phone_note": "",
    }
    return base | values


# --- Good files -------------------------------------------------------------------------------


def test_every_line_of_the_seed_file_is_accepted_and_would_be_created():
    result = plan_import(SEED_TEXT, SEED_CODES, {})
    assert result.is_applicable
    assert result.count(Outcome.CREATED) == 129
    assert [line.line for line in result.lines] == list(range(2, 131))  # header is line 1


def test_a_good_file_is_read_into_offices_with_their_values():
    result = plan(AIN, NICE)
    assert result.is_applicable
    ain, nice = result.created()
    assert (ain.line, ain.department_code, ain.postcode, ain.city) == (
        2,
        "01",
        "01015",
        "BOURG EN BRESSE CEDEX",
    )
    assert nice.address_line_1 == "48, avenue Roi Robert"  # quoted comma kept in its field
    assert nice.phone_note == ""


def test_semicolon_delimiter_as_french_spreadsheets_save_it():
    text = csv_text(
        "01;Ain;place de la Grenouillère;;;01015;BOURG EN BRESSE CEDEX;04 74 45 84 84;",
        "06;Alpes-Maritimes;48, avenue Roi Robert;;;06100;NICE;04 92 09 40 00;",
        header=HEADER.replace(",", ";"),
    )
    result = plan_import(text, FUND_CODES, {})
    assert result.is_applicable
    assert [office.address_line_1 for office in result.created()] == [
        "place de la Grenouillère",
        "48, avenue Roi Robert",  # a comma is plain text in a file separated by semicolons
    ]


def test_byte_order_mark_of_excel_is_ignored():
    result = plan_import("\ufeff" + csv_text(AIN), FUND_CODES, {})
    assert result.is_applicable
    assert result.created()[0].department_code == "01"


def test_department_label_column_may_be_left_out():
    header = ",".join(name for name in COLUMNS if name != "department_label")
    result = plan(AIN.replace(",Ain,", ","), header=header)
    assert result.is_applicable


def test_columns_may_come_in_any_order_and_any_case():
    header = "POSTCODE,city,department_code,department_label,phone,phone_note,address_line_1,address_line_2,address_line_3"  # noqa: E501
    line = "01015,BOURG EN BRESSE CEDEX,01,Ain,04 74 45 84 84,,place de la Grenouillère,,"
    result = plan(line, header=header)
    assert result.created()[0].address_line_1 == "place de la Grenouillère"


def test_a_department_code_that_lost_its_leading_zero_in_a_spreadsheet_is_read_back():
    result = plan(AIN.replace("01,Ain", "1,Ain", 1))
    assert result.created()[0].department_code == "01"


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    multiline = '13,Bouches-du-Rhône,"56, chemin\nJoseph Aiguier",,,13297,MARSEILLE CEDEX 9,36 46,'
    text = csv_text(AIN, "", ",,,,,,,,", multiline, NICE, "")
    result = plan_import(text, FUND_CODES | {"13"}, {})
    assert [line.line for line in result.lines] == [2, 5, 7]  # the quoted field spans 5 and 6


# --- Files refused as a whole -----------------------------------------------------------------


def test_wrong_columns_are_named():
    header = HEADER.replace("phone,", "telephone,")
    result = plan(AIN, header=header)
    assert refusals(result) == {1: ["missing_columns", "unknown_columns"]}
    text = " ".join(describe(message) for message in result.lines[0].messages)
    assert "Colonnes manquantes : phone." in text
    assert "Colonnes inconnues : telephone." in text


def test_duplicate_columns_are_named():
    result = plan(AIN + ",x", header=HEADER + ",city")
    assert refusals(result) == {1: ["duplicate_columns"]}


def test_empty_file_header_only_and_binary_file_are_refused():
    assert refusals(plan_import("", FUND_CODES, {})) == {1: ["empty"]}
    assert refusals(plan_import(" \r\n", FUND_CODES, {})) == {1: ["empty"]}
    assert refusals(plan_import(csv_text(), FUND_CODES, {})) == {None: ["no_rows"]}
    assert refusals(plan_import("PK\x03\x04\x00\x00", FUND_CODES, {})) == {None: ["not_text"]}


def test_an_unclosed_quote_is_reported_at_the_line_where_it_starts():
    result = plan(AIN, '06,Alpes-Maritimes,"48, avenue,,,06100,NICE,04 92 09 40 00,', LYON)
    assert refusals(result) == {3: ["malformed"]}


# --- Lines refused ----------------------------------------------------------------------------


def test_bad_postcodes_are_refused_with_the_reason():
    result = plan(
        AIN.replace("01015", "1015"),  # a spreadsheet ate the first zero
        NICE.replace("06100", "99100"),  # no département starts with 99
    )
    assert refusals(result) == {2: ["postcode_format"], 3: ["postcode_unknown"]}
    assert "zéro initial" in describe(result.lines[0].messages[0])


def test_unknown_department_is_refused():
    result = plan(AIN, LYON.replace("69,", "75,", 1), NICE.replace("06,", "ZZ,", 1))
    assert refusals(result) == {3: ["department_unknown"], 4: ["department_unknown"]}
    assert describe(result.lines[0].messages[0]) == (
        "Département « 75 » : aucune caisse de l'annuaire n'a ce code."
    )


def test_postcode_in_another_department_than_the_line_says_is_refused():
    result = plan(AIN.replace("01,Ain", "69,Rhône"))
    assert refusals(result) == {2: ["department_mismatch"]}
    assert describe(result.lines[0].messages[0]) == (
        "Le code postal 01015 est dans le département 01, pas dans le 69."
    )


def test_a_cedex_code_of_la_reunion_in_977_belongs_to_its_fund():
    reunion = '974,Réunion,"4, boulevard Doret",,,97704,SAINT DENIS MESSAG CEDEX 9,02 62 40 33 40,'
    assert plan(reunion).is_applicable


def test_duplicate_office_within_the_file_refuses_both_lines_naming_the_other():
    result = plan(AIN, NICE, LYON, NICE.replace("NICE", "Nice"))
    assert refusals(result) == {3: ["duplicate_in_file"], 5: ["duplicate_in_file"]}
    third, fifth = result.lines
    assert describe(third.messages[0]) == (
        "Accueil en double : même code postal et même ville qu'à la ligne 5."
    )
    assert third.messages[0].params == {"lines": [5]}
    assert fifth.messages[0].params == {"lines": [3]}


def test_three_copies_of_an_office_name_the_two_others():
    result = plan(AIN, AIN, AIN)
    assert describe(result.lines[0].messages[0]) == (
        "Accueil en double : même code postal et même ville qu'aux lignes 3, 4."
    )


def test_a_line_with_too_many_fields_says_to_quote_the_delimiter():
    result = plan(AIN, "06,Alpes-Maritimes,48, avenue Roi Robert,,,06100,NICE,04 92 09 40 00,")
    assert refusals(result) == {3: ["field_count"]}
    assert describe(result.lines[0].messages[0]) == (
        "La ligne a 10 champs au lieu de 9 : un champ qui contient « , » doit être entre "
        "guillemets."
    )


def test_required_fields_and_lengths_are_checked():
    result = plan(",Ain,,,,01015,,04 74 45 84 84,", AIN.replace("BOURG EN BRESSE CEDEX", "B" * 81))
    assert refusals(result) == {
        2: ["required", "required", "required"],
        3: ["too_long"],
    }
    assert describe(result.lines[0].messages[0]) == "code du département : champ obligatoire."
    assert describe(result.lines[1].messages[0]) == "ville : 81 caractères, 80 au plus."


def test_every_problem_of_a_line_is_reported_together():
    result = plan("69,Rhône,rue X,,,01015,BOURG,04 74,")
    assert refusals(result) == {2: ["department_mismatch", "phone_invalid"]}


@pytest.mark.parametrize(
    "phone",
    ["04 74 45 84 84", "0474458484", "36 46", "3646", "0 820 904 191", "0820 90 41 85",
     "+33 4 74 45 84 84", "+262 262 40 33 40"],
)  # fmt: skip
def test_plausible_french_phone_numbers(phone):
    assert is_plausible_phone(phone)


@pytest.mark.parametrize(
    "phone",
    ["04.74.45.84.84", "04 74 45 84", "00 74 45 84 84", "4646", "appeler le 36 46",
     "+44 20 7946 0958", "04 74 45 84 84 5"],
)  # fmt: skip
def test_implausible_phone_numbers(phone):
    assert not is_plausible_phone(phone)


def test_one_bad_line_makes_the_whole_file_refused_and_only_bad_lines_are_reported():
    result = plan(AIN, NICE, LYON.replace("36 46", "n/a"))
    assert not result.is_applicable
    assert [(line.line, line.outcome) for line in result.lines] == [(4, Outcome.REJECTED)]
    assert result.created() == []


# --- Against the offices of the directory -----------------------------------------------------


def test_each_line_is_created_changed_or_unchanged():
    existing = {
        ("01015", "BOURG EN BRESSE CEDEX"): current(),
        ("06100", "NICE"): current(
            department_code="06", address_line_1="48, avenue Roi Robert", phone="04 92 00 00 00"
        ),
    }
    result = plan(AIN, NICE, LYON, existing=existing)
    assert [(line.line, line.outcome) for line in result.lines] == [
        (2, Outcome.UNCHANGED),
        (3, Outcome.CHANGED),
        (4, Outcome.CREATED),
    ]
    assert [office.city for office in result.created()] == ["LYON CEDEX 20"]
    [(nice, changed_fields)] = result.changed()
    assert (nice.city, changed_fields) == ("NICE", ("phone",))
    assert [describe(line.messages[0]) for line in result.lines] == [
        "Déjà à jour.",
        "Modifié : téléphone « 04 92 00 00 00 » → « 04 92 09 40 00 ».",
        "Accueil ajouté à l'annuaire.",
    ]


def test_moving_an_office_to_another_fund_is_a_change_of_its_department():
    existing = {("97704", "SAINT DENIS MESSAG CEDEX 9"): current(department_code="13")}
    line = "974,Réunion,place de la Grenouillère,,,97704,SAINT DENIS MESSAG CEDEX 9,04 74 45 84 84,"
    [(office, changed_fields)] = plan(line, existing=existing).changed()
    assert changed_fields == ("department_code",)


def test_a_city_written_otherwise_than_in_the_directory_is_refused():
    existing = {("06100", "NICE"): current(department_code="06")}
    result = plan(NICE.replace("NICE", "Nice"), existing=existing)
    assert refusals(result) == {2: ["city_spelling"]}
    assert describe(result.lines[0].messages[0]) == (
        "L'annuaire a déjà l'accueil « 06100 NICE » : écrivez la ville exactement ainsi pour le "
        "modifier."
    )


def test_an_exported_directory_imports_back_unchanged():
    rows = list(csv.DictReader(io.StringIO(SEED_TEXT)))
    existing = {
        (row["postcode"], row["city"]): {
            name: row[name]
            for name in COLUMNS
            if name not in {"department_label", "postcode", "city"}
        }
        for row in rows
    }
    exported = offices_csv(rows)
    assert exported.startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    result = plan_import(exported, SEED_CODES, existing)
    assert result.count(Outcome.UNCHANGED) == len(rows) == 129


# --- What the admin form shares, and consistency with the model -------------------------------


def test_line_problems_of_a_good_office_is_empty():
    values = dict(zip(COLUMNS, next(csv.reader([AIN])), strict=True))
    assert line_problems(values, FUND_CODES) == []


def test_max_lengths_and_labels_are_those_of_the_models():
    for name, max_length in MAX_LENGTHS.items():
        assert Office._meta.get_field(name).max_length == max_length, name
    for name, label in FIELD_LABELS.items():
        model = Fund if name == "department_code" else Office
        assert str(model._meta.get_field(name).verbose_name) == str(label), name


def test_messages_survive_a_json_round_trip():
    message = Message("duplicate_in_file", {"lines": [3, 7]})
    assert describe(Message(**message.as_json())) == describe(message)
