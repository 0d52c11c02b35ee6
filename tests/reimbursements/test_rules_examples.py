"""Every published worked example of a reimbursement, each at its own rules date; each test names
its page (docs/sources.md §2.1 and §5 list them).

Pure: the rules come from the shipped CSV files, no database.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from reimbursements.nomenclature import rule_snapshot_from_files
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import (
    BeneficiarySituation,
    CareLine,
    Exemption,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
)

ADULT = BeneficiarySituation(birth_date=date(1985, 1, 15))
GP = Professional.GENERAL_PRACTITIONER


def compute(day, *lines, person=ADULT):
    return compute_sheet(SheetInput(day, person, tuple(lines)), rule_snapshot_from_files())


def money(text):
    return Decimal(text)


def test_sp_f17042_g_30_at_the_declared_gp_pays_19():
    # SP F17042, vérifié 22/12/2024: G 30 € → 70 % = 21 €, minus the 2 € PF → 19 €.
    [line] = compute(date(2025, 3, 4), CareLine("G", money("30.00"), GP)).lines
    assert line.base == money("30.00")
    assert line.rate == money("0.70")
    assert line.amo_gross == money("21.00")
    assert line.participation_forfaitaire == money("2.00")
    assert line.amo_paid == money("19.00")
    assert line.ticket_moderateur == money("9.00")


def test_sp_f17042_optam_doctor_charging_35_still_pays_19():
    line = CareLine("G", money("35.00"), GP, sector=Sector.TWO_OPTAM)
    [result] = compute(date(2025, 3, 4), line).lines
    assert result.base == money("30.00")
    assert result.amo_paid == money("19.00")
    assert result.depassement == money("5.00")


def test_ameli_tableau_gp_consultation_26_50_fund_takes_18_55_before_pf():
    # ameli tableau récapitulatif (24/09/2024): 26.50 € → 18.55 € (70 %, before the PF).
    [line] = compute(date(2024, 9, 24), CareLine("G", money("26.50"), GP)).lines
    assert line.amo_gross == money("18.55")
    assert line.amo_paid == money("16.55")


def test_maaf_26_50_outside_the_parcours_pays_5_95():
    # maaf.fr (2024 rules, PF 2 €): outside 30 % = 7.95 − 2 = 5.95; the patient keeps 12.60 € when
    # the mutuelle pays the in-parcours ticket modérateur (7.95 €) only.
    line = CareLine("G", money("26.50"), GP, pathway=Pathway.OUTSIDE_PATHWAY)
    [result] = compute(date(2024, 6, 3), line).lines
    assert result.rate == money("0.30")
    assert result.amo_gross == money("7.95")
    assert result.amo_paid == money("5.95")
    mutuelle = result.base * money("0.30")  # the TM a responsible contract covers: 30 % of BR
    assert mutuelle == money("7.95")
    assert result.base - result.amo_paid - mutuelle == money("12.60")


def test_maaf_26_50_inside_the_parcours_pays_16_55_and_leaves_2():
    [result] = compute(date(2024, 6, 3), CareLine("G", money("26.50"), GP)).lines
    assert result.amo_paid == money("16.55")
    mutuelle = result.ticket_moderateur
    assert mutuelle == money("7.95")
    assert result.base - result.amo_paid - mutuelle == money("2.00")


def test_snds_standard_patient_25_base_fund_share_17_50():
    # SNDS fiche montant_soins_de_ville, example 1 (03/04/2018): 27 € paid, base 25 € → 17.50 €
    # (the PF is stored separately), 2 € dépassement.
    sheet = compute(date(2018, 4, 3), CareLine("G", money("27.00"), GP))
    [line] = sheet.lines
    assert line.amo_gross == money("17.50")
    assert line.participation_forfaitaire == money("1.00")
    assert line.depassement == money("2.00")


def test_snds_ald_patient_25_base_reimbursed_25():
    # Example 2 (05/05/2019): ALD-related consultation at 100 %.
    person = BeneficiarySituation(date(1960, 2, 1), exemptions=frozenset({Exemption.ALD}))
    line = CareLine("G", money("25.00"), GP, ald_related=True)
    [result] = compute(date(2019, 5, 5), line, person=person).lines
    assert result.rate == money("1.00")
    assert result.amo_gross == money("25.00")
    assert result.ticket_moderateur == money("0.00")
    assert result.participation_forfaitaire == money("1.00")  # ALD patients still pay the PF


def test_snds_cmu_c_patient_17_50_plus_7_50():
    # Example 3 (12/06/2017): 17.50 € by the fund + 7.50 € by the CMU-C (now CSS).
    person = BeneficiarySituation(date(1990, 2, 1), exemptions=frozenset({Exemption.CSS}))
    sheet = compute(date(2017, 6, 12), CareLine("G", money("25.00"), GP), person=person)
    [line] = sheet.lines
    assert line.amo_gross == money("17.50")
    assert line.css_part == money("7.50")
    assert line.participation_forfaitaire == money("0.00")
    assert sheet.totals.patient_remainder == money("0.00")


def test_snds_alsace_moselle_patient_22_50():
    # Example 4 (04/03/2018): 17.50 € general scheme + 5 € local scheme = 22.50 € (90 %).
    person = BeneficiarySituation(date(1970, 2, 1), scheme=Scheme.ALSACE_MOSELLE)
    sheet = compute(date(2018, 3, 4), CareLine("G", money("30.00"), GP), person=person)
    [line] = sheet.lines
    assert line.amo_gross == money("17.50")
    assert line.local_scheme_part == money("5.00")
    assert line.amo_gross + line.local_scheme_part == money("22.50")
    assert line.depassement == money("5.00")
    assert sheet.totals.local_scheme_part == money("5.00")


def test_snds_night_consultation_47_06_reimbursed_32_94():
    # Example 5 (03/04/2019): 25 + 19.06 + 3 = 47.06 € at 70 %, rounded per line
    # (17.50 + 13.34 + 2.10) = 32.94 €; the PF is withheld separately.
    sheet = compute(
        date(2019, 4, 3),
        CareLine("G", money("25.00"), GP),
        CareLine("F", money("19.06"), GP),
        CareLine("MCG", money("3.00"), GP),
    )
    assert [line.amo_gross for line in sheet.lines] == [
        money("17.50"),
        money("13.34"),
        money("2.10"),
    ]
    assert sheet.totals.base == money("47.06")
    assert sheet.totals.amo_gross == money("32.94")
    assert sheet.totals.participation_forfaitaire == money("1.00")  # on the consultation only
    assert sheet.totals.amo_paid == money("31.94")


def test_snds_glossary_optam_specialist_45_base_30_pays_20():
    # SNDS glossary (2019): OPTAM specialist charging 45 €, base 30 € → 70 % − 1 € = 20 €, TM 9 €.
    line = CareLine(
        "CS30",
        money("45.00"),
        Professional.SPECIALIST,
        base=money("30.00"),
        sector=Sector.TWO_OPTAM,
    )
    [result] = compute(date(2019, 6, 1), line).lines
    assert result.amo_gross == money("21.00")
    assert result.participation_forfaitaire == money("1.00")
    assert result.amo_paid == money("20.00")
    assert result.ticket_moderateur == money("9.00")
    assert result.depassement == money("15.00")


def test_econostrum_one_face_cavity_29_30_at_60_percent_after_2023_10_15():
    line = CareLine("HMFC", money("29.30"), Professional.DENTIST, base=money("29.30"))
    [result] = compute(date(2023, 10, 15), line).lines
    assert result.rate == money("0.60")
    assert result.amo_paid == money("17.58")  # no PF at the dentist
    assert result.base - result.amo_paid == money("11.72")


def test_econostrum_one_face_cavity_29_30_was_20_51_at_70_percent():
    line = CareLine("HMFC", money("29.30"), Professional.DENTIST, base=money("29.30"))
    [result] = compute(date(2023, 10, 14), line).lines
    assert result.rate == money("0.70")
    assert result.amo_paid == money("20.51")


def test_ameli_photocoagulation_125_40_carries_the_24_euro_flat_fee():
    line = CareLine("BJNP", money("125.40"), Professional.SPECIALIST, base=money("125.40"))
    [result] = compute(date(2025, 1, 6), line).lines
    assert result.flat_fee == money("24.00")
    assert result.ticket_moderateur == money("0.00")
    assert result.amo_gross == money("101.40")


def test_mutuelle_smi_stay_monday_8h_to_wednesday_18h_is_three_daily_charges():
    # mutuelle-smi.com: admitted Monday 08:00, out Wednesday 18:00 → 3 forfaits (20 € in 2025).
    line = CareLine(
        "GHS",
        money("3000.00"),
        Professional.HOSPITAL,
        base=money("3000.00"),
        admission=datetime(2025, 3, 3, 8, tzinfo=UTC),
        discharge=datetime(2025, 3, 5, 18, tzinfo=UTC),
    )
    sheet = compute(date(2025, 3, 3), line)
    [result] = sheet.lines
    assert result.hospital_days == 3
    assert result.hospital_daily_charge == money("60.00")
    assert sheet.totals.hospital_daily_charge == money("60.00")
