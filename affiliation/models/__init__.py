from affiliation.models.complementary import Mutuelle
from affiliation.models.documents import CardOrder, IssuedDocument
from affiliation.models.insured import (
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    Sex,
)

__all__ = [
    "Beneficiary",
    "CardOrder",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "IssuedDocument",
    "Mutuelle",
    "Sex",
]
