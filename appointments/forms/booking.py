"""Forms of the insured person's pages: the slot picker, the reason, the number to call back.

The forms only parse: whether a slot may be booked (past, horizon, closed, full, blocked), the
phone number and the two-bookings rule are decided by appointments.services, whose errors the
views put back on the field they name (AppointmentError.field).
"""

from datetime import UTC, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import Reason
from appointments.rules.booking import REASON_DETAIL_MAX_LENGTH

# A slot is sent as its UTC start, "20261130T0830Z": short, unambiguous across DST changes.
SLOT_VALUE_FORMAT = "%Y%m%dT%H%MZ"


def slot_value(starts_at: datetime) -> str:
    return starts_at.astimezone(UTC).strftime(SLOT_VALUE_FORMAT)


def parse_slot_value(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, SLOT_VALUE_FORMAT).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


class SlotField(forms.Field):
    """The start of the chosen slot (UTC). Rendered by the page's own slot picker."""

    default_error_messages = {
        "required": _("Choisissez un créneau."),
        "invalid": _("Ce créneau n'existe pas : choisissez-en un dans la liste."),
    }

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        starts_at = parse_slot_value(value)
        if starts_at is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return starts_at


class SlotForm(forms.Form):
    """Only a slot: rescheduling keeps the reason and the number of the booking."""

    starts_at = SlotField(label=_("Créneau"))


class BookingForm(SlotForm):
    """A slot, the reason and, for a phone call-back, the number to call."""

    reason = forms.ChoiceField(
        label=_("Motif du rendez-vous"),
        choices=[("", _("Choisissez un motif")), *Reason.choices],
        error_messages={
            "required": _("Choisissez le motif du rendez-vous."),
            "invalid_choice": _("Choisissez le motif du rendez-vous dans la liste."),
        },
    )
    reason_detail = forms.CharField(
        label=_("Précisions pour le conseiller (facultatif)"),
        help_text=_(
            "En quelques mots, ce que vous souhaitez régler, pour que le conseiller prépare le "
            "rendez-vous. N'indiquez pas d'information médicale. 500 caractères au plus."
        ),
        required=False,
        max_length=REASON_DETAIL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    callback_phone = forms.CharField(
        label=_("Numéro à rappeler"),
        help_text=_("Le conseiller vous appelle à ce numéro. Ex. : 06 12 34 56 78"),
        max_length=30,
        error_messages={
            "required": _("Indiquez le numéro auquel le conseiller doit vous rappeler.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, is_phone_callback: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_phone_callback:
            del self.fields["callback_phone"]


class WaitingListForm(forms.Form):
    """Asking for any slot of a full service: what a booking would ask, without the slot."""

    reason = BookingForm.base_fields["reason"]
    reason_detail = BookingForm.base_fields["reason_detail"]
    callback_phone = BookingForm.base_fields["callback_phone"]

    def __init__(self, *args, is_phone_callback: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_phone_callback:
            del self.fields["callback_phone"]
