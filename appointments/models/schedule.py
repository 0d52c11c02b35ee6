"""What an office offers: services, their weekly opening hours, closures, and slot counters.

Times of day (opening hours) are wall-clock times of the office's time zone (its fund's
`time_zone`: Europe/Paris or an overseas zone); instants (slot starts) are stored in UTC.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    COUNTER = "counter", _("rendez-vous à l'accueil")
    PHONE_CALLBACK = "phone_callback", _("rappel téléphonique par un conseiller")
    STUDENT_DUTY = "student_duty", _("permanence pour les étudiants internationaux")


class ServiceQuerySet(models.QuerySet):
    def active(self) -> "ServiceQuerySet":
        return self.filter(is_active=True)


class Service(models.Model):
    """One kind of appointment an office offers, with its slot length and its capacity."""

    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.PROTECT,
        related_name="appointment_services",
        verbose_name=_("accueil"),
    )
    kind = models.CharField(_("prestation"), max_length=20, choices=ServiceKind.choices)
    slot_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (minutes)"), default=30)
    # Counsellors available at the same time: people who can be received in one slot.
    capacity = models.PositiveSmallIntegerField(_("conseillers disponibles"), default=1)
    minimum_notice_hours = models.PositiveSmallIntegerField(_("délai minimal (heures)"), default=24)
    horizon_days = models.PositiveSmallIntegerField(_("réservable jusqu'à (jours)"), default=42)
    is_active = models.BooleanField(_("ouvert à la réservation"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("prestation sur rendez-vous")
        verbose_name_plural = _("prestations sur rendez-vous")
        ordering = ["office", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="appointments_service_once"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="appointments_service_slot_5_to_240",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=50),
                name="appointments_service_capacity_1_to_50",
            ),
            models.CheckConstraint(
                # The signed link in a confirmation lives 121 days (appointments.signing).
                condition=Q(horizon_days__gte=1, horizon_days__lte=120),
                name="appointments_service_horizon_1_to_120",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.office}"

    @property
    def is_phone_callback(self) -> bool:
        return self.kind == ServiceKind.PHONE_CALLBACK

    @property
    def time_zone(self) -> str:
        return self.office.fund.time_zone


class OpeningHours(models.Model):
    """One range of a weekday when a service receives (several ranges a day are allowed)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("prestation"),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    # Wall-clock times of the office's time zone.
    starts_at = models.TimeField(_("de"))
    ends_at = models.TimeField(_("à"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["service", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="appointments_hours_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="appointments_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Closure(models.Model):
    """Days an office (or one of its services) does not receive: from first_day to last_day."""

    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.CASCADE,
        related_name="appointment_closures",
        verbose_name=_("accueil"),
    )
    # Empty: the whole office is closed; set: only this service.
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("prestation"),
    )
    # Both days included: staff write "fermé du 24 au 26 décembre".
    first_day = models.DateField(_("premier jour fermé"))
    last_day = models.DateField(_("dernier jour fermé"))
    reason = models.CharField(_("motif"), max_length=120)

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["office", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")), name="appointments_closure_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}"


class Slot(models.Model):
    """The seat counter of one slot of a service, created when first booked or blocked.

    `booked` counts active bookings plus seats held for a waiting-list offer. The database
    keeps it within 0..capacity (check constraint) and a seat is only taken by a conditional
    UPDATE (`booked < capacity`): two requests for the last seat cannot both succeed.
    """

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="slots", verbose_name=_("prestation")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    # The service's capacity when a seat was last taken (a later change applies from then on).
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("places prises"), default=0)
    is_blocked = models.BooleanField(_("bloqué"), default=False)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bloqué par"),
    )
    blocked_at = models.DateTimeField(_("bloqué le"), null=True, blank=True)
    block_reason = models.CharField(_("motif du blocage"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["service", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="appointments_slot_once"),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="appointments_slot_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="appointments_slot_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.booked}/{self.capacity})"

    @property
    def seats_left(self) -> int:
        return 0 if self.is_blocked else max(self.capacity - self.booked, 0)
