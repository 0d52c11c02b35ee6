"""Back office of the nomenclature: staff add a new tariff version without code.

A new tariff is a new row starting on its effective date; the previous one is closed the day
before its start (valid_until is exclusive). Overlaps are refused (`ActTariff.clean`), history
is kept (django-simple-history), and the engine sees the change at once in this process.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reimbursements.models import ActCode, ActTariff


class ActTariffInline(admin.TabularInline):
    model = ActTariff
    fields = ("tariff", "valid_from", "valid_until", "source", "note")
    extra = 1
    ordering = ("valid_from",)


@admin.register(ActCode)
class ActCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "family", "unit", "kind", "rate", "specialty")
    list_filter = ("family", "unit", "kind")
    search_fields = ("code", "label")
    ordering = ("code",)
    inlines = [ActTariffInline]


@admin.register(ActTariff)
class ActTariffAdmin(SimpleHistoryAdmin):
    list_display = ("act", "tariff", "valid_from", "valid_until", "source")
    list_filter = ("act__family", "valid_from")
    list_select_related = ("act",)
    search_fields = ("act__code", "source")
    search_help_text = _("Code de l'acte ou source")
    ordering = ("act__code", "valid_from")
    autocomplete_fields = ("act",)
