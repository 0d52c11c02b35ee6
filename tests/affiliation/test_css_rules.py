"""CSS rules against the published figures (docs/sources.md §4), with the shipped tables."""

import datetime
import re
from decimal import Decimal

import pytest

from affiliation.rules.css import (
    CSSInputError,
    NotCovered,
    Outcome,
    ParticipationBand,
    Territory,
    age_on_first_january,
    assess,
    ceilings_for,
    participation_for,
)
from affiliation.services.css_tables import (
    CEILINGS_FILE,
    ceiling_rows,
    participation_bands,
    read_ceiling_rows,
)

ON_2025 = datetime.date(2025, 6, 15)
ADULT = datetime.date(1990, 6, 1)  # 34 on 1 January 2025: 14 €/month


def run(birth_dates, resources, on=ON_2025, territory=Territory.METROPOLE):
    return assess(
        birth_dates=birth_dates,
        annual_resources=Decimal(resources),
        on=on,
        territory=territory,
        ceiling_rows=ceiling_rows(),
        participation_bands=participation_bands(),
    )


def household(size: int) -> list[datetime.date]:
    return [ADULT] * size


@pytest.mark.parametrize(
    ("size", "free", "participation"),
    [
        (1, "10339", "13957"),
        (2, "15508", "20936"),
        (3, "18609", "25123"),
        (4, "21711", "29311"),
        # 4 persons + 2 × (4 135 / 5 583) per extra person.
        (6, "29981", "40477"),
    ],
)
def test_2025_ceilings_by_household_size(size, free, participation):
    ceilings = ceilings_for(ceiling_rows(), territory="metropole", household_size=size, on=ON_2025)
    assert (ceilings.free, ceilings.participation) == (Decimal(free), Decimal(participation))


@pytest.mark.parametrize(
    ("size", "free", "participation"),
    [(1, "10339", "13957"), (2, "15508", "20936"), (4, "21711", "29311"), (6, "29981", "40477")],
)
def test_edges_of_both_ceilings(size, free, participation):
    free, participation = Decimal(free), Decimal(participation)
    assert run(household(size), free).outcome == Outcome.FREE
    assert run(household(size), free + 1).outcome == Outcome.WITH_PARTICIPATION
    assert run(household(size), participation).outcome == Outcome.WITH_PARTICIPATION
    assert run(household(size), participation + 1).outcome == Outcome.ABOVE_CEILING


def test_cents_just_above_the_free_ceiling_already_need_a_participation():
    assert run([ADULT], "10339.01").outcome == Outcome.WITH_PARTICIPATION


def test_the_2024_ceilings_apply_until_31_march_2025_and_the_2025_ones_from_1_april():
    # 10 200 € is above the 2024 free ceiling (10 166) and below the 2025 one (10 339).
    assert run([ADULT], "10200", on=datetime.date(2025, 3, 31)).outcome == (
        Outcome.WITH_PARTICIPATION
    )
    assert run([ADULT], "10200", on=datetime.date(2025, 4, 1)).outcome == Outcome.FREE
    on_2024 = datetime.date(2024, 4, 1)
    assert run([ADULT], "10166", on=on_2024).outcome == Outcome.FREE
    assert run([ADULT], "13724", on=on_2024).outcome == Outcome.WITH_PARTICIPATION
    assert run([ADULT], "13725", on=on_2024).outcome == Outcome.ABOVE_CEILING


def test_before_the_first_row_nothing_is_guessed():
    with pytest.raises(NotCovered) as caught:
        run([ADULT], "5000", on=datetime.date(2024, 3, 31))
    assert caught.value.code == "no_ceiling"


def test_the_2025_rows_stay_in_force_until_someone_adds_the_2026_ones():
    # ⚠ April-2026 revaluation not in the sources read: the 2025 row is still applied.
    assert run([ADULT], "10339", on=datetime.date(2026, 11, 23)).outcome == Outcome.FREE


def test_every_row_names_its_source_and_derived_rows_say_so():
    rows = read_ceiling_rows(CEILINGS_FILE)
    assert all(row.source for row in rows)
    derived = {(row.valid_from.year, row.persons) for row in rows if "derived" in row.source}
    assert derived == {(2024, 2), (2024, 3), (2024, 4), (2024, None)}
    # Each names the public page or text itself (or docs/sources.md), never an internal note.
    not_public = re.compile(r"RULES\.md|\bissue \d|\bP\d{1,2}\b|(?<!\.md )§")
    sources = [row.source for row in rows] + [band.source for band in participation_bands()]
    assert [source for source in sources if not_public.search(source)] == []


@pytest.mark.parametrize(
    ("birth_date", "age", "amount"),
    [
        # Application in 2025: the age that counts is the age on 2025-01-01.
        (datetime.date(1995, 1, 2), 29, "8.00"),
        (datetime.date(1995, 1, 1), 30, "14.00"),
        (datetime.date(1975, 1, 2), 49, "14.00"),
        (datetime.date(1975, 1, 1), 50, "21.00"),
        (datetime.date(1965, 1, 2), 59, "21.00"),
        (datetime.date(1965, 1, 1), 60, "25.00"),
        (datetime.date(1955, 1, 2), 69, "25.00"),
        (datetime.date(1955, 1, 1), 70, "30.00"),
        (datetime.date(2025, 3, 1), 0, "8.00"),  # born this year
    ],
)
def test_participation_by_age_on_1_january(birth_date, age, amount):
    assert age_on_first_january(birth_date, ON_2025) == age
    assert participation_for(participation_bands(), age=age, on=ON_2025) == Decimal(amount)


def test_a_birthday_later_in_the_year_does_not_change_the_band():
    # 29 on 1 January 2025, 30 in June: still 8 € for an application in December 2025.
    on = datetime.date(2025, 12, 1)
    assert age_on_first_january(datetime.date(1995, 6, 1), on) == 29


def test_participation_result_lists_each_person_and_the_total():
    couple_and_child = [datetime.date(1980, 5, 1), datetime.date(1962, 7, 1), ADULT.replace(2015)]
    result = run(couple_and_child, "20000")  # 3 persons: 18 609 < 20 000 ≤ 25 123
    assert result.outcome == Outcome.WITH_PARTICIPATION
    assert [m.monthly_amount for m in result.members] == [
        Decimal("14.00"),  # 44 on 1 January 2025
        Decimal("25.00"),  # 62
        Decimal("8.00"),  # 9
    ]
    assert result.monthly_participation == Decimal("47.00")
    assert [line.code for line in result.explanation] == [
        "household",
        "ceilings",
        "with_participation",
        "member_participation",
        "member_participation",
        "member_participation",
        "participation_total",
    ]


def test_free_and_above_ceiling_cost_nothing_per_month():
    assert run([ADULT], "0").monthly_participation == Decimal("0.00")
    above = run([ADULT], "50000")
    assert above.monthly_participation == Decimal("0.00")
    assert not above.is_eligible
    assert [line.code for line in above.explanation][-1] == "above_ceiling"


def test_overseas_households_are_not_covered():
    with pytest.raises(NotCovered) as caught:
        run([ADULT], "5000", territory=Territory.OVERSEAS)
    assert caught.value.code == "territory_not_covered"


@pytest.mark.parametrize(
    ("birth_dates", "resources", "code"),
    [
        ([], "1000", "no_member"),
        ([ADULT], "-1", "negative_resources"),
        ([datetime.date(2025, 6, 16)], "1000", "born_after_application"),
    ],
)
def test_bad_input_is_refused_with_a_reason(birth_dates, resources, code):
    with pytest.raises(CSSInputError) as caught:
        run(birth_dates, resources)
    assert caught.value.code == code


def test_participation_bands_are_date_effective():
    bands = [
        ParticipationBand(
            datetime.date(2024, 1, 1), datetime.date(2026, 1, 1), 0, None, Decimal(8), ""
        ),
        ParticipationBand(datetime.date(2026, 1, 1), None, 0, None, Decimal(9), ""),
    ]
    assert participation_for(bands, age=40, on=datetime.date(2025, 12, 31)) == Decimal("8.00")
    assert participation_for(bands, age=40, on=datetime.date(2026, 1, 1)) == Decimal("9.00")
    with pytest.raises(NotCovered):
        participation_for(bands, age=40, on=datetime.date(2023, 12, 31))
