"""Back office of the office schedules: services with their opening hours and closures, and the
bookings, waiting list and offers (read-only: staff act through the agenda, never by editing a
booking's fields, so the seat counters and the mails stay right)."""

from zoneinfo import ZoneInfo

from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from appointments.admin import agenda
from appointments.models import (
    Booking,
    Closure,
    OpeningHours,
    Service,
    SlotOffer,
    WaitingListEntry,
)
from cpam_portal.admin import ReadOnlyAdmin
from cpam_portal.audit import TracedReadsMixin


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 1


class ServiceClosureInline(admin.TabularInline):
    """Closures of this service only; a closure of the whole office is added in "Fermetures"."""

    model = Closure
    fk_name = "service"
    fields = ("first_day", "last_day", "reason")
    extra = 0
    verbose_name = _("fermeture de cette prestation")
    verbose_name_plural = _("fermetures de cette prestation")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "office",
        "kind",
        "slot_minutes",
        "capacity",
        "minimum_notice_hours",
        "horizon_days",
        "is_active",
        "agenda_link",
    )
    list_filter = ("kind", "is_active", "office__fund")
    list_select_related = ("office__fund",)
    search_fields = ("office__city", "office__postcode", "office__fund__name")
    raw_id_fields = ("office",)
    readonly_fields = ("agenda_link",)
    inlines = [OpeningHoursInline, ServiceClosureInline]

    def get_urls(self):
        def wrap(view, **kwargs):
            def bound(request, *args, **more):
                return view(request, self, *args, **kwargs, **more)

            return self.admin_site.admin_view(bound)

        name = "appointments_service_agenda"
        return [
            path("<int:service_id>/agenda/", wrap(agenda.day_view), name=f"{name}_day"),
            path(
                "<int:service_id>/agenda/imprimer/",
                wrap(agenda.day_view, printable=True),
                name=f"{name}_print",
            ),
            path("<int:service_id>/agenda/semaine/", wrap(agenda.week_view), name=f"{name}_week"),
            path(
                "<int:service_id>/agenda/presence/<int:booking_id>/",
                wrap(agenda.attendance_view),
                name=f"{name}_attendance",
            ),
            path("<int:service_id>/agenda/bloquer/", wrap(agenda.block_view), name=f"{name}_block"),
            *super().get_urls(),
        ]

    def save_formset(self, request, form, formset, change):
        """A closure written under a service belongs to that service's office."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, Closure):
                instance.office = form.instance.office
            instance.save()
        formset.save_m2m()

    @admin.display(description=_("agenda"))
    def agenda_link(self, obj: Service) -> str:
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:appointments_service_agenda_day", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Agenda du jour"))


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("office", "service", "first_day", "last_day", "reason")
    list_filter = ("office__fund",)
    list_select_related = ("office", "service__office")
    date_hierarchy = "first_day"
    raw_id_fields = ("office", "service")
    search_fields = ("office__city", "office__postcode", "reason")


def local_start(booking: Booking) -> str:
    zone = ZoneInfo(booking.service.office.fund.time_zone)
    return timezone.localtime(booking.starts_at, zone).strftime("%d/%m/%Y %H:%M")


@admin.register(Booking)
class BookingAdmin(TracedReadsMixin, SimpleHistoryAdmin):
    list_display = ("local_starts_at", "person", "service", "reason", "status")
    list_filter = ("status", "service__kind", "reason", "service__office__fund")
    list_select_related = ("person", "service__office__fund")
    date_hierarchy = "starts_at"
    search_fields = ("person__last_name", "person__first_names", "service__office__city")
    readonly_fields = (
        "person",
        "service",
        "slot",
        "starts_at",
        "ends_at",
        "reason",
        "reason_detail",
        "callback_phone",
        "status",
        "language",
        "ics_uid",
        "ics_sequence",
        "reminder_sent_at",
        "created_at",
        "cancelled_at",
        "status_changed_at",
    )

    trace_saves = False
    trace_history_and_searches = True

    def traced_person_id(self, obj: Booking) -> int:
        return obj.person_id

    def has_add_permission(self, request) -> bool:
        return False  # people book through the portal, staff through their own account

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # attendance and slots are changed from the agenda

    @admin.display(description=_("début (heure de l'accueil)"), ordering="starts_at")
    def local_starts_at(self, obj: Booking) -> str:
        return local_start(obj)


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(TracedReadsMixin, ReadOnlyAdmin):
    list_display = ("person", "service", "status", "created_at")
    list_filter = ("status", "service__kind")
    list_select_related = ("person", "service__office")
    search_fields = ("person__last_name",)

    trace_saves = False
    trace_history_and_searches = True

    def traced_person_id(self, obj: WaitingListEntry) -> int:
        return obj.person_id


@admin.register(SlotOffer)
class SlotOfferAdmin(ReadOnlyAdmin):
    list_display = ("entry", "slot", "status", "created_at", "expires_at")
    list_filter = ("status",)
    list_select_related = ("entry__person", "entry__service__office", "slot__service__office")
