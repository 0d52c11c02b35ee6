import csv
from io import StringIO

import pytest
from django.core.management import call_command

from directory.loading import DATA_DIR, RowCounts, load_directory, read_rows
from directory.models import Fund, Office
from directory.rules import department_for_postcode

pytestmark = pytest.mark.django_db

SEED_OFFICES = read_rows(DATA_DIR / "seed_offices.csv")


def test_every_seed_postcode_lies_in_the_department_it_is_listed_under():
    for row in SEED_OFFICES:
        assert department_for_postcode(row["postcode"]) == row["department_code"], row


def test_first_load_creates_every_fund_and_every_seed_office():
    counts = load_directory()

    assert counts.funds == RowCounts(created=100, updated=0, unchanged=0)
    assert counts.offices == RowCounts(created=129, updated=0, unchanged=0)
    assert Fund.objects.count() == 100
    assert Office.objects.count() == 129
    codes = set(Fund.objects.values_list("department_code", flat=True))
    assert {row["department_code"] for row in SEED_OFFICES} <= codes
    assert {"01", "2A", "2B", "95", "971", "972", "973", "974"} <= codes
    assert "20" not in codes


def test_haute_loire_has_a_fund_but_no_office_in_the_seed():
    load_directory()

    fund = Fund.objects.get(department_code="43")
    assert fund.name == "CPAM de la Haute-Loire"
    assert fund.seed_label == ""
    assert not fund.offices.exists()


def test_ain_office_is_kept_as_the_seed_writes_it():
    load_directory()

    fund = Fund.objects.get(department_code="01")
    assert fund.name == "CPAM de l'Ain"
    assert fund.kind == Fund.Kind.CPAM
    (office,) = fund.offices.all()
    assert office.address_lines == ["place de la Grenouillère"]
    assert office.postcode == "01015"
    assert office.city == "BOURG EN BRESSE CEDEX"
    assert office.phone == "04 74 45 84 84"
    assert office.phone_note == ""


def test_allier_phone_keeps_its_tariff_note():
    load_directory()

    office = Office.objects.get(fund__department_code="03")
    assert office.phone == "36 46"
    assert office.phone_note == "prix d'un appel local depuis un poste fixe"
    assert office.address_lines == ["9-11, rue Achille Roche", "BP 351"]


def test_alpes_de_haute_provence_paying_number():
    load_directory()

    fund = Fund.objects.get(department_code="04")
    assert fund.seed_label == "Alpes de Hte Provence"
    assert fund.department_name == "Alpes-de-Haute-Provence"
    office = fund.offices.get()
    assert (office.phone, office.phone_note) == ("0 820 904 191", "payant")


def test_seed_label_is_kept_for_search():
    load_directory()

    assert Fund.objects.get(department_code="05").seed_label == "Alpes (Hautes)"
    assert Fund.objects.get(department_code="974").seed_label == "Réunion"


def test_nord_has_nine_offices():
    load_directory()

    assert Office.objects.filter(fund__department_code="59").count() == 9


def test_guyane_is_a_cgss_with_three_address_lines():
    load_directory()

    fund = Fund.objects.get(department_code="973")
    assert fund.kind == Fund.Kind.CGSS
    assert fund.name == "CGSS de la Guyane"
    assert fund.time_zone == "America/Cayenne"
    office = fund.offices.get()
    assert office.address_lines == ["route de Raban", "Espace Turenne Radamonthe", "BP 7015"]
    assert (office.postcode, office.city) == ("97307", "CAYENNE CEDEX")


def test_overseas_funds_are_named_as_insee_writes_them():
    load_directory()

    assert Fund.objects.get(department_code="974").name == "CGSS de La Réunion"
    assert Fund.objects.get(department_code="28").name == "CPAM d'Eure-et-Loir"
    assert Fund.objects.get(department_code="69").name == "CPAM du Rhône"


def test_corse_du_sud_office_is_in_ajaccio():
    load_directory()

    office = Office.objects.get(fund__department_code="2A")
    assert (office.postcode, office.city) == ("20702", "AJACCIO CEDEX 9")
    assert list(Fund.objects.values_list("department_code", flat=True)[17:22]) == [
        "18",
        "19",
        "2A",
        "2B",
        "21",
    ]


def test_second_load_changes_nothing(django_assert_num_queries):
    load_directory()

    # The savepoint of the transaction, one read of the funds, one of the offices, the release:
    # nothing is written, whatever the number of rows.
    with django_assert_num_queries(4):
        counts = load_directory()

    assert counts.funds == RowCounts(created=0, updated=0, unchanged=100)
    assert counts.offices == RowCounts(created=0, updated=0, unchanged=129)


def test_a_later_load_keeps_the_editors_changes_and_only_adds_what_is_missing():
    load_directory()
    Office.objects.filter(postcode="01015").update(phone="00 00 00 00 00")
    Fund.objects.filter(department_code="69").update(name="CPAM de Lyon")
    Office.objects.filter(postcode="02323").delete()

    counts = load_directory()

    assert counts.funds == RowCounts(created=0, updated=0, unchanged=99, kept=1)
    assert counts.offices == RowCounts(created=1, updated=0, unchanged=127, kept=1)
    assert Office.objects.get(postcode="01015").phone == "00 00 00 00 00"
    assert Fund.objects.get(department_code="69").name == "CPAM de Lyon"
    assert Office.objects.filter(postcode="02323").exists()


def test_overwrite_brings_changed_rows_back_to_the_files_and_leaves_other_offices_alone():
    load_directory()
    Office.objects.filter(postcode="01015").update(phone="00 00 00 00 00")
    Fund.objects.filter(department_code="69").update(name="CPAM de Lyon")
    ain = Fund.objects.get(department_code="01")
    Office.objects.create(fund=ain, postcode="01000", city="BOURG EN BRESSE", phone="36 46")

    counts = load_directory(overwrite=True)

    assert counts.funds == RowCounts(created=0, updated=1, unchanged=99)
    assert counts.offices == RowCounts(created=0, updated=1, unchanged=128)
    assert Office.objects.get(postcode="01015").phone == "04 74 45 84 84"
    assert Fund.objects.get(department_code="69").name == "CPAM du Rhône"
    assert Office.objects.filter(postcode="01000").exists()


def test_load_reads_the_files_it_is_given(tmp_path):
    (tmp_path / "departements.csv").write_text(
        "code,name,charniere,kind,time_zone\n01,Ain,de l',CPAM,Europe/Paris\n", encoding="utf-8"
    )
    seed = StringIO()
    writer = csv.writer(seed)
    writer.writerow(SEED_OFFICES[0].keys())
    writer.writerow(SEED_OFFICES[0].values())
    (tmp_path / "seed_offices.csv").write_text(seed.getvalue(), encoding="utf-8")

    counts = load_directory(tmp_path)

    assert counts.funds.created == 1
    assert counts.offices.created == 1


def test_command_prints_the_counts():
    out = StringIO()

    call_command("load_directory", stdout=out)
    call_command("load_directory", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "Caisses — créées : 100, modifiées : 0, inchangées : 0, conservées : 0",
        "Accueils — créés : 129, modifiés : 0, inchangés : 0, conservés : 0",
        "Caisses — créées : 0, modifiées : 0, inchangées : 100, conservées : 0",
        "Accueils — créés : 0, modifiés : 0, inchangés : 129, conservés : 0",
    ]
