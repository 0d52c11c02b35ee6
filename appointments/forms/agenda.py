"""Forms of the staff agenda (back office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.forms.booking import SlotField


class AttendanceForm(forms.Form):
    """Staff mark a booking that has started."""

    status = forms.ChoiceField(
        choices=[("attended", _("venu")), ("no_show", _("absent"))], label=_("Présence")
    )


class BlockSlotForm(forms.Form):
    """Staff block (or unblock) one slot of the agenda."""

    starts_at = SlotField(label=_("Créneau"))
    block = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Motif du blocage"), max_length=120, required=False)
