from affiliation.models.complementary import Mutuelle
from affiliation.models.css import CSSApplication, CSSApplicationMember
from affiliation.models.insured import (
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    Sex,
)

__all__ = [
    "Beneficiary",
    "CSSApplication",
    "CSSApplicationMember",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "Mutuelle",
    "Sex",
]
