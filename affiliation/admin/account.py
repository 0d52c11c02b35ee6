"""Back office of the insured person's space: activation codes, linking lockouts, bank details
to review and declared moves."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from affiliation.models import (
    ActivationCode,
    AddressChange,
    BankAccount,
    LinkingLockout,
)
from affiliation.services import account as services
from cpam_portal.admin import ReadOnlyAdmin, admin_page
from cpam_portal.audit import TracedReadsMixin


@admin.action(description=_("Émettre un code d'activation"), permissions=["change"])
def issue_activation_code(modeladmin, request, queryset):
    """Action of the insured persons' list: one person, a new code shown once to the agent."""
    if not request.user.has_perm("affiliation.add_activationcode"):
        modeladmin.message_user(
            request, _("Vous n'avez pas le droit d'émettre des codes d'activation."), messages.ERROR
        )
        return None
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Choisissez un seul assuré pour émettre un code."), messages.WARNING
        )
        return None
    person = queryset.get()
    try:
        code = services.issue_activation_code(person, issued_by=request.user, now=timezone.now())
    except services.FileAlreadyLinked:
        modeladmin.message_user(
            request,
            _("Le dossier de %(person)s est déjà relié à un compte en ligne.") % {"person": person},
            messages.WARNING,
        )
        return None
    # Rendered, never put in a message: messages are stored in the session until read.
    return admin_page(
        modeladmin,
        request,
        "admin/affiliation/activation_code_issued.html",
        title=_("Code d'activation émis"),
        person=person,
        code=code,
        activation=person.activation_code,
    )


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReadOnlyAdmin):
    list_display = ["person", "issued_at", "expires_at", "used_at", "issued_by"]
    list_select_related = ["person", "issued_by"]
    search_fields = ["person__nir", "person__last_name"]
    exclude = ["code_hash"]
    date_hierarchy = "issued_at"


@admin.register(LinkingLockout)
class LinkingLockoutAdmin(admin.ModelAdmin):
    list_display = ["user", "failures", "locked_until", "last_failure_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "failures", "locked_until", "last_failure_at"]
    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Débloquer le rattachement"), permissions=["change"])
    def unlock(self, request, queryset):
        count = services.unlock_linking(queryset)
        self.message_user(
            request, _("%(count)d compte(s) débloqué(s).") % {"count": count}, messages.SUCCESS
        )


@admin.register(BankAccount)
class BankAccountAdmin(TracedReadsMixin, SimpleHistoryAdmin):
    list_display = ["person", "masked_iban", "status", "created_at", "needs_review"]
    list_filter = ["needs_review", "status"]
    list_select_related = ["person"]
    search_fields = ["person__nir", "person__last_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "person", "iban", "bic", "holder_name", "status", "created_at", "created_by",
        "needs_review", "reviewed_at", "reviewed_by",
    ]  # fmt: skip
    actions = ["mark_reviewed"]
    trace_saves = False  # the full IBAN is on the change page: its reads are traced

    @admin.display(description=_("IBAN"))
    def masked_iban(self, obj: BankAccount) -> str:
        return obj.masked_iban

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("affiliation.review_bankaccount")

    def traced_person_id(self, obj: BankAccount) -> int:
        return obj.person_id

    def traced_detail(self, obj: BankAccount) -> str:
        return "bank details"

    @admin.action(description=_("Marquer comme vérifiées"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        count = services.mark_bank_accounts_reviewed(queryset, by=request.user, now=timezone.now())
        self.message_user(
            request,
            _("%(count)d coordonnée(s) bancaire(s) marquée(s) comme vérifiée(s).")
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AddressChange)
class AddressChangeAdmin(ReadOnlyAdmin):
    list_display = ["person", "moved_on", "old_postcode", "new_postcode", "old_fund", "new_fund"]
    list_select_related = ["person", "old_fund", "new_fund"]
    list_filter = ["new_fund"]
    search_fields = ["person__nir", "person__last_name"]
