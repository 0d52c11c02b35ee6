"""Bookings, and the waiting list for an earlier slot with its offers."""

import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appointments.models.schedule import Service, Slot


class Reason(models.TextChoices):
    AFFILIATION = "affiliation", _("affiliation, changement de situation")
    REIMBURSEMENT = "reimbursement", _("remboursement de soins")
    SICK_LEAVE = "sick_leave", _("arrêt de travail, indemnités journalières")
    CARTE_VITALE = "carte_vitale", _("carte Vitale")
    CSS = "css", _("complémentaire santé solidaire (CSS)")
    OTHER = "other", _("autre")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("réservé")
    CANCELLED = "cancelled", _("annulé")
    ATTENDED = "attended", _("venu")
    NO_SHOW = "no_show", _("absent")


class BookingQuerySet(models.QuerySet):
    def for_user(self, user) -> "BookingQuerySet":
        """Bookings of the insured person behind this account (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)

    def for_person(self, person) -> "BookingQuerySet":
        return self.filter(person=person)

    def booked(self) -> "BookingQuerySet":
        return self.filter(status=BookingStatus.BOOKED)

    def upcoming(self, now: datetime) -> "BookingQuerySet":
        """Bookings still to come (status booked, start after `now`), soonest first."""
        return self.booked().filter(starts_at__gt=now).order_by("starts_at", "pk")


class Booking(models.Model):
    """One person's seat in one slot of a service.

    `ics_uid` never changes: every calendar message about this booking (request, update,
    cancellation) carries it, with `ics_sequence` raised at each change.
    """

    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="appointment_bookings",
        verbose_name=_("assuré"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("prestation")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("créneau")
    )
    # Copies of the slot's instants (UTC), so lists and reminders need no join.
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    reason_detail = models.TextField(_("précisions pour le conseiller"), blank=True, max_length=500)
    # E.164 ("+33612345678"), for a phone call-back only.
    callback_phone = models.CharField(_("numéro à rappeler"), max_length=16, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    ics_uid = models.UUIDField(_("identifiant calendrier"), default=uuid.uuid4, unique=True)
    ics_sequence = models.PositiveIntegerField(_("version calendrier"), default=0)
    # The language the person booked in: every later mail about the booking uses it.
    language = models.CharField(_("langue"), max_length=5, default="fr")
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("état modifié le"), null=True, blank=True)

    history = HistoricalRecords()
    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "pk"]
        permissions = [("manage_agenda", _("tenir l'agenda des rendez-vous (accueil)"))]
        constraints = [
            # One person, one seat per slot (a double click books once).
            models.UniqueConstraint(
                fields=["slot", "person"],
                condition=Q(status="booked"),
                name="appointments_booking_once_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="appointments_booking_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="appointments_booking_cancelled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.service} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class WaitingListEntry(models.Model):
    """A person asking for an earlier slot of a service than the one they hold (or any slot)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        OFFERED = "offered", _("créneau proposé")
        FULFILLED = "fulfilled", _("satisfaite")
        WITHDRAWN = "withdrawn", _("retirée")

    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="appointment_waiting_list_entries",
        verbose_name=_("assuré"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="waiting_list",
        verbose_name=_("prestation"),
    )
    # The booking to move earlier; empty when the person holds no booking for this service.
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waiting_list_entries",
        verbose_name=_("rendez-vous à avancer"),
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    reason_detail = models.TextField(_("précisions pour le conseiller"), blank=True, max_length=500)
    callback_phone = models.CharField(_("numéro à rappeler"), max_length=16, blank=True)
    # The offer mail is written in the language the person asked in.
    language = models.CharField(_("langue"), max_length=5, default="fr")
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande de créneau plus tôt")
        verbose_name_plural = _("liste d'attente")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "service"],
                condition=Q(status__in=["waiting", "offered"]),
                name="appointments_waiting_once_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.service} ({self.get_status_display()})"


class SlotOffer(models.Model):
    """A freed seat held for one waiting person until `expires_at` (it counts in slot.booked)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("proposé")
        ACCEPTED = "accepted", _("accepté")
        DECLINED = "declined", _("refusé")
        EXPIRED = "expired", _("expiré")

    entry = models.ForeignKey(
        WaitingListEntry,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("demande"),
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="offers", verbose_name=_("créneau")
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposé le"))
    expires_at = models.DateTimeField(_("expire le"), db_index=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition de créneau")
        verbose_name_plural = _("propositions de créneau")
        ordering = ["-created_at", "pk"]
        constraints = [
            # A slot is offered to a person once; a person holds one offer at a time.
            models.UniqueConstraint(fields=["entry", "slot"], name="appointments_offer_once"),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="pending"),
                name="appointments_offer_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(created_at__lt=models.F("expires_at")),
                name="appointments_offer_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} — {self.slot} ({self.get_status_display()})"
