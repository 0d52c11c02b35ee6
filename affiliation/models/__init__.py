from affiliation.models.account import ActivationCode, AddressChange, BankAccount, LinkingLockout
from affiliation.models.complementary import Mutuelle, MutuelleContract
from affiliation.models.insured import (
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    Sex,
)

__all__ = [
    "ActivationCode",
    "AddressChange",
    "BankAccount",
    "Beneficiary",
    "CoveragePeriod",
    "Exemption",
    "InsuredPerson",
    "LinkingLockout",
    "Mutuelle",
    "MutuelleContract",
    "Sex",
]
