"""Translated texts of the engine's explanation steps and of its input problems.

The engine (`allowances.rules`) speaks in stable codes and plain figures; this module turns them
into sentences in the active language, for the simulator page, the API and the back office.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from allowances.rules.types import ClaimProblem, ExplanationStep

VERDICTS = {
    "met": _("condition remplie"),
    "not_met": _("condition non remplie"),
    "unknown": _("condition non vérifiable avec les informations données"),
}

STEP_TEXTS = {
    "eligibility.not_required": _(
        "Accident du travail ou maladie professionnelle : aucune condition de durée de travail "
        "ou de cotisation."
    ),
    "eligibility.up_to_6_months": _(
        "Arrêt jusqu'à 6 mois : %(hours_threshold)s heures travaillées du %(hours_from)s au "
        "%(hours_to)s, ou des salaires d'au moins %(smic_multiple)s × %(smic_hourly)s € "
        "(Smic horaire au %(smic_on)s) = %(contribution_threshold)s € du %(contribution_from)s "
        "au %(contribution_to)s : %(verdict)s."
    ),
    "eligibility.over_6_months": _(
        "Au-delà de 6 mois : %(hours_threshold)s heures du %(hours_from)s au %(hours_to)s, ou "
        "des salaires d'au moins %(smic_multiple)s × %(smic_hourly)s € = "
        "%(contribution_threshold)s € du %(contribution_from)s au %(contribution_to)s : "
        "%(verdict)s."
    ),
    "eligibility.maternity_up_to_6_months": _(
        "Maternité : %(hours_threshold)s heures travaillées du %(hours_from)s au %(hours_to)s, "
        "ou des salaires d'au moins %(smic_multiple)s × %(smic_hourly)s € = "
        "%(contribution_threshold)s € du %(contribution_from)s au %(contribution_to)s : "
        "%(verdict)s."
    ),
    "eligibility.maternity_over_6_months": _(
        "Ou, sur 12 mois : %(hours_threshold)s heures du %(hours_from)s au %(hours_to)s, ou des "
        "salaires d'au moins %(smic_multiple)s × %(smic_hourly)s € = %(contribution_threshold)s € "
        "du %(contribution_from)s au %(contribution_to)s : %(verdict)s."
    ),
    "eligibility.affiliation": _("Immatriculation depuis au moins %(months)s mois : %(verdict)s."),
    "waiting.days": _(
        "Délai de carence : %(value)s jour(s) non indemnisé(s) (règle : %(rule_days)s)."
    ),
    "waiting.none_work_accident": _("Pas de délai de carence pour un accident du travail."),
    "waiting.none_maternity": _("Pas de délai de carence pour un congé maternité."),
    "waiting.none_work_resumed": _(
        "Pas de nouveau délai de carence : reprise du travail de %(days_worked)s jour(s) "
        "seulement après l'arrêt précédent terminé le %(previous_end)s (48 heures au plus)."
    ),
    "waiting.none_ald": _(
        "Pas de nouveau délai de carence : un délai a déjà été appliqué pour la même affection "
        "de longue durée le %(applied_on)s (un seul par période de %(years)s ans)."
    ),
    "cap.sickness": _(
        "Salaire mensuel retenu au plus : %(factor)s × Smic mensuel de %(smic_monthly)s € "
        "(en vigueur le %(smic_on)s) = %(value)s €."
    ),
    "cap.maternity": _(
        "Salaire mensuel retenu au plus : plafond mensuel de la Sécurité sociale, %(value)s €."
    ),
    "cap.work_accident": _(
        "Salaire journalier de référence au plus : %(rate)s × plafond annuel de la Sécurité "
        "sociale de %(pass_annual)s € = %(value)s €."
    ),
    "base.sickness": _(
        "Salaire journalier de base : %(counted)s € (salaires des %(months)s mois précédents, "
        "plafonnés) ÷ %(divisor)s = %(value)s €."
    ),
    "base.maternity": _(
        "Salaire journalier de base : %(counted)s € (salaires des %(months)s mois précédents, "
        "plafonnés) ÷ %(divisor)s = %(value)s €."
    ),
    "base.work_accident": _(
        "Salaire journalier de référence : %(counted)s € (salaire du mois précédent) ÷ "
        "%(divisor)s = %(uncapped)s €, retenu %(value)s €."
    ),
    "amount.rate": _("Indemnité journalière : %(rate)s × %(daily_base)s € = %(value)s €."),
    "amount.from_day_29": _(
        "À partir du 29e jour d'arrêt : %(rate)s × %(daily_base)s € = %(value)s €."
    ),
    "amount.maternity": _(
        "Indemnité journalière : salaire journalier de base moins %(deduction)s de cotisations "
        "forfaitaires = %(value)s €."
    ),
    "amount.maximum": _(
        "Indemnité journalière maximale (montant réglementaire) : %(rate)s × %(daily_base_cap)s € "
        "(salaire journalier de base plafonné) = %(value)s €%(reached_text)s."
    ),
    "amount.maximum_from_day_29": _(
        "Maximale à partir du 29e jour : %(rate)s × %(daily_base_cap)s € = %(value)s €"
        "%(reached_text)s."
    ),
    "amount.maternity_minimum": _("Montant minimum de l'indemnité de maternité : %(value)s €."),
    "amount.maternity_minimum_not_held": _(
        "Aucun montant minimum de l'indemnité de maternité n'est connu pour cette date : aucun "
        "n'est appliqué."
    ),
    "rounding": _(
        "Arrondis au centime : salaire journalier de base %(daily_base_mode)s ; indemnité "
        "journalière calculée sur vos salaires %(amount_mode)s ; plafonds, seuils et montants "
        "maximum réglementaires %(maximum_mode)s. Votre indemnité ne dépasse jamais le montant "
        "maximum, et l'atteint exactement si votre salaire atteint le plafond."
    ),
    "duration.not_eligible": _("Conditions d'ouverture des droits non remplies : aucun jour payé."),
    "duration.over_6_months_not_met": _(
        "Conditions pour un arrêt de plus de %(months)s mois non remplies : indemnités jusqu'au "
        "%(value)s."
    ),
    "duration.ald": _(
        "Affection de longue durée : indemnités pendant %(years)s ans au plus depuis le "
        "%(since)s, soit jusqu'au %(value)s."
    ),
    "duration.max_days": _(
        "Au plus %(max_days)s indemnités sur 3 ans ; %(already_paid)s déjà versées : "
        "%(value)s restantes."
    ),
    "total": _("Total : %(days)s jour(s) indemnisé(s), %(value)s €."),
}

REACHED_TEXTS = {
    "yes": _(" : votre salaire atteint le plafond, ce montant est retenu"),
    "no": "",
}

ROUNDING_NAMES = {
    "ROUND_HALF_UP": _("au plus proche (0,5 vers le haut)"),
    "ROUND_DOWN": _("tronqué"),
    "ROUND_HALF_EVEN": _("au pair le plus proche"),
    "ROUND_HALF_DOWN": _("au plus proche (0,5 vers le bas)"),
    "ROUND_UP": _("vers le haut"),
}

PROBLEM_TEXTS = {
    "before_start": _("La date de fin est antérieure à la date de début."),
    "rules_not_held": _(
        "Les règles de calcul ne sont pas connues pour un arrêt commençant avant le "
        "1er janvier 2017."
    ),
    "negative": _("Le montant ne peut pas être négatif (%(month)s)."),
    "negative_hours": _("Le nombre d'heures ne peut pas être négatif (%(month)s)."),
    "duplicate_month": _("Le mois %(month)s est donné deux fois."),
    "not_a_month": _("%(month)s n'est pas un mois (AAAA-MM)."),
    "month_not_needed": _(
        "Le mois %(month)s n'est pas utilisé : donnez les salaires de %(first)s à %(last)s."
    ),
    "missing": _("Salaires manquants pour : %(months)s."),
    "sickness_only": _("L'affection de longue durée ne concerne que les arrêts maladie."),
    "not_before_start": _("La fin de l'arrêt précédent doit être antérieure au nouvel arrêt."),
    "after_start": _("Cette date ne peut pas être postérieure au début de l'arrêt."),
}


def _display(value: str) -> str:
    """Dates and numbers as the active language writes them; anything else unchanged."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if value and (value[0].isdigit() or value[0] == "-"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return formats.number_format(number, use_l10n=True, force_grouping=True)
    return value


def _values(step_params: Mapping[str, str], value: str) -> dict[str, str]:
    values = {name: _display(param) for name, param in step_params.items()}
    values["value"] = _display(value)
    values["verdict"] = str(VERDICTS.get(value, value))
    for name in ("daily_base_mode", "amount_mode", "maximum_mode"):
        if name in step_params:
            values[name] = str(ROUNDING_NAMES.get(step_params[name], step_params[name]))
    if "reached" in step_params:
        values["reached_text"] = str(REACHED_TEXTS.get(step_params["reached"], ""))
    for name in ("rate", "deduction"):  # fractions, read as percentages
        if name in step_params:
            values[name] = _percent(step_params[name])
    return values


def _percent(text: str) -> str:
    try:
        number = Decimal(text) * 100
    except InvalidOperation:
        return text
    return f"{formats.number_format(number.normalize(), use_l10n=True)} %"


def step_text(step: ExplanationStep) -> str:
    """The sentence of one explanation step, in the active language."""
    template = STEP_TEXTS.get(step.rule)
    if template is None:
        return f"{step.rule}: {step.value}"
    return str(template) % _values(step.params, step.value)


def problem_text(problem: ClaimProblem) -> str:
    """The message of one bad input, in the active language."""
    template = PROBLEM_TEXTS.get(problem.code)
    if template is None:
        return f"{problem.field}: {problem.code}"
    params = {name: _display(value) for name, value in problem.params.items()}
    try:
        return str(template) % params
    except KeyError:
        return str(template)
