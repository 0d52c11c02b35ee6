from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.rules import department_sort_key


class Fund(models.Model):
    """A local fund: one per département (CPAM) or overseas territory (CGSS)."""

    class Kind(models.TextChoices):
        CPAM = "CPAM", _("Caisse primaire d'assurance maladie")
        CGSS = "CGSS", _("Caisse générale de sécurité sociale")

    department_code = models.CharField(_("code du département"), max_length=3, unique=True)
    department_name = models.CharField(_("département"), max_length=80)
    # The département as the seed directory writes it ("Alpes (Hautes)"), kept for search.
    seed_label = models.CharField(_("libellé de l'annuaire source"), max_length=80, blank=True)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices, default=Kind.CPAM)
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, default="Europe/Paris")
    # "01"…"95" then "971"…: the order people expect, with 2A/2B between 19 and 21.
    sort_key = models.CharField(max_length=8, editable=False, default="")

    class Meta:
        verbose_name = _("caisse")
        verbose_name_plural = _("caisses")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.department_code} — {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = department_sort_key(self.department_code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:fund", args=[self.department_code])


class Office(models.Model):
    """A site of a fund where people are received or can write to: address and phone."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="offices", verbose_name=_("caisse")
    )
    address_line_1 = models.CharField(_("adresse (ligne 1)"), max_length=120, blank=True)
    address_line_2 = models.CharField(_("adresse (ligne 2)"), max_length=120, blank=True)
    address_line_3 = models.CharField(_("adresse (ligne 3)"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, db_index=True)
    city = models.CharField(_("ville"), max_length=80)
    phone = models.CharField(_("téléphone"), max_length=30)
    # The tariff note printed beside the number: "payant", "prix d'un appel local…".
    phone_note = models.CharField(_("tarif de l'appel"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("accueil")
        verbose_name_plural = _("accueils")
        ordering = ["fund__sort_key", "city", "pk"]
        constraints = [
            # A postcode and city name one office: CEDEX codes are given per organisation.
            models.UniqueConstraint(
                fields=["postcode", "city"], name="directory_office_postcode_city_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.city}"

    @property
    def address_lines(self) -> list[str]:
        return [
            line for line in (self.address_line_1, self.address_line_2, self.address_line_3) if line
        ]


class DirectoryImport(models.Model):
    """A CSV of offices uploaded by a directory editor, applied by a worker all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        APPLIED = "applied", _("appliqué")
        REJECTED = "rejected", _("refusé")
        FAILED = "failed", _("échec technique")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    file_name = models.CharField(_("fichier"), max_length=255)
    content = models.TextField(_("contenu"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    changed_count = models.PositiveIntegerField(_("modifiés"), default=0)
    unchanged_count = models.PositiveIntegerField(_("inchangés"), default=0)
    rejected_count = models.PositiveIntegerField(_("refusés"), default=0)
    # One entry per CSV line: {"line": 3, "outcome": "created", "detail": "..."}; outcomes are
    # created, changed, unchanged or rejected.
    report = models.JSONField(_("compte rendu"), default=list, blank=True)

    class Meta:
        verbose_name = _("import de l'annuaire")
        verbose_name_plural = _("imports de l'annuaire")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
