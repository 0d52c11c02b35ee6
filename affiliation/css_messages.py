"""The words of the CSS rules' explanations and errors, in the reader's language."""

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from affiliation.rules.css import CSSInputError, Explanation, Outcome

OUTCOME_LABELS = {
    Outcome.FREE: gettext_lazy("Complémentaire santé solidaire sans participation financière"),
    Outcome.WITH_PARTICIPATION: gettext_lazy(
        "Complémentaire santé solidaire avec participation financière"
    ),
    Outcome.ABOVE_CEILING: gettext_lazy("Ressources au-dessus des plafonds"),
}

INPUT_ERRORS = {
    "no_member": gettext_lazy("Indiquez la date de naissance d'au moins une personne du foyer."),
    "negative_resources": gettext_lazy("Les ressources ne peuvent pas être négatives."),
    "born_after_application": gettext_lazy(
        "Une date de naissance est postérieure à la date de la demande."
    ),
    "territory_not_covered": gettext_lazy(
        "Le simulateur ne couvre pas encore les départements d'outre-mer, dont les plafonds sont "
        "plus élevés : adressez-vous à votre caisse ou appelez le 36 46."
    ),
    "no_ceiling": gettext_lazy(
        "Aucun plafond connu n'est en vigueur à cette date : adressez-vous à votre caisse."
    ),
    "no_participation_band": gettext_lazy(
        "Aucun barème de participation connu n'est en vigueur à cette date : adressez-vous à "
        "votre caisse."
    ),
}


def euros(amount: Decimal) -> str:
    """'13 957,00 €' in French, '13,957.00 €' in English."""
    return _("%(amount)s\u00a0€") % {"amount": number_format(amount, 2, force_grouping=True)}


def describe_error(error: CSSInputError) -> str:
    return str(INPUT_ERRORS.get(error.code, INPUT_ERRORS["no_ceiling"]))


def describe(line: Explanation) -> str:
    p = line.params
    if line.code == "household":
        return ngettext(
            "Votre foyer compte %(size)s personne.",
            "Votre foyer compte %(size)s personnes.",
            p["size"],
        ) % {"size": p["size"]}
    if line.code == "ceilings":
        return ngettext(
            "Plafonds annuels pour %(size)s personne : %(free)s sans participation, "
            "%(participation)s avec participation.",
            "Plafonds annuels pour %(size)s personnes : %(free)s sans participation, "
            "%(participation)s avec participation.",
            p["size"],
        ) % {
            "size": p["size"],
            "free": euros(p["free"]),
            "participation": euros(p["participation"]),
        }
    if line.code == "free":
        return _(
            "Vos ressources (%(resources)s) ne dépassent pas le plafond de %(ceiling)s : la "
            "complémentaire santé solidaire ne vous coûterait rien."
        ) % {"resources": euros(p["resources"]), "ceiling": euros(p["ceiling"])}
    if line.code == "with_participation":
        return _(
            "Vos ressources (%(resources)s) dépassent %(free)s sans dépasser %(ceiling)s : la "
            "complémentaire santé solidaire vous serait accordée avec une participation mensuelle."
        ) % {
            "resources": euros(p["resources"]),
            "free": euros(p["free"]),
            "ceiling": euros(p["ceiling"]),
        }
    if line.code == "member_participation":
        return _(
            "Personne née le %(birth_date)s, %(age)s ans au 1er janvier %(year)s : %(amount)s "
            "par mois."
        ) % {
            "birth_date": date_format(p["birth_date"], "SHORT_DATE_FORMAT"),
            "age": p["age"],
            "year": p["year"],
            "amount": euros(p["amount"]),
        }
    if line.code == "participation_total":
        return _("Participation totale : %(amount)s par mois.") % {"amount": euros(p["amount"])}
    if line.code == "above_ceiling":
        return _(
            "Vos ressources (%(resources)s) dépassent le plafond de %(ceiling)s : la "
            "complémentaire santé solidaire ne pourrait pas vous être accordée."
        ) % {"resources": euros(p["resources"]), "ceiling": euros(p["ceiling"])}
    raise ValueError(line.code)


def describe_all(lines) -> list[str]:
    return [describe(line) for line in lines]
