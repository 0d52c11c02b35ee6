"""What every line of one care sheet is computed against."""

from __future__ import annotations

from typing import NamedTuple

from reimbursements.rules.snapshot import DateRules
from reimbursements.rules.types import BeneficiarySituation


class LineContext(NamedTuple):
    """The date's rules and the person, the same for every line of a sheet.

    Immutable; a NamedTuple rather than a frozen dataclass because one is built per sheet and a
    frozen dataclass costs several times more to build (one `object.__setattr__` per field).
    """

    rules: DateRules
    person: BeneficiarySituation
    age: int  # on the care date
    # A stay and a heavy act on one sheet: one flat fee, on the stay.
    stay_with_heavy_act: bool
