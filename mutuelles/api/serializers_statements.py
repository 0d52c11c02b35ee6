"""Shapes of the statement endpoints, for the OpenAPI schema (and the reject request's checks).

The statement document itself is built by `mutuelles.statement_format` (shared with the
webhooks); the serializers below describe it field by field, and a test checks that they name
exactly the keys a real document has, at every level. Serializers translate shapes: they do not
compute. drf-spectacular turns a class docstring into the schema's description, untranslated:
notes on these classes are comments, and the documented texts are translated help_texts.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cpam_portal.problems import InvalidParamSerializer
from mutuelles.models import Transmission
from mutuelles.services.acknowledgements import (
    MAX_DETAIL_LENGTH,
    REASONS_NEEDING_DETAIL,
    REJECTION_REASONS,
)
from mutuelles.services.feed import MAX_TOTALS_DAYS
from mutuelles.statement_format import ADJUSTMENT_CODES, LINE_AMOUNTS
from reimbursements.models import Payment


def money(help_text):
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, help_text=help_text
    )


class MutuelleStatementBeneficiarySerializer(serializers.Serializer):
    nir = serializers.CharField(help_text=_("NIR de l'assuré ouvrant droit, clé comprise."))
    rank = serializers.IntegerField(
        allow_null=True, help_text=_("Rang du bénéficiaire sur ce dossier (1 : l'assuré).")
    )
    birth_date = serializers.DateField(help_text=_("Date de naissance du bénéficiaire."))
    member_number = serializers.CharField(help_text=_("Numéro d'adhérent à la mutuelle."))
    contract_reference = serializers.CharField(
        allow_blank=True, help_text=_("Référence du contrat chez la mutuelle (peut être vide).")
    )


class MutuelleStatementPaymentSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("Date du virement de l'Assurance Maladie."))
    reference = serializers.CharField(help_text=_("Référence du virement (« RB… »)."))
    payee = serializers.ChoiceField(
        choices=Payment.Payee.choices,
        help_text=_("Qui a reçu le virement : l'assuré ou le professionnel (tiers payant)."),
    )


class MutuelleStatementAdjustmentSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=ADJUSTMENT_CODES,
        help_text=_(
            "Retenue sur la part de l'Assurance Maladie : participation_forfaitaire, "
            "franchise_medicale, participation_actes_lourds (forfait 24 €), "
            "forfait_journalier."
        ),
    )
    amount = money(_("Montant retenu."))
    kind = serializers.CharField(
        required=False,
        help_text=_(
            "Pour franchise_medicale seulement : medicine, paramedical ou transport (absent sinon)."
        ),
    )


class MutuelleStatementLineSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text=_("Numéro de la ligne sur la feuille."))
    act_code = serializers.CharField(help_text=_("Code de l'acte (NGAP, CCAM, LPP, CIP…)."))
    quantity = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        coerce_to_string=True,
        help_text=_("Quantité ou coefficient, sans zéros inutiles (« 1 », « 2.5 »)."),
    )
    amount_charged = money(_("Montant payé au professionnel."))
    base = money(_("Base de remboursement."))
    rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        coerce_to_string=True,
        help_text=_("Taux de remboursement appliqué (« 0.70 »)."),
    )
    amo_gross = money(_("Part de l'Assurance Maladie avant retenues."))
    adjustments = MutuelleStatementAdjustmentSerializer(
        many=True, help_text=_("Chaque retenue non nulle, codée.")
    )
    amo_paid = money(_("Montant remboursé par l'Assurance Maladie."))
    depassement = money(_("Dépassement d'honoraires."))
    ticket_moderateur = money(_("Ticket modérateur laissé à la complémentaire."))
    css_part = money(_("Part de la complémentaire santé solidaire."))
    local_scheme_part = money(_("Part du régime local d'Alsace-Moselle."))


class MutuelleStatementSerializer(serializers.Serializer):
    id = serializers.UUIDField(
        help_text=_(
            "Identifiant de la transmission : à accuser ou rejeter, et clé de déduplication "
            "(le même dans le flux et dans les webhooks)."
        )
    )
    position = serializers.IntegerField(
        help_text=_(
            "Position dans le flux de la mutuelle : 1, 2, 3… dans l'ordre de mise à "
            "disposition, sans trou (un trou signale un décompte manquant). À conserver pour "
            "reprendre avec `since`."
        )
    )
    format_version = serializers.CharField(help_text=_("Version de ce format (« 1 »)."))
    released_at = serializers.DateTimeField(
        help_text=_("Mise à disposition dans le flux (ISO 8601, UTC).")
    )
    released_on = serializers.DateField(
        help_text=_(
            "Jour de mise à disposition à Paris : le jour sous lequel les totaux de "
            "rapprochement comptent ce décompte."
        )
    )
    statement_id = serializers.UUIDField(help_text=_("Identifiant du décompte."))
    beneficiary = MutuelleStatementBeneficiarySerializer()
    care_date = serializers.DateField(help_text=_("Date des soins."))
    issued_on = serializers.DateField(help_text=_("Date d'émission du décompte."))
    profession = serializers.CharField(help_text=_("Profession du professionnel de santé."))
    payment = MutuelleStatementPaymentSerializer(
        allow_null=True, help_text=_("Le virement de l'Assurance Maladie (null si aucun).")
    )
    lines = MutuelleStatementLineSerializer(many=True)


class MutuelleStatementPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True,
        help_text=_(
            "Page suivante (aussi dans l'en-tête Link), null quand il n'y a rien de plus pour "
            "l'instant : reprenez alors avec since=last_position."
        ),
    )
    last_position = serializers.IntegerField(
        help_text=_("Position du dernier décompte de la page (ou du point de départ si vide).")
    )
    results = MutuelleStatementSerializer(many=True)


MutuelleStatementAmountsSerializer = type(
    "MutuelleStatementAmountsSerializer",
    (serializers.Serializer,),
    {field: money(_("Somme sur les lignes du jour.")) for field in LINE_AMOUNTS},
)
MutuelleStatementAdjustmentTotalsSerializer = type(
    "MutuelleStatementAdjustmentTotalsSerializer",
    (serializers.Serializer,),
    {code: money(_("Somme des retenues de ce code du jour.")) for code in ADJUSTMENT_CODES},
)


class MutuelleStatementDayTotalsSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("Jour de mise à disposition (Europe/Paris)."))
    complete = serializers.BooleanField(
        help_text=_("Le jour est terminé : ses totaux ne changeront plus.")
    )
    statements = serializers.IntegerField(help_text=_("Nombre de décomptes."))
    lines = serializers.IntegerField(help_text=_("Nombre de lignes."))
    amounts = MutuelleStatementAmountsSerializer()
    adjustments = MutuelleStatementAdjustmentTotalsSerializer()


class MutuelleStatementTotalsSerializer(serializers.Serializer):
    timezone = serializers.CharField(help_text=_("Fuseau des jours (« Europe/Paris »)."))
    days = MutuelleStatementDayTotalsSerializer(
        many=True, help_text=_("Chaque jour de l'intervalle, jours sans décompte compris.")
    )


class _TotalsQuerySerializer(serializers.Serializer):
    def validate(self, data):
        first_day, last_day = data["from"], data["to"]
        if last_day < first_day:
            raise serializers.ValidationError(
                {"to": _("Le dernier jour précède le premier.")}, code="range_reversed"
            )
        if (last_day - first_day).days + 1 > MAX_TOTALS_DAYS:
            raise serializers.ValidationError(
                {"to": _("%(days)s jours au plus par demande.") % {"days": MAX_TOTALS_DAYS}},
                code="range_too_long",
            )
        return data


# `from` is a Python keyword: the class is built with its public field names.
MutuelleStatementTotalsQuerySerializer = type(
    "MutuelleStatementTotalsQuerySerializer",
    (_TotalsQuerySerializer,),
    {
        "from": serializers.DateField(help_text=_("Premier jour (AAAA-MM-JJ).")),
        "to": serializers.DateField(
            help_text=_("Dernier jour inclus (AAAA-MM-JJ) ; 92 jours au plus en tout.")
        ),
    },
)


class MutuelleStatementRejectSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=list(REJECTION_REASONS.items()),
        help_text=_(
            "Motif : unknown_member (bénéficiaire inconnu), contract_ended (contrat terminé à "
            "la date des soins), not_covered (soins non couverts), duplicate (déjà reçu), "
            "invalid_amounts (montants incohérents), other (précision obligatoire)."
        ),
    )
    detail = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_DETAIL_LENGTH,
        help_text=_("Précision libre (obligatoire avec le motif other)."),
    )

    def validate(self, data):
        if data["code"] in REASONS_NEEDING_DETAIL and not data["detail"].strip():
            raise serializers.ValidationError(
                {"detail": _("Précisez le motif du rejet.")}, code="detail_required"
            )
        data["detail"] = data["detail"].strip()
        return data


class MutuelleStatementRejectionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(REJECTION_REASONS))
    detail = serializers.CharField(allow_blank=True)


class MutuelleStatementAnswerSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=_("Identifiant de la transmission."))
    status = serializers.ChoiceField(
        choices=Transmission.Status.choices,
        help_text=_("acknowledged ou rejected après une réponse de la mutuelle."),
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    rejected_at = serializers.DateTimeField(allow_null=True)
    rejection = MutuelleStatementRejectionSerializer(
        allow_null=True, help_text=_("Le motif du rejet (null si non rejeté).")
    )


class MutuelleStatementProblemSerializer(serializers.Serializer):
    # Documentation only: mutuelles.api.errors builds the bodies (application/problem+json).
    type = serializers.CharField(help_text=_("Type du problème (URN stable, à tester)."))
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text=_("Avec 400 : chaque champ invalide.")
    )
    current = MutuelleStatementAnswerSerializer(
        required=False, help_text=_("Avec 409 : où en est le décompte.")
    )
