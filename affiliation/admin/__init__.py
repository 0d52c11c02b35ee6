"""Back-office of affiliation, one module per area (Django imports this package)."""

from django.utils.translation import gettext_lazy as _

from affiliation.admin import (  # noqa: F401
    account,
    css,
    documents,
    insured,
    requests,
)
from affiliation.admin.insured import FICHE_LINKS, FicheLink

# The other areas' lists, filtered on the person, linked from the fiche assuré.
FICHE_LINKS.extend(
    [
        FicheLink(
            _("Demande d'affiliation"),
            "admin:affiliation_affiliationrequest_changelist",
            "insured__id__exact={pk}",
        ),
        FicheLink(
            _("Coordonnées bancaires"),
            "admin:affiliation_bankaccount_changelist",
            "person__id__exact={pk}",
        ),
        FicheLink(
            _("Changements d'adresse"),
            "admin:affiliation_addresschange_changelist",
            "person__id__exact={pk}",
        ),
        FicheLink(
            _("Contrats de complémentaire santé"),
            "admin:mutuelles_mutuellecontract_changelist",
            "person__id__exact={pk}",
        ),
        FicheLink(
            _("Commandes de cartes"),
            "admin:affiliation_cardorder_changelist",
            "person__id__exact={pk}",
        ),
        FicheLink(
            _("Attestations délivrées"),
            "admin:affiliation_issueddocument_changelist",
            "holder__id__exact={pk}",
        ),
    ]
)
