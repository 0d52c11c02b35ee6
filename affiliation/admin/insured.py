from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from affiliation.admin.account import issue_activation_code
from affiliation.models import Beneficiary, CoveragePeriod, Exemption, InsuredPerson, Mutuelle


class BeneficiaryInline(admin.TabularInline):
    model = Beneficiary
    fk_name = "holder"
    extra = 0
    autocomplete_fields = ["person"]


class CoveragePeriodInline(admin.TabularInline):
    model = CoveragePeriod
    extra = 0


class ExemptionInline(admin.TabularInline):
    model = Exemption
    extra = 0


@admin.register(InsuredPerson)
class InsuredPersonAdmin(SimpleHistoryAdmin):
    list_display = ["nir", "last_name", "first_names", "birth_date", "fund"]
    search_fields = ["nir", "last_name", "birth_name", "first_names"]
    list_select_related = ["fund"]
    raw_id_fields = ["user"]
    inlines = [BeneficiaryInline, CoveragePeriodInline, ExemptionInline]
    actions = [issue_activation_code]


@admin.register(Mutuelle)
class MutuelleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "amc_number", "is_active"]
    search_fields = ["name", "amc_number"]
