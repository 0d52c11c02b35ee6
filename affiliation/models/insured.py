"""Insured persons, their files (beneficiaries with ranks), coverage periods and exemptions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from affiliation.rules.nir import NumberKind


class Sex(models.TextChoices):
    # The NIR's first digit: 1 for a man, 2 for a woman.
    MALE = "1", _("homme")
    FEMALE = "2", _("femme")


class InsuredPersonQuerySet(models.QuerySet):
    def for_user(self, user) -> "InsuredPersonQuerySet":
        """The person whose account this is, and nobody else (empty for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def search(self, text: str) -> "InsuredPersonQuerySet":
        return self.filter(Q(nir__icontains=text) | Q(last_name__icontains=text))


class InsuredPerson(models.Model):
    """A person known to the fund: the holder of a file (rank 01) or a dependant on one.

    Every person has a NIR or a NIA (same shape, flagged temporary); a legacy NNP only comes
    from a staff import. A holder's file is managed by the fund of their residence département.
    """

    nir = models.CharField(_("NIR"), max_length=15, unique=True)
    number_kind = models.CharField(
        _("nature du numéro"),
        max_length=3,
        choices=[
            (NumberKind.NIR.value, _("NIR (définitif)")),
            (NumberKind.NIA.value, _("NIA (numéro d'attente)")),
            (NumberKind.LEGACY_NNP.value, _("NNP (numéro provisoire ancien)")),
        ],
        default=NumberKind.NIR.value,
    )
    last_name = models.CharField(_("nom d'usage"), max_length=80)
    birth_name = models.CharField(_("nom de naissance"), max_length=80, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=120)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))

    # Contact and residence of a file holder (dependants live at the holder's address).
    email = models.EmailField(_("adresse e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address_line_1 = models.CharField(_("adresse"), max_length=120, blank=True)
    address_line_2 = models.CharField(_("complément d'adresse"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=80, blank=True)
    fund = models.ForeignKey(
        "directory.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insured_persons",
        verbose_name=_("caisse de rattachement"),
    )
    # Régime local d'Alsace-Moselle: 90 % instead of 70 % for consultations (SNDS documentation,
    # fiche montant_soins_de_ville; docs/sources.md §5).
    is_alsace_moselle = models.BooleanField(_("régime local Alsace-Moselle"), default=False)

    # Médecin traitant: declared from 16 (S3704); the RPPS number identifies the doctor.
    attending_doctor_rpps = models.CharField(
        _("RPPS du médecin traitant"), max_length=11, blank=True
    )
    attending_doctor_name = models.CharField(_("médecin traitant"), max_length=120, blank=True)
    attending_doctor_since = models.DateField(
        _("médecin traitant déclaré le"), null=True, blank=True
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insured_person",
        verbose_name=_("compte en ligne"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords()
    objects = InsuredPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("assuré")
        verbose_name_plural = _("assurés")
        ordering = ["last_name", "first_names", "pk"]
        indexes = [models.Index(fields=["last_name", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"

    @property
    def is_temporary_number(self) -> bool:
        return self.number_kind != NumberKind.NIR.value

    @property
    def has_attending_doctor(self) -> bool:
        return bool(self.attending_doctor_rpps)


class BeneficiaryQuerySet(models.QuerySet):
    def on_file_of(self, holder: "InsuredPerson") -> "BeneficiaryQuerySet":
        """The persons on `holder`'s file with their ranks, holder (01) first."""
        return self.filter(holder=holder).select_related("person").order_by("rank")


class Beneficiary(models.Model):
    """A person on a file with their rank: 01 is the holder, 02… are dependants (ayants droit).

    A child covered by both parents appears on each parent's file, with a rank on each.
    """

    class Relationship(models.TextChoices):
        HOLDER = "holder", _("assuré")
        SPOUSE = "spouse", _("conjoint")
        CHILD = "child", _("enfant")
        OTHER = "other", _("autre personne à charge")

    holder = models.ForeignKey(
        InsuredPerson,
        on_delete=models.CASCADE,
        related_name="file_entries",
        verbose_name=_("assuré (titulaire du dossier)"),
    )
    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="beneficiary_of",
        verbose_name=_("bénéficiaire"),
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    relationship = models.CharField(_("lien"), max_length=10, choices=Relationship.choices)
    # From 16, a dependant may ask to become an insured person in their own right.
    autonomy_requested_on = models.DateField(_("demande d'autonomie le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bénéficiaire")
        verbose_name_plural = _("bénéficiaires")
        ordering = ["holder", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "rank"], name="affiliation_rank_unique"),
            models.UniqueConstraint(
                fields=["holder", "person"], name="affiliation_person_once_per_file"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=19), name="affiliation_rank_1_to_19"
            ),
            # Rank 01 is the holder themself, and only the holder.
            models.CheckConstraint(
                condition=(Q(rank=1) & Q(person=F("holder")) & Q(relationship="holder"))
                | (Q(rank__gt=1) & ~Q(person=F("holder")) & ~Q(relationship="holder")),
                name="affiliation_rank_01_is_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank_label} {self.person}"

    @property
    def rank_label(self) -> str:
        return f"{self.rank:02d}"


class CoveragePeriod(models.Model):
    """Rights open for a person from one date to another (valid_until exclusive, None = open)."""

    class Basis(models.TextChoices):
        EMPLOYMENT = "employment", _("activité professionnelle")
        RESIDENCE = "residence", _("résidence stable et régulière (PUMa)")
        STUDY = "study", _("études")
        UNEMPLOYMENT = "unemployment", _("chômage indemnisé")
        RETIREMENT = "retirement", _("retraite")
        DEPENDANT = "dependant", _("ayant droit")

    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.CASCADE,
        related_name="coverage_periods",
        verbose_name=_("personne"),
    )
    basis = models.CharField(_("motif d'ouverture"), max_length=20, choices=Basis.choices)
    valid_from = models.DateField(_("droits ouverts du"))
    valid_until = models.DateField(_("jusqu'au (exclu)"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("période de droits")
        verbose_name_plural = _("périodes de droits")
        ordering = ["person", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="affiliation_coverage_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.valid_from} → {self.valid_until or '…'}"


class Exemption(models.Model):
    """An exemption from the ticket modérateur (care paid at 100 %), with its ground and dates."""

    class Ground(models.TextChoices):
        ALD = "ald", _("affection de longue durée (ALD)")
        MATERNITY = "maternity", _("maternité")
        INVALIDITY = "invalidity", _("invalidité")
        AT_MP = "at_mp", _("accident du travail / maladie professionnelle")
        CSS = "css", _("complémentaire santé solidaire")

    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.CASCADE,
        related_name="exemptions",
        verbose_name=_("personne"),
    )
    ground = models.CharField(_("motif"), max_length=12, choices=Ground.choices)
    valid_from = models.DateField(_("du"))
    valid_until = models.DateField(_("jusqu'au (exclu)"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exonération")
        verbose_name_plural = _("exonérations")
        ordering = ["person", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="affiliation_exemption_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} {self.valid_from} → {self.valid_until or '…'}"
