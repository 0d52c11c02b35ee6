from affiliation.models.complementary import Mutuelle
from affiliation.models.insured import (
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    Sex,
)
from affiliation.models.requests import AffiliationRequest, RequestDocument, RequestEvent

__all__ = [
    "AffiliationRequest",
    "Beneficiary",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "Mutuelle",
    "RequestDocument",
    "RequestEvent",
    "Sex",
]
