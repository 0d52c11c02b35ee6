"""Why a booking, a change or a link is refused: one exception per reason, each with its message.

`field` names the form field the message belongs to ("" for the whole form), so a view can put
it next to the right input. Messages are translated lazily: raise them anywhere, render them in
the language of the request.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AppointmentError(Exception):
    message: str | Promise = _("Ce rendez-vous ne peut pas être enregistré.")
    field = ""

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class ServiceUnavailable(AppointmentError):
    message = _("Cette prestation ne prend pas de rendez-vous en ligne pour le moment.")
    field = "service"


class SlotInPast(AppointmentError):
    message = _("Ce créneau est déjà passé : choisissez-en un autre.")
    field = "starts_at"


class NoticeTooShort(AppointmentError):
    message = _("Ce créneau est trop proche : il doit être réservé plus tôt à l'avance.")
    field = "starts_at"


class BeyondHorizon(AppointmentError):
    message = _("Ce créneau n'est pas encore ouvert à la réservation.")
    field = "starts_at"


class SlotClosed(AppointmentError):
    message = _("L'accueil ne reçoit pas à cette heure-là (jour fermé, férié ou hors horaires).")
    field = "starts_at"


class SlotBlocked(AppointmentError):
    message = _("Ce créneau n'est plus proposé : choisissez-en un autre.")
    field = "starts_at"


class SlotFull(AppointmentError):
    message = _("Ce créneau vient d'être complet : choisissez-en un autre.")
    field = "starts_at"


class AlreadyBookedThisSlot(AppointmentError):
    message = _("Vous avez déjà un rendez-vous sur ce créneau.")
    field = "starts_at"


class TooManyBookings(AppointmentError):
    message = _(
        "Vous avez déjà deux rendez-vous à venir : annulez-en un avant d'en prendre un autre."
    )


class InvalidPhoneNumber(AppointmentError):
    message = _(
        "Saisissez un numéro de téléphone français à 10 chiffres (ex. 06 12 34 56 78) "
        "ou international (+33, +590, +594, +596, +262, +269, +508, +681, +687, +689)."
    )
    field = "callback_phone"


class PhoneRequired(AppointmentError):
    message = _("Indiquez le numéro auquel le conseiller doit vous rappeler.")
    field = "callback_phone"


class ReasonDetailTooLong(AppointmentError):
    message = _("Les précisions ne doivent pas dépasser 500 caractères.")
    field = "reason_detail"


class UnknownReason(AppointmentError):
    message = _("Choisissez le motif du rendez-vous dans la liste.")
    field = "reason"


class TooLateToChange(AppointmentError):
    message = _(
        "Ce rendez-vous ne peut plus être modifié ni annulé en ligne moins de deux heures "
        "avant : appelez l'accueil."
    )


class BookingNotActive(AppointmentError):
    message = _("Ce rendez-vous a déjà été annulé ou a déjà eu lieu.")


class SameSlot(AppointmentError):
    message = _("Choisissez un créneau différent de celui de votre rendez-vous.")
    field = "starts_at"


class AlreadyWaiting(AppointmentError):
    message = _("Vous êtes déjà inscrit sur la liste d'attente de cette prestation.")


class OfferNotAvailable(AppointmentError):
    message = _("Cette proposition a expiré ou a déjà reçu une réponse.")


class NotStarted(AppointmentError):
    message = _("Ce rendez-vous n'a pas encore commencé : sa présence ne peut pas être notée.")


class InvalidLink(AppointmentError):
    message = _("Ce lien n'est pas valide : utilisez celui de votre dernier e-mail.")


class ExpiredLink(AppointmentError):
    message = _("Ce lien a expiré : connectez-vous à votre compte pour gérer vos rendez-vous.")
