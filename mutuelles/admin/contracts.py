"""Back office of the link itself: the mutuelles staff maintain, the contracts persons declare
or mutuelles subscribe, and the statements routed to each mutuelle (read-only: written by the
routing step, changed only by the mutuelle's answers and the deliveries)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cpam_portal.admin import ReadOnlyAdmin
from mutuelles.models import Mutuelle, MutuelleContract, Transmission


@admin.register(Mutuelle)
class MutuelleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "amc_number", "is_active"]
    search_fields = ["name", "amc_number"]


@admin.register(MutuelleContract)
class MutuelleContractAdmin(SimpleHistoryAdmin):
    list_display = ["person", "mutuelle", "member_number", "valid_from", "valid_until", "status"]
    list_filter = ["status", "mutuelle"]
    list_select_related = ["person", "mutuelle"]
    search_fields = ["person__nir", "person__last_name", "member_number"]
    raw_id_fields = ["person", "declared_by"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Transmission)
class TransmissionAdmin(ReadOnlyAdmin):
    show_every_field = True
    list_display = ["statement", "mutuelle", "status", "attempts", "sent_at", "acknowledged_at"]
    list_filter = ["status", "mutuelle", "created_at"]
    list_select_related = ["statement", "mutuelle"]
    ordering = ["-created_at", "-pk"]
