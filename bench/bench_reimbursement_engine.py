"""Lines per second of the pure reimbursement engine on one core, against a baseline.

`run()` builds BENCH_ENGINE_SHEETS care sheets (default 70 000, about 100 000 lines) of a
realistic mix — GP consultations with majorations, specialists in and outside the parcours,
sectors 1/2/3, pharmacy boxes, nurses and physiotherapists (key letters), biology, imaging,
dentists, transport, hospital stays; persons with ALD, CSS, maternity, Alsace-Moselle; care
dates spread over 2019–2026 — and times `compute_sheet` over all of them in this one process
(one core), with the rules from the shipped CSV files (no database). Times are the process's
CPU time (`time.process_time`), so that other work on a shared machine does not count.

Baseline, measured in the same run on the same lines: the bare arithmetic every line needs
whatever the rules — `(unit price × quantity).quantize(cent)` then `(base × rate).quantize(cent)`
and `amount − base` in Decimal, the rate taken from a dict. The ratio says how many times the
bare arithmetic the engine costs for everything else (the date's rules, parcours, 100 % cases,
caps, franchises, daily charge, CSS/local parts, explanation steps, totals, result objects).

Reached (2026-11-23, shared 2-core VM under load, CPU time): about 60 000–75 000 lines/s, below
the 100 000 aimed at. What bounds it: CPython's per-line work — ~20 attribute reads and branches
per rule family, 2–4 Decimal quantize/multiply, building the line's explanation tuple and the
LineResult/Totals/SheetResult tuples; per sheet, validation and the ledger of caps. The rules
of a date are resolved once per period between two changes (11 periods for 2019–2026), so no
table lookup is left per line.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cpam_portal.money import CENT
from reimbursements.nomenclature import rule_snapshot_from_files
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import (
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    Exemption,
    ParticipationCount,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
)

GP = Professional.GENERAL_PRACTITIONER


def _gp(rng, day):
    lines = [CareLine("G", Decimal("30.00"), GP, professional_id=str(rng.randint(1, 500)))]
    if rng.random() < 0.15:
        lines.append(CareLine("MCG", Decimal("3.00"), GP))
    if rng.random() < 0.05:
        lines.append(CareLine("F", Decimal("19.06"), GP))
    return lines


def _specialist(rng, day):
    sector = rng.choice([Sector.ONE, Sector.TWO_OPTAM, Sector.TWO, Sector.THREE])
    pathway = rng.choice([Pathway.REFERRED_BY_GP, Pathway.DIRECT_ACCESS, Pathway.OUTSIDE_PATHWAY])
    base = Decimal(rng.choice(["30.00", "45.00", "125.40", "250.00"]))
    return [
        CareLine(
            "CCAM",
            base + Decimal(rng.choice(["0", "10", "40"])),
            Professional.SPECIALIST,
            base=base,
            sector=sector,
            pathway=pathway,
        )
    ]


def _pharmacy(rng, day):
    return [
        CareLine(
            rng.choice(["PH7", "PH7", "PH4", "PH1", "PH2"]),
            Decimal("12.00"),
            Professional.PHARMACY,
            base=Decimal(rng.choice(["2.09", "4.50", "11.30", "27.80"])),
            quantity=Decimal(rng.randint(1, 3)),
        )
        for _ in range(rng.randint(1, 4))
    ]


def _paramedical(rng, day):
    code, who = rng.choice([("AMI", Professional.NURSE), ("AMK", Professional.PHYSIOTHERAPIST)])
    quantity = Decimal(rng.choice([1, 2, 3, 8, 10]))
    return [CareLine(code, Decimal("25.00"), who, quantity=quantity)]


def _biology(rng, day):
    return [
        CareLine(
            "B",
            Decimal("18.00"),
            Professional.LABORATORY,
            base=Decimal("18.00"),
            professional_id="L1",
        )
    ]


def _imaging(rng, day):
    return [CareLine("IMG", Decimal("70.00"), Professional.RADIOLOGY, base=Decimal("70.00"))]


def _dental(rng, day):
    return [CareLine("HBMD", Decimal("29.30"), Professional.DENTIST, base=Decimal("29.30"))]


def _transport(rng, day):
    return [
        CareLine(
            "TAX",
            Decimal("60.00"),
            Professional.TRANSPORT,
            base=Decimal("30.00"),
            quantity=Decimal(2),
        )
    ]


def _stay(rng, day):
    admission = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    discharge = admission + timedelta(hours=rng.randint(2, 24 * 10))
    return [
        CareLine(
            "GHS",
            Decimal("2500.00"),
            Professional.HOSPITAL,
            base=Decimal("2500.00"),
            admission=admission,
            discharge=discharge,
        )
    ]


KINDS = [
    (_gp, 40),
    (_pharmacy, 25),
    (_specialist, 12),
    (_paramedical, 10),
    (_biology, 5),
    (_imaging, 3),
    (_dental, 3),
    (_transport, 1),
    (_stay, 1),
]


def build_sheets(count: int, rng: random.Random) -> list[SheetInput]:
    makers = [maker for maker, weight in KINDS for _ in range(weight)]
    first = date(2019, 1, 1).toordinal()
    last = date(2026, 11, 1).toordinal()
    sheets = []
    for _ in range(count):
        day = date.fromordinal(rng.randint(first, last))
        exemptions = frozenset()
        roll = rng.random()
        if roll < 0.15:
            exemptions = frozenset({Exemption.ALD})
        elif roll < 0.20:
            exemptions = frozenset({Exemption.CSS})
        elif roll < 0.22:
            exemptions = frozenset({Exemption.MATERNITY})
        person = BeneficiarySituation(
            birth_date=date(rng.randint(1930, 2024), rng.randint(1, 12), rng.randint(1, 28)),
            scheme=Scheme.ALSACE_MOSELLE if rng.random() < 0.04 else Scheme.GENERAL,
            exemptions=exemptions,
        )
        if person.birth_date > day:
            person = BeneficiarySituation(date(1980, 5, 5), person.scheme, True, exemptions)
        lines = rng.choice(makers)(rng, day)
        if exemptions:
            lines = [
                CareLine(**{**_fields(line), "ald_related": rng.random() < 0.7}) for line in lines
            ]
        already = AlreadyWithheld(
            participation_year=Decimal(rng.choice(["0.00", "12.00", "49.00", "50.00"])),
            franchise_year=Decimal(rng.choice(["0.00", "20.00", "49.50"])),
            participation_day={"7": ParticipationCount(rng.randint(0, 4), Decimal("2.00"))},
        )
        sheets.append(SheetInput(day, person, tuple(lines), already))
    return sheets


def _fields(line: CareLine) -> dict:
    return {name: getattr(line, name) for name in CareLine.__slots__}


def baseline(sheets: list[SheetInput], tariffs: dict[str, Decimal]) -> None:
    rate = Decimal("0.70")
    # `quantize` itself rather than cpam_portal.money.to_cents: the baseline is the bare
    # arithmetic, and a call per amount would slow it and flatter the ratio.
    for sheet in sheets:
        for line in sheet.lines:
            unit = line.base if line.base is not None else tariffs[line.act_code]
            base = (unit * line.quantity).quantize(CENT, ROUND_HALF_UP)
            (base * rate).quantize(CENT, ROUND_HALF_UP)
            line.amount_charged - base


def run() -> None:
    count = int(os.environ.get("BENCH_ENGINE_SHEETS", "70000"))
    rng = random.Random(20261123)  # noqa: S311 (reproducible test data, not secrets)
    rules = rule_snapshot_from_files()
    sheets = build_sheets(count, rng)
    lines = sum(len(sheet.lines) for sheet in sheets)
    tariffs = {act.code: act.tariff for act in rules.acts if act.tariff is not None}

    for sheet in sheets[:2000]:  # warm the per-date cache a little, as a long-running worker
        compute_sheet(sheet, rules)

    started = time.process_time()
    for sheet in sheets:
        compute_sheet(sheet, rules)
    engine_seconds = time.process_time() - started

    started = time.process_time()
    baseline(sheets, tariffs)
    baseline_seconds = time.process_time() - started

    engine_speed = lines / engine_seconds
    baseline_speed = lines / baseline_seconds
    print(
        f"    {count} sheets, {lines} lines, {len(rules._dates)} care dates "
        f"({len(rules._periods)} rule periods), one core"
    )
    print(f"    engine:   {engine_speed:>12,.0f} lines/s")
    print(f"    baseline: {baseline_speed:>12,.0f} lines/s (bare Decimal base x rate)")
    print(f"    ratio:    {engine_speed / baseline_speed:.2f} of the bare arithmetic")
