from affiliation.models.account import ActivationCode, AddressChange, BankAccount, LinkingLockout
from affiliation.models.css import CSSApplication, CSSApplicationMember
from affiliation.models.documents import CardOrder, IssuedDocument
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
    "ActivationCode",
    "AddressChange",
    "BankAccount",
    "Beneficiary",
    "CSSApplication",
    "CSSApplicationMember",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "LinkingLockout",
    "CardOrder",
    "IssuedDocument",
    "RequestDocument",
    "RequestEvent",
    "Sex",
]
