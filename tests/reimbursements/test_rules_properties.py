"""Properties of the engine over generated sheets (hypothesis), with the shipped rules."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reimbursements.explanations import TEMPLATES
from reimbursements.nomenclature import rule_snapshot_from_files
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import (
    ZERO,
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    Exemption,
    InvalidSheet,
    ParticipationCount,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
    Specialty,
)

RULES = rule_snapshot_from_files()
CENT = Decimal("0.01")

# (act code, professional, needs a base) — codes of the shipped nomenclature and a few unlisted.
CODES = [
    ("G", Professional.GENERAL_PRACTITIONER, False),
    ("VG", Professional.GENERAL_PRACTITIONER, False),
    ("MCG", Professional.GENERAL_PRACTITIONER, False),
    ("APC", Professional.SPECIALIST, False),
    ("CCAM1", Professional.SPECIALIST, True),
    ("HBMD", Professional.DENTIST, True),
    ("SF", Professional.MIDWIFE, True),
    ("AMI", Professional.NURSE, False),
    ("AMK", Professional.PHYSIOTHERAPIST, False),
    ("PH7", Professional.PHARMACY, True),
    ("PH4", Professional.PHARMACY, True),
    ("PH1", Professional.PHARMACY, True),
    ("B", Professional.LABORATORY, True),
    ("IRM", Professional.RADIOLOGY, True),
    ("AMB", Professional.TRANSPORT, True),
    ("TAX", Professional.TRANSPORT, True),
    ("GHS", Professional.HOSPITAL, True),
]
money = st.decimals(min_value=0, max_value=400, places=2, allow_nan=False, allow_infinity=False)
care_dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 11, 1))


@st.composite
def lines(draw, care_date):
    code, professional, needs_base = draw(st.sampled_from(CODES))
    base = draw(money) if needs_base or draw(st.booleans()) else None
    quantity = Decimal(draw(st.integers(min_value=1, max_value=6)))
    admission = discharge = None
    if code == "GHS":
        admission = datetime(care_date.year, care_date.month, care_date.day, 9, tzinfo=UTC)
        discharge = admission + timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 40)))
        quantity = Decimal(1)
    return CareLine(
        act_code=code,
        amount_charged=draw(money),
        professional=professional,
        quantity=quantity,
        base=base,
        sector=draw(st.sampled_from(list(Sector))),
        pathway=draw(st.sampled_from(list(Pathway))),
        ald_related=draw(st.booleans()),
        at_mp_related=draw(st.booleans()),
        professional_id=draw(st.sampled_from([None, "10001", "10002"])),
        admission=admission,
        discharge=discharge,
        specialty=draw(st.sampled_from([None, *Specialty])),
    )


@st.composite
def sheets(draw, care_date=None, already=None):
    care_date = care_date or draw(care_dates)
    person = BeneficiarySituation(
        birth_date=draw(st.dates(min_value=date(1930, 1, 1), max_value=care_date)),
        scheme=draw(st.sampled_from(list(Scheme))),
        has_declared_gp=draw(st.booleans()),
        exemptions=frozenset(draw(st.sets(st.sampled_from(list(Exemption)), max_size=2))),
    )
    return SheetInput(
        care_date=care_date,
        beneficiary=person,
        lines=tuple(draw(st.lists(lines(care_date), min_size=1, max_size=6))),
        already_withheld=already or AlreadyWithheld(),
    )


def compute(sheet):
    return compute_sheet(sheet, RULES)


@settings(max_examples=120, deadline=None)
@given(sheets())
def test_the_amount_paid_stays_between_zero_and_the_base(sheet):
    for line in compute(sheet).lines:
        assert ZERO <= line.amo_paid <= line.base
        assert ZERO <= line.amo_gross <= line.base
        assert line.ticket_moderateur >= ZERO
        assert line.amo_gross + line.ticket_moderateur + line.flat_fee == line.base
        assert line.amo_paid == line.amo_gross - line.participation_forfaitaire - line.franchise
        for amount in (line.amo_paid, line.base, line.css_part, line.local_scheme_part):
            assert amount == amount.quantize(CENT)


@settings(max_examples=120, deadline=None)
@given(sheets())
def test_totals_are_the_sums_of_the_lines(sheet):
    result = compute(sheet)
    for name in (
        "base",
        "amo_gross",
        "participation_forfaitaire",
        "franchise",
        "flat_fee",
        "amo_paid",
        "ticket_moderateur",
        "depassement",
        "hospital_daily_charge",
        "css_part",
        "local_scheme_part",
        "patient_remainder",
    ):
        assert getattr(result.totals, name) == sum(
            (getattr(line, name) for line in result.lines), ZERO
        ), name
    assert result.withheld.participation == result.totals.participation_forfaitaire
    assert result.withheld.franchise == result.totals.franchise


@settings(max_examples=80, deadline=None)
@given(sheets())
def test_the_same_input_always_gives_the_same_output(sheet):
    assert compute(sheet) == compute(sheet)
    # A fresh snapshot (no cached date) gives the same result as the cached one.
    assert compute_sheet(sheet, type(RULES)(RULES.acts, RULES.parameters)) == compute(sheet)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_no_sequence_of_sheets_passes_an_annual_or_daily_cap(data):
    """Sheets of one person, fed through the ledger as the pipeline does it."""
    year = data.draw(st.integers(min_value=2018, max_value=2026))
    day_numbers = sorted(data.draw(st.lists(st.integers(0, 300), min_size=1, max_size=25)))
    pf_year = fr_year = ZERO
    days: dict[date, dict] = {}
    for number in day_numbers:
        care_date = date(year, 1, 1) + timedelta(days=number)
        day = days.setdefault(care_date, {"pf": {}, "para": ZERO, "transport": ZERO})
        already = AlreadyWithheld(
            participation_year=pf_year,
            franchise_year=fr_year,
            participation_day={
                key: ParticipationCount(count, amount) for key, (count, amount) in day["pf"].items()
            },
            franchise_paramedical_day=day["para"],
            franchise_transport_day=day["transport"],
        )
        sheet = data.draw(sheets(care_date=care_date, already=already))
        try:
            result = compute(sheet)
        except InvalidSheet:
            continue
        rules = RULES.on(care_date)
        pf_year += result.withheld.participation
        fr_year += result.withheld.franchise
        day["para"] += result.withheld.franchise_paramedical
        day["transport"] += result.withheld.franchise_transport
        for key, counted in result.withheld.participation_by_professional.items():
            count, amount = day["pf"].get(key, (0, ZERO))
            day["pf"][key] = (count + counted.count, amount + counted.amount)
        assert pf_year <= rules.pf_year.value
        assert fr_year <= rules.franchise_year.value
        assert day["para"] <= rules.franchise_paramedical_day.value
        assert day["transport"] <= rules.franchise_transport_day.value
        assert all(count <= rules.pf_day_count for count, _amount in day["pf"].values())


@settings(max_examples=80, deadline=None)
@given(sheets())
def test_every_step_has_a_sentence_and_every_rule_its_date_and_source(sheet):
    for line in compute(sheet).lines:
        for step in line.explanation:
            assert step.rule in TEMPLATES or step.rule.startswith("local.rate."), step.rule
            if not step.rule.startswith(("base.", "css")):
                assert step.effective_from is not None, step.rule
                assert step.source, step.rule
