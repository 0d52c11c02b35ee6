"""The engine's rules one by one (parcours de soins, 100 % cases, what stays with the patient:
docs/sources.md §2 and the rows' sources), DB-free."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from reimbursements.nomenclature import rule_snapshot_from_files
from reimbursements.rules import RuleSnapshot, compute_sheet
from reimbursements.rules.types import (
    ActTariff,
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    ErrorCode,
    Exemption,
    Family,
    FranchiseKind,
    InvalidSheet,
    ParticipationCount,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
    Specialty,
    Unit,
)

DAY = date(2025, 3, 4)
ADULT = BeneficiarySituation(date(1985, 1, 15))
GP = Professional.GENERAL_PRACTITIONER
SPECIALIST = Professional.SPECIALIST


def D(text):
    return Decimal(text)


def person(*exemptions, birth=date(1985, 1, 15), **kwargs):
    return BeneficiarySituation(birth, exemptions=frozenset(exemptions), **kwargs)


def compute(*lines, who=ADULT, day=DAY, already=None):
    sheet = SheetInput(day, who, tuple(lines), already or AlreadyWithheld())
    return compute_sheet(sheet, rule_snapshot_from_files())


def g(**kwargs):
    return CareLine("G", D("30.00"), GP, **kwargs)


def rules_of(line):
    return [step.rule for step in line.explanation]


# --- Parcours de soins --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pathway",
    [Pathway.DECLARED_GP, Pathway.REFERRED_BY_GP, Pathway.EMERGENCY, Pathway.AWAY_FROM_HOME],
)
def test_in_the_parcours_at_70_percent(pathway):
    [line] = compute(g(pathway=pathway)).lines
    assert line.rate == D("0.70")


def test_outside_the_parcours_at_30_percent():
    [line] = compute(g(pathway=Pathway.OUTSIDE_PATHWAY)).lines
    assert line.rate == D("0.30")
    assert "rate.doctor_outside_pathway" in rules_of(line)


def test_without_a_declared_gp_the_declared_gp_pathway_is_outside():
    [line] = compute(g(), who=person(has_declared_gp=False)).lines
    assert line.rate == D("0.30")


def test_emergency_keeps_70_percent_without_a_declared_gp():
    [line] = compute(g(pathway=Pathway.EMERGENCY), who=person(has_declared_gp=False)).lines
    assert line.rate == D("0.70")


def test_under_16_is_never_penalised():
    child = person(birth=date(2012, 1, 1), has_declared_gp=False)
    [line] = compute(g(pathway=Pathway.OUTSIDE_PATHWAY), who=child).lines
    assert line.rate == D("0.70")
    assert "pathway.under_age" in rules_of(line)


@pytest.mark.parametrize("exemption", [Exemption.CSS, Exemption.AME, Exemption.MATERNITY])
def test_css_ame_and_pregnancy_are_not_penalised(exemption):
    [line] = compute(g(pathway=Pathway.OUTSIDE_PATHWAY), who=person(exemption)).lines
    assert line.amo_gross >= D("21.00")


@pytest.mark.parametrize(
    "specialty", [Specialty.GYNAECOLOGY, Specialty.OPHTHALMOLOGY, Specialty.STOMATOLOGY]
)
def test_direct_access_specialties_keep_70_percent(specialty):
    line = CareLine(
        "X1", D("30"), SPECIALIST, base=D("30"), pathway=Pathway.DIRECT_ACCESS, specialty=specialty
    )
    [result] = compute(line).lines
    assert result.rate == D("0.70")


def test_direct_access_to_an_other_specialist_is_outside_the_parcours():
    line = CareLine("X1", D("30"), SPECIALIST, base=D("30"), pathway=Pathway.DIRECT_ACCESS)
    assert compute(line).lines[0].rate == D("0.30")


@pytest.mark.parametrize(
    ("birth", "rate"), [(date(2000, 3, 5), "0.70"), (date(1999, 3, 4), "0.30")]
)
def test_psychiatrist_direct_access_from_16_to_25(birth, rate):
    line = CareLine("CNPSY", D("57"), SPECIALIST, pathway=Pathway.DIRECT_ACCESS)
    [result] = compute(line, who=person(birth=birth), day=date(2025, 3, 4)).lines
    assert result.rate == D(rate)  # 25 the day before the 26th birthday; 26 on it


def test_the_psychiatry_code_carries_its_specialty():
    line = CareLine("CNPSY", D("57"), SPECIALIST, pathway=Pathway.DIRECT_ACCESS)
    [result] = compute(line, who=person(birth=date(2005, 1, 1)), day=date(2026, 1, 5)).lines
    assert result.base == D("57.00")
    assert "pathway.direct_access.psychiatry" in rules_of(result)


# --- Sectors ------------------------------------------------------------------------------------


def test_sector_2_without_optam_has_the_lower_base():
    [line] = compute(CareLine("G", D("50"), GP, sector=Sector.TWO)).lines
    assert line.base == D("23.00")
    assert line.depassement == D("27.00")


def test_sector_3_majorations_have_no_base():
    line = CareLine("MCG", D("3"), GP, sector=Sector.THREE)
    assert compute(line).lines[0].base == D("0.00")


def test_sector_3_is_reimbursed_on_the_tarif_d_autorite():
    [line] = compute(CareLine("G", D("80"), GP, sector=Sector.THREE)).lines
    assert line.base == D("0.61")
    assert line.amo_gross == D("0.42")
    assert line.participation_forfaitaire == D("0.42")  # never more than the payment
    assert line.amo_paid == D("0.00")


# --- 100 % cases and what still applies --------------------------------------------------------


def test_ald_unrelated_care_at_the_normal_rate():
    [line] = compute(g(ald_related=False), who=person(Exemption.ALD)).lines
    assert line.rate == D("0.70")


def test_ald_related_without_the_ald_recognised_is_at_the_normal_rate():
    [line] = compute(g(ald_related=True)).lines
    assert line.rate == D("0.70")


def test_maternity_100_percent_without_pf_or_franchise():
    who = person(Exemption.MATERNITY)
    sheet = compute(g(), CareLine("PH7", D("10"), Professional.PHARMACY, base=D("10")), who=who)
    assert [line.rate for line in sheet.lines] == [D("1.00"), D("1.00")]
    assert sheet.totals.participation_forfaitaire == D("0.00")
    assert sheet.totals.franchise == D("0.00")


def test_at_mp_related_care_at_100_percent_still_pays_the_pf():
    [line] = compute(g(at_mp_related=True), who=person(Exemption.AT_MP)).lines
    assert line.amo_gross == D("30.00")
    assert line.participation_forfaitaire == D("2.00")


def test_invalidity_at_100_percent_with_pf():
    [line] = compute(g(), who=person(Exemption.INVALIDITY)).lines
    assert line.rate == D("1.00")
    assert line.participation_forfaitaire == D("2.00")


def test_css_pays_the_ticket_moderateur_and_no_withholdings():
    who = person(Exemption.CSS)
    sheet = compute(g(), CareLine("PH4", D("10"), Professional.PHARMACY, base=D("10")), who=who)
    assert sheet.totals.participation_forfaitaire == D("0.00")
    assert sheet.totals.franchise == D("0.00")
    assert sheet.totals.css_part == D("9.00") + D("7.00")
    assert sheet.totals.patient_remainder == D("0.00")


def test_ame_at_100_percent_without_withholdings():
    [line] = compute(g(), who=person(Exemption.AME)).lines
    assert line.amo_paid == D("30.00")


def test_the_flat_fee_does_not_apply_in_a_100_percent_case():
    line = CareLine("X", D("200"), SPECIALIST, base=D("200"), ald_related=True)
    [result] = compute(line, who=person(Exemption.ALD)).lines
    assert result.flat_fee == D("0.00")
    assert result.amo_gross == D("200.00")


def test_the_flat_fee_becomes_32_in_april_2026():
    line = CareLine("X", D("125.40"), SPECIALIST, base=D("125.40"))
    assert compute(line, day=date(2026, 3, 31)).lines[0].flat_fee == D("24.00")
    assert compute(line, day=date(2026, 4, 1)).lines[0].flat_fee == D("32.00")


def test_an_act_below_120_euros_has_no_flat_fee():
    line = CareLine("X", D("119.99"), SPECIALIST, base=D("119.99"))
    assert compute(line).lines[0].flat_fee == D("0.00")


def test_a_coefficient_of_60_is_a_heavy_act_below_120_euros():
    # A doctors' key letter (none is shipped): the coefficient counts, not the amount.
    files = rule_snapshot_from_files()
    key_letter = ActTariff(
        "K", "K", Family.DOCTOR, Unit.COEFFICIENT, date(2017, 1, 1), None, D("1.92"), "test"
    )
    rules = RuleSnapshot((*files.acts, key_letter), files.parameters)
    for coefficient, flat_fee in ((D(59), D("0.00")), (D(60), D("24.00"))):
        line = CareLine("K", D("200"), SPECIALIST, quantity=coefficient)
        [result] = compute_sheet(SheetInput(DAY, ADULT, (line,)), rules).lines
        assert result.flat_fee == flat_fee
        assert result.base < D("120")


# --- Participation forfaitaire -------------------------------------------------------------------


def test_pf_not_on_dentists_midwives_auxiliaries():
    sheet = compute(
        CareLine("HB", D("30"), Professional.DENTIST, base=D("30")),
        CareLine("SF", D("30"), Professional.MIDWIFE, base=D("30")),
        CareLine("AMI", D("3.15"), Professional.NURSE),
    )
    assert sheet.totals.participation_forfaitaire == D("0.00")


def test_pf_on_biology_and_radiology():
    sheet = compute(
        CareLine("B", D("20"), Professional.LABORATORY, base=D("20"), professional_id="1"),
        CareLine("IRM", D("70"), Professional.RADIOLOGY, base=D("70"), professional_id="2"),
    )
    assert [line.participation_forfaitaire for line in sheet.lines] == [D("2.00"), D("2.00")]


def test_pf_exempt_under_18():
    [line] = compute(g(), who=person(birth=date(2010, 1, 1))).lines
    assert line.participation_forfaitaire == D("0.00")
    assert "pf.exempt.under_age" in rules_of(line)


def test_pf_at_most_four_a_day_for_the_same_professional():
    already = AlreadyWithheld(participation_day={"123": ParticipationCount(3, D("6.00"))})
    sheet = compute(g(professional_id="123"), g(professional_id="123"), already=already)
    assert [line.participation_forfaitaire for line in sheet.lines] == [D("2.00"), D("0.00")]
    assert sheet.withheld.participation_by_professional["123"] == ParticipationCount(1, D("2.00"))
    assert "pf.cap.day_count" in rules_of(sheet.lines[1])


def test_pf_daily_count_is_per_professional():
    already = AlreadyWithheld(participation_day={"123": ParticipationCount(4, D("8.00"))})
    sheet = compute(g(professional_id="456"), already=already)
    assert sheet.lines[0].participation_forfaitaire == D("2.00")


def test_pf_annual_cap_50():
    already = AlreadyWithheld(participation_year=D("49.00"))
    sheet = compute(g(professional_id="1"), g(professional_id="2"), already=already)
    assert [line.participation_forfaitaire for line in sheet.lines] == [D("1.00"), D("0.00")]
    assert sheet.withheld.participation == D("1.00")


# --- Franchises ---------------------------------------------------------------------------------


def test_franchise_one_euro_per_box():
    line = CareLine("PH7", D("30"), Professional.PHARMACY, base=D("10"), quantity=D(3))
    [result] = compute(line).lines
    assert result.base == D("30.00")
    assert result.amo_gross == D("19.50")
    assert result.franchise == D("3.00")
    assert result.franchise_kind == FranchiseKind.MEDICINE


def test_franchise_before_2024_03_31_was_half_a_euro():
    line = CareLine("PH7", D("30"), Professional.PHARMACY, base=D("10"), quantity=D(3))
    assert compute(line, day=date(2024, 3, 30)).lines[0].franchise == D("1.50")


def test_paramedical_franchise_capped_at_4_a_day():
    already = AlreadyWithheld(franchise_paramedical_day=D("3.00"))
    sheet = compute(
        CareLine("AMI", D("6.30"), Professional.NURSE, quantity=D(2)),
        CareLine("AMK", D("21.50"), Professional.PHYSIOTHERAPIST, quantity=D(10)),
        already=already,
    )
    assert [line.franchise for line in sheet.lines] == [D("1.00"), D("0.00")]
    assert sheet.withheld.franchise_paramedical == D("1.00")


def test_transport_franchise_capped_at_8_a_day_and_none_in_emergency():
    sheet = compute(
        CareLine("TAX", D("80"), Professional.TRANSPORT, base=D("40"), quantity=D(2)),
        CareLine("AMB", D("100"), Professional.TRANSPORT, base=D("100")),
        CareLine("AMB", D("100"), Professional.TRANSPORT, base=D("100"), pathway=Pathway.EMERGENCY),
    )
    assert [line.franchise for line in sheet.lines] == [D("8.00"), D("0.00"), D("0.00")]


def test_franchise_annual_cap_50():
    already = AlreadyWithheld(franchise_year=D("48.50"))
    line = CareLine("PH7", D("30"), Professional.PHARMACY, base=D("10"), quantity=D(3))
    assert compute(line, already=already).lines[0].franchise == D("1.50")


def test_franchise_exempt_under_18():
    line = CareLine("PH7", D("10"), Professional.PHARMACY, base=D("10"))
    assert compute(line, who=person(birth=date(2010, 1, 1))).lines[0].franchise == D("0.00")


def test_pharmacy_codes_carry_their_own_rates():
    # SNDS documentation, table ER_PHA_F: PH1 100 %, PH7 65 %, PH4 30 %, PH2 15 % (the digits do
    # not follow the rates).
    lines = [
        CareLine(code, D("10"), Professional.PHARMACY, base=D("10"))
        for code in ("PH1", "PH7", "PH4", "PH2")
    ]
    rates = [line.rate for line in compute(*lines).lines]
    assert rates == [D("1.00"), D("0.65"), D("0.30"), D("0.15")]


# --- Hospital -----------------------------------------------------------------------------------


def stay(admission, discharge, **kwargs):
    return CareLine(
        "GHS",
        D("2000"),
        Professional.HOSPITAL,
        base=D("2000"),
        admission=admission,
        discharge=discharge,
        **kwargs,
    )


def test_daily_charge_23_from_2026_03_01():
    line = stay(datetime(2026, 3, 2, 8, tzinfo=UTC), datetime(2026, 3, 4, 18, tzinfo=UTC))
    [result] = compute(line, day=date(2026, 3, 2)).lines
    assert result.hospital_daily_charge == D("69.00")


def test_psychiatry_daily_charge():
    line = stay(
        datetime(2025, 3, 3, 8, tzinfo=UTC),
        datetime(2025, 3, 5, 18, tzinfo=UTC),
        specialty=Specialty.PSYCHIATRY,
    )
    assert compute(line, day=date(2025, 3, 3)).lines[0].hospital_daily_charge == D("45.00")


def test_no_daily_charge_under_24_hours_nor_for_a_newborn():
    short = stay(datetime(2025, 3, 3, 8, tzinfo=UTC), datetime(2025, 3, 3, 18, tzinfo=UTC))
    assert compute(short, day=date(2025, 3, 3)).lines[0].hospital_daily_charge == D("0.00")
    newborn = person(birth=date(2025, 2, 20))
    line = stay(datetime(2025, 3, 3, 8, tzinfo=UTC), datetime(2025, 3, 6, 8, tzinfo=UTC))
    assert compute(line, who=newborn, day=date(2025, 3, 3)).lines[0].hospital_daily_charge == 0


def test_stay_at_80_percent_and_with_a_heavy_act_one_flat_fee():
    line = stay(datetime(2025, 3, 3, 8, tzinfo=UTC), datetime(2025, 3, 5, 18, tzinfo=UTC))
    [result] = compute(line, day=date(2025, 3, 3)).lines
    assert result.amo_gross == D("1600.00")
    surgery = CareLine("X", D("300"), SPECIALIST, base=D("300"))
    sheet = compute(line, surgery, day=date(2025, 3, 3))
    assert [item.flat_fee for item in sheet.lines] == [D("24.00"), D("0.00")]
    assert sheet.lines[0].amo_gross == D("1976.00")
    assert sheet.lines[1].amo_gross == D("300.00")


def test_css_and_alsace_moselle_pay_the_daily_charge():
    line = stay(datetime(2025, 3, 3, 8, tzinfo=UTC), datetime(2025, 3, 5, 18, tzinfo=UTC))
    css = compute(line, who=person(Exemption.CSS), day=date(2025, 3, 3))
    assert css.totals.css_part == D("400.00") + D("60.00")
    local = compute(line, who=person(scheme=Scheme.ALSACE_MOSELLE), day=date(2025, 3, 3))
    assert local.totals.local_scheme_part == D("400.00") + D("60.00")
    assert local.totals.patient_remainder == D("0.00")


# --- Bases and errors ---------------------------------------------------------------------------


def test_the_nomenclature_tariff_is_used_without_a_base_and_named_in_the_explanation():
    [line] = compute(g()).lines
    tariff = line.explanation[0]
    assert (tariff.rule, tariff.value, tariff.effective_from) == (
        "tariff",
        "30.00",
        date(2024, 12, 22),
    )
    assert "ameli" in tariff.source


def test_every_bad_field_is_named_with_a_stable_code():
    with pytest.raises(InvalidSheet) as refused:
        compute(
            CareLine("NOPE", D("10"), GP),
            CareLine("PH7", D("10"), Professional.PHARMACY),
            CareLine("G", D("-1"), GP),
            CareLine("G", D("10"), GP, quantity=D("1.5")),
            CareLine("GHS", D("10"), Professional.HOSPITAL, base=D("10")),
        )
    assert {(error.field, error.code) for error in refused.value.errors} == {
        ("lines[0].act_code", ErrorCode.UNKNOWN_ACT_CODE),
        ("lines[1].base", ErrorCode.BASE_REQUIRED),
        ("lines[2].amount_charged", ErrorCode.AMOUNT_NEGATIVE),
        ("lines[3].quantity", ErrorCode.QUANTITY_INVALID),
        ("lines[4].admission", ErrorCode.STAY_DATES_REQUIRED),
    }


def test_the_rounding_mode_is_the_dated_parameter():
    rules = rule_snapshot_from_files()
    assert rules.on(DAY).rounding == "ROUND_DOWN"
    # 2.09 × 65 % = 1.3585 → 1.35, as onemedia.fr prints it (half-up would give 1.36).
    line = CareLine("PH7", D("2.09"), Professional.PHARMACY, base=D("2.09"))
    assert compute(line).lines[0].amo_gross == D("1.35")
