"""The engine's explanation steps as sentences the insured person reads ("why this amount?").

Text only (no HTML), in the active language. The engine names each rule with a stable code
(`ExplanationStep.rule`); this module is the only place that turns a code into words. Used by
the simulator (page and API) and by the statement pages, which store steps as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reimbursements.rules.types import ExplanationStep

# Rule code -> sentence. %(value)s is the step's value, %(percent)s the value as a percentage,
# other names come from the step's params.
TEMPLATES = {
    "tariff": gettext_lazy("Tarif de l'acte dans la nomenclature : %(value)s € l'unité."),
    "base.unlisted": gettext_lazy(
        "Code absent de la nomenclature à cette date : la base indiquée sur la feuille "
        "(%(value)s € l'unité) est retenue."
    ),
    "base.given": gettext_lazy("Base indiquée sur la feuille : %(value)s € l'unité."),
    "base.differs": gettext_lazy(
        "La feuille indique une base de %(value)s € l'unité, différente du tarif de la "
        "nomenclature (%(tariff)s €) : la base de la feuille est retenue."
    ),
    "sector2.base.general_practitioner": gettext_lazy(
        "Médecin de secteur 2 sans OPTAM : la consultation est remboursée sur une base de "
        "%(value)s €."
    ),
    "sector2.base.specialist": gettext_lazy(
        "Médecin de secteur 2 sans OPTAM : la consultation est remboursée sur une base de "
        "%(value)s €."
    ),
    "sector3.base.general_practitioner": gettext_lazy(
        "Médecin non conventionné (secteur 3) : remboursement sur le tarif d'autorité de "
        "%(value)s €."
    ),
    "sector3.base.specialist": gettext_lazy(
        "Médecin non conventionné (secteur 3) : remboursement sur le tarif d'autorité de "
        "%(value)s €."
    ),
    "rate.doctor": gettext_lazy("Consultations et actes des médecins : remboursés à %(percent)s."),
    "rate.doctor_outside_pathway": gettext_lazy(
        "Hors parcours de soins coordonnés : remboursement à %(percent)s au lieu de 70 %%."
    ),
    "rate.midwife": gettext_lazy("Soins des sages-femmes : remboursés à %(percent)s."),
    "rate.dental": gettext_lazy("Soins dentaires : remboursés à %(percent)s."),
    "rate.auxiliary": gettext_lazy(
        "Soins des auxiliaires médicaux (infirmiers, kinésithérapeutes…) : remboursés à "
        "%(percent)s."
    ),
    "rate.biology": gettext_lazy("Analyses de biologie : remboursées à %(percent)s."),
    "rate.imaging": gettext_lazy("Imagerie médicale : remboursée à %(percent)s."),
    "rate.pharmacy": gettext_lazy("Médicament : remboursé à %(percent)s."),
    "rate.pharmacy_code": gettext_lazy("Médicament : remboursé à %(percent)s selon son code."),
    "rate.transport": gettext_lazy("Transport sanitaire : remboursé à %(percent)s."),
    "rate.hospital": gettext_lazy("Séjour à l'hôpital : remboursé à %(percent)s."),
    "coverage.ald": gettext_lazy(
        "Soins en rapport avec votre affection de longue durée : remboursés à 100 %%."
    ),
    "coverage.maternity": gettext_lazy(
        "Période de maternité (du 6e mois de grossesse au 12e jour après l'accouchement) : "
        "soins remboursés à 100 %%."
    ),
    "coverage.at_mp": gettext_lazy(
        "Soins en rapport avec l'accident du travail ou la maladie professionnelle : remboursés "
        "à 100 %%."
    ),
    "coverage.invalidity": gettext_lazy("Pension d'invalidité : soins remboursés à 100 %%."),
    "coverage.ame": gettext_lazy("Aide médicale de l'État : soins pris en charge à 100 %%."),
    "pathway.under_age": gettext_lazy(
        "Moins de %(value)s ans : le parcours de soins ne s'applique pas, pas de minoration."
    ),
    "pathway.exempt.maternity": gettext_lazy(
        "Grossesse à partir du 6e mois : pas de minoration hors parcours de soins."
    ),
    "pathway.exempt.css": gettext_lazy(
        "Complémentaire santé solidaire : pas de minoration hors parcours de soins."
    ),
    "pathway.exempt.ame": gettext_lazy(
        "Aide médicale de l'État : pas de minoration hors parcours de soins."
    ),
    "pathway.direct_access.gynaecology": gettext_lazy(
        "Gynécologue consulté directement : accès direct autorisé, remboursement à %(percent)s."
    ),
    "pathway.direct_access.ophthalmology": gettext_lazy(
        "Ophtalmologiste consulté directement : accès direct autorisé, remboursement à %(percent)s."
    ),
    "pathway.direct_access.stomatology": gettext_lazy(
        "Stomatologue consulté directement : accès direct autorisé, remboursement à %(percent)s."
    ),
    "pathway.direct_access.psychiatry": gettext_lazy(
        "Psychiatre consulté directement entre 16 et 25 ans : accès direct autorisé, "
        "remboursement à %(percent)s."
    ),
    "flat_fee.amount": gettext_lazy(
        "Acte de 120 € ou plus (ou de coefficient 60 ou plus) : une participation de "
        "%(value)s € remplace le ticket modérateur."
    ),
    "flat_fee.in_stay": gettext_lazy(
        "Acte lourd pendant le séjour : la participation de %(value)s € est comptée une seule "
        "fois, sur le séjour."
    ),
    "pf.amount": gettext_lazy("Participation forfaitaire de %(value)s € retenue."),
    "pf.exempt.under_age": gettext_lazy(
        "Moins de %(value)s ans : pas de participation forfaitaire."
    ),
    "pf.exempt.maternity": gettext_lazy("Maternité : pas de participation forfaitaire."),
    "pf.exempt.css": gettext_lazy(
        "Complémentaire santé solidaire : pas de participation forfaitaire."
    ),
    "pf.exempt.ame": gettext_lazy("Aide médicale de l'État : pas de participation forfaitaire."),
    "pf.cap.day_count": gettext_lazy(
        "Déjà %(value)s participations forfaitaires ce jour-là pour ce professionnel : aucune "
        "de plus."
    ),
    "pf.cap.year": gettext_lazy(
        "Plafond annuel de %(value)s € de participations forfaitaires : il restait %(left)s €."
    ),
    "pf.limited_by_payment": gettext_lazy(
        "La participation forfaitaire est limitée au remboursement de la ligne : %(value)s €."
    ),
    "franchise.medicine": gettext_lazy("Franchise médicale de %(value)s € par boîte retenue."),
    "franchise.paramedical": gettext_lazy(
        "Franchise médicale de %(value)s € par acte paramédical retenue."
    ),
    "franchise.transport": gettext_lazy("Franchise médicale de %(value)s € par transport retenue."),
    "franchise.exempt.under_age": gettext_lazy("Moins de %(value)s ans : pas de franchise."),
    "franchise.exempt.maternity": gettext_lazy("Maternité : pas de franchise."),
    "franchise.exempt.css": gettext_lazy("Complémentaire santé solidaire : pas de franchise."),
    "franchise.exempt.ame": gettext_lazy("Aide médicale de l'État : pas de franchise."),
    "franchise.cap.paramedical_day": gettext_lazy(
        "Plafond de %(value)s € par jour de franchises sur les actes paramédicaux atteint."
    ),
    "franchise.cap.transport_day": gettext_lazy(
        "Plafond de %(value)s € par jour de franchises sur les transports atteint."
    ),
    "franchise.cap.year": gettext_lazy(
        "Plafond annuel de %(value)s € de franchises : il restait %(left)s €."
    ),
    "franchise.limited_by_payment": gettext_lazy(
        "La franchise est limitée au remboursement de la ligne : %(value)s €."
    ),
    "fjh.amount": gettext_lazy(
        "Forfait journalier hospitalier : %(value)s € par jour, %(days)s jours (jour de sortie "
        "compris)."
    ),
    "fjh.psychiatry": gettext_lazy(
        "Forfait journalier en psychiatrie : %(value)s € par jour, %(days)s jours (jour de "
        "sortie compris)."
    ),
    "fjh.short_stay": gettext_lazy("Séjour de moins de 24 heures : pas de forfait journalier."),
    "fjh.exempt.maternity": gettext_lazy("Maternité : pas de forfait journalier."),
    "fjh.exempt.ame": gettext_lazy("Aide médicale de l'État : pas de forfait journalier."),
    "fjh.exempt.at_mp": gettext_lazy(
        "Accident du travail ou maladie professionnelle : pas de forfait journalier."
    ),
    "fjh.exempt.newborn": gettext_lazy(
        "Nouveau-né hospitalisé dans ses %(value)s premiers jours : pas de forfait journalier."
    ),
    "css": gettext_lazy(
        "La complémentaire santé solidaire prend en charge %(value)s € (ticket modérateur et "
        "forfaits)."
    ),
    "rounding": gettext_lazy("Montants arrondis au centime sur chaque ligne."),
}
LOCAL_SCHEME = gettext_lazy(
    "Régime local d'Alsace-Moselle : complément jusqu'à %(percent)s de la base."
)


def _percent(value: str) -> str:
    try:
        number = Decimal(value) * 100
    except InvalidOperation:
        return value
    return f"{number.normalize():f} %"


def _number(text: str) -> str:
    """ "2.00" as the language writes it ("2,00" in French); other texts unchanged."""
    if "." not in text:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return number_format(number, decimal_pos=len(text.partition(".")[2]))


def _sentence(rule: str, value: str, params: Mapping[str, str]) -> str:
    template = TEMPLATES.get(rule)
    if template is None and rule.startswith("local.rate."):
        template = LOCAL_SCHEME
    if template is None:
        return f"{rule} : {value}"
    names: dict[str, str] = {"value": _number(value), "percent": _percent(value)}
    names.update({name: _number(text) for name, text in params.items()})
    try:
        return str(template) % names
    except (KeyError, ValueError):
        return f"{rule} : {value}"


def _since(effective_from: date | None, source: str) -> str:
    if effective_from is None:
        return ""
    text = _("En vigueur depuis le %(date)s.") % {"date": date_format(effective_from)}
    if source:
        text += " " + _("Source : %(source)s.") % {"source": source}
    return text


def step_text(step: ExplanationStep) -> str:
    """One step as a sentence, with the date the rule took effect and its source."""
    sentence = _sentence(step.rule, step.value, dict(step.params))
    since = _since(step.effective_from, step.source)
    return f"{sentence} {since}" if since else sentence


def explain(steps: Iterable[ExplanationStep]) -> list[str]:
    return [step_text(step) for step in steps]


def explain_stored(data: Iterable[Mapping]) -> list[str]:
    """Sentences from steps stored as JSON (rule, value, effective_from, source, params)."""
    sentences = []
    for item in data or ():
        raw_date = item.get("effective_from")
        effective_from = date.fromisoformat(raw_date) if raw_date else None
        params = item.get("params") or {}
        if not isinstance(params, Mapping):
            params = dict(params)
        sentence = _sentence(item.get("rule", ""), str(item.get("value", "")), params)
        since = _since(effective_from, item.get("source", ""))
        sentences.append(f"{sentence} {since}" if since else sentence)
    return sentences


def steps_as_json(steps: Iterable[ExplanationStep]) -> list[dict]:
    """The engine's steps as a statement line stores them (`StatementLine.explanation`), the
    form `explain_stored` reads back."""
    return [
        {
            "rule": step.rule,
            "value": step.value,
            "effective_from": step.effective_from.isoformat() if step.effective_from else None,
            "source": step.source,
            "params": dict(step.params),
        }
        for step in steps
    ]
