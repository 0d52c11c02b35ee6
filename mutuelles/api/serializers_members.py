"""Shapes of the members and eligibility endpoints (component names prefixed `Mutuelle`).

Notes for developers are comments: drf-spectacular publishes docstrings untranslated; the
documented texts are the translated help_texts.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from affiliation.models import Exemption
from affiliation.rules.nir import InvalidNir, parse_nir
from mutuelles.services import members as services

NIR_HELP = _(
    "NIR de l'assuré ouvrant droit (13 chiffres et la clé, espaces admis), celui du dossier "
    "sur lequel figure le bénéficiaire."
)
RANK_HELP = _("Rang du bénéficiaire sur ce dossier (1 = l'assuré lui-même, jusqu'à 19).")
VALID_UNTIL_HELP = _(
    "Premier jour NON couvert (date exclue) : un contrat qui couvre tout 2026 a "
    "valid_until = 2027-01-01. Absent ou null : sans fin prévue."
)


class NirField(serializers.CharField):
    default_error_messages = {"invalid_nir": _("Ce NIR n'est pas valide (longueur ou clé).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", NIR_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return parse_nir(text).number
        except InvalidNir:
            self.fail("invalid_nir")


class MutuelleSubscriptionSerializer(serializers.Serializer):
    nir = NirField()
    rank = serializers.IntegerField(min_value=1, max_value=19, help_text=RANK_HELP)
    birth_date = serializers.DateField(help_text=_("Date de naissance du bénéficiaire."))
    contract_reference = serializers.CharField(
        max_length=40, help_text=_("Référence du contrat chez la mutuelle.")
    )
    member_number = serializers.CharField(max_length=30, help_text=_("Numéro d'adhérent."))
    valid_from = serializers.DateField(help_text=_("Premier jour couvert."))
    valid_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=VALID_UNTIL_HELP
    )

    def validate(self, attrs):
        if attrs["valid_until"] is not None and attrs["valid_until"] <= attrs["valid_from"]:
            raise serializers.ValidationError(
                {"valid_until": _("La fin (exclue) doit être après le début du contrat.")},
                code="before_start",
            )
        return attrs

    def subscription(self) -> services.Subscription:
        return services.Subscription(**self.validated_data)


class MutuelleBeneficiarySerializer(serializers.Serializer):
    nir = serializers.CharField(help_text=NIR_HELP)
    rank = serializers.IntegerField(help_text=RANK_HELP)
    birth_date = serializers.DateField()
    last_name = serializers.CharField()
    first_names = serializers.CharField()


class MutuelleMemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text=_("Identifiant du contrat."))
    status = serializers.SerializerMethodField(
        help_text=_(
            "awaiting_confirmation : déclaré par l'assuré, à souscrire par la mutuelle ; "
            "awaiting_insured : souscrit, en attente de l'accord de l'assuré ; active : les "
            "décomptes circulent ; ended : terminé ; withdrawn : retiré par l'assuré."
        )
    )
    contract_reference = serializers.CharField(source="mutuelle_reference")
    member_number = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True, help_text=VALID_UNTIL_HELP)
    beneficiary = serializers.SerializerMethodField()
    subscribed_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=list(services.MemberStatus)))
    def get_status(self, contract) -> str:
        today = self.context.get("today") or timezone.localdate()
        return services.member_status(contract, today).value

    @extend_schema_field(MutuelleBeneficiarySerializer(allow_null=True))
    def get_beneficiary(self, contract):
        entry = services.file_entry(contract)
        person = contract.person
        return {
            "nir": entry.holder.nir if entry else person.nir,
            "rank": entry.rank if entry else 1,
            "birth_date": person.birth_date,
            "last_name": person.last_name,
            "first_names": person.first_names,
        }


class MutuelleSubscriptionResultSerializer(serializers.Serializer):
    matched = serializers.BooleanField(
        help_text=_("Le bénéficiaire est reconnu et le contrat enregistré (ou déjà connu).")
    )
    outcome = serializers.ChoiceField(
        choices=list(services.Outcome),
        help_text=_(
            "confirmed : l'assuré avait déclaré ce contrat, le lien est actif ; "
            "awaiting_insured : contrat enregistré, en attente de l'accord de l'assuré ; "
            "already_subscribed : déjà connu, rien n'a changé ; unknown_person : aucun "
            "bénéficiaire pour ce NIR, ce rang et cette date de naissance ; conflict : le "
            "contrat d'une autre mutuelle couvre une partie de la période."
        ),
    )
    reason = serializers.ChoiceField(
        choices=[services.Outcome.UNKNOWN_PERSON, services.Outcome.CONFLICT],
        allow_null=True,
        help_text=_("Pourquoi le bénéficiaire n'est pas rattaché (null s'il l'est)."),
    )
    member = MutuelleMemberSerializer(allow_null=True)


class MutuelleMemberEndSerializer(serializers.Serializer):
    valid_until = serializers.DateField(
        help_text=_(
            "Premier jour NON couvert (exclu) : aucun décompte de soins à partir de ce jour. "
            "Peut avancer la fin, jamais la reculer."
        )
    )


class MutuelleEligibilityQuerySerializer(serializers.Serializer):
    nir = NirField()
    rank = serializers.IntegerField(min_value=1, max_value=19, help_text=RANK_HELP)
    birth_date = serializers.DateField()
    on = serializers.DateField(
        required=False, help_text=_("Date à laquelle vérifier les droits (aujourd'hui par défaut).")
    )


class MutuelleEligibilitySerializer(serializers.Serializer):
    on = serializers.DateField()
    covered = serializers.BooleanField(
        help_text=_("Droits ouverts au régime obligatoire à cette date.")
    )
    exemptions = serializers.ListField(
        child=serializers.ChoiceField(choices=Exemption.Ground.values),
        help_text=_("Motifs d'exonération du ticket modérateur en vigueur à cette date (codes)."),
    )
