from affiliation.models.complementary import Mutuelle
from affiliation.models.insured import (
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    Sex,
)

__all__ = [
    "Beneficiary",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "Mutuelle",
    "Sex",
]
