"""The "fiche assuré": staff find an insured person and see their whole file on one page.

Other areas add to the page without editing it: an inline class appended to
FICHE_EXTRA_INLINES, or a link appended to FICHE_LINKS (an admin URL name, shown only when it
exists). Every read of the page, of its history and every search is traced (TracedReadsMixin).
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from affiliation.admin.account import issue_activation_code
from affiliation.forms.backoffice import AttachPersonForm, InsuredPersonAdminForm
from affiliation.models import Beneficiary, CoveragePeriod, Exemption, InsuredPerson
from affiliation.rules.nir import normalise_number
from affiliation.services.records import attach_dependant
from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin

# Granted to the group COUNTER_STAFF ("Agents d'accueil") by a data migration. No delete: a
# person's record is never deleted, a right or an exemption ends with its closing date, and a
# person leaves a file through a dated life event; the history of every change is the record.
COUNTER_STAFF_PERMISSIONS = (
    "view_insuredperson",
    "add_insuredperson",
    "change_insuredperson",
    "view_beneficiary",
    "add_beneficiary",
    "view_coverageperiod",
    "add_coverageperiod",
    "change_coverageperiod",
    "view_exemption",
    "add_exemption",
    "change_exemption",
)

ATTACH_PERMISSION = "affiliation.add_beneficiary"
SEARCH_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
# The start of a NIR/NIA as staff type it: at least 5 digits (sex, year, month), then digits
# or Corsica's 2A/2B.
NIR_PREFIX = re.compile(r"[0-9]{5}[0-9AB]{0,10}")


@dataclass(frozen=True)
class FicheLink:
    """A link of the fiche to another admin list, filtered on this person.

    `query` is formatted with the person's pk: "person__id__exact={pk}".
    """

    label: str
    url_name: str
    query: str


# Other areas' back-office lists about this person; links whose URL does not exist (the area
# is not installed) are left out.
FICHE_LINKS: list[FicheLink] = [
    FicheLink(
        _("Traces de consultation de ce dossier"),
        "admin:cpam_portal_accesslog_changelist",
        "insured_person_id={pk}",
    ),
]
# Inlines other areas add to the fiche (e.g. the CSS applications of affiliation.admin.css).
FICHE_EXTRA_INLINES: list[type[admin.options.InlineModelAdmin]] = []


def parse_search_date(text: str) -> datetime.date | None:
    for date_format in SEARCH_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


class BeneficiaryInline(admin.TabularInline):
    """The persons on this person's file, with their ranks (01 is the holder), read-only.

    A person joins a file through "Ajouter une personne au dossier" (the service allocates the
    next rank under a lock and opens their rights), never by typing a rank here.
    """

    model = Beneficiary
    fk_name = "holder"
    extra = 0
    fields = ("rank_label", "person_link", "relationship", "autonomy_requested_on")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("personne sur ce dossier")
    verbose_name_plural = _("personnes sur ce dossier (bénéficiaires et rangs)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    @admin.display(description=_("rang"))
    def rank_label(self, entry: Beneficiary) -> str:
        return entry.rank_label

    @admin.display(description=_("bénéficiaire"))
    def person_link(self, entry: Beneficiary) -> str:
        url = reverse("admin:affiliation_insuredperson_change", args=[entry.person_id])
        return format_html('<a href="{}">{}</a>', url, entry.person)


class OnFilesInline(admin.TabularInline):
    """The files this person is on (their own, and a parent's for a child), read-only."""

    model = Beneficiary
    fk_name = "person"
    extra = 0
    fields = ("holder_link", "rank", "relationship")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("dossier où figure cette personne")
    verbose_name_plural = _("dossiers où figure cette personne")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("holder", "person")

    @admin.display(description=_("titulaire du dossier"))
    def holder_link(self, entry: Beneficiary) -> str:
        url = reverse("admin:affiliation_insuredperson_change", args=[entry.holder_id])
        return format_html('<a href="{}">{}</a>', url, entry.holder)


class CoveragePeriodInline(admin.TabularInline):
    model = CoveragePeriod
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")  # for each row's title


class ExemptionInline(admin.TabularInline):
    model = Exemption
    extra = 0


class PersonSearchMixin:
    """Search by birth date (15/01/1985 or 1985-01-15), NIR start (any spacing), or names."""

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        day = parse_search_date(term)
        if day is not None:
            return queryset.filter(birth_date=day), False
        number = normalise_number(term)
        if NIR_PREFIX.fullmatch(number):
            return queryset.filter(nir__startswith=number), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(InsuredPerson)
class InsuredPersonAdmin(TracedReadsMixin, ActionPageMixin, PersonSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "nir",
        "last_name",
        "first_names",
        "birth_date",
        "number_kind",
        "fund",
        "is_alsace_moselle",
    ]
    list_filter = ["fund", "number_kind", "is_alsace_moselle"]
    search_fields = ["nir", "last_name", "birth_name", "first_names"]
    search_help_text = _(
        "NIR (même partiel, avec ou sans espaces), nom, nom de naissance, prénom, ou date de "
        "naissance (15/01/1985 ou 1985-01-15)."
    )
    list_select_related = ["fund"]
    raw_id_fields = ["user"]
    form = InsuredPersonAdminForm
    actions = [issue_activation_code]
    readonly_fields = ["created_at", "updated_at", "other_records"]
    fieldsets = [
        (
            _("Identité"),
            {
                "fields": [
                    ("nir", "number_kind"),
                    ("last_name", "birth_name"),
                    "first_names",
                    ("sex", "birth_date"),
                ]
            },
        ),
        (
            _("Caisse et régime"),
            {"fields": ["fund", "is_alsace_moselle"]},
        ),
        (
            _("Contact et adresse"),
            {
                "fields": [
                    ("email", "phone"),
                    "address_line_1",
                    "address_line_2",
                    ("postcode", "city"),
                ]
            },
        ),
        (
            _("Médecin traitant"),
            {
                "fields": [
                    ("attending_doctor_rpps", "attending_doctor_name"),
                    "attending_doctor_since",
                ]
            },
        ),
        (_("Compte en ligne"), {"fields": ["user"]}),
        (_("Autres éléments du dossier"), {"fields": ["other_records"]}),
        (_("Suivi"), {"fields": [("created_at", "updated_at")]}),
    ]
    inlines = [BeneficiaryInline, OnFilesInline, CoveragePeriodInline, ExemptionInline]

    trace_saves = False
    trace_history_and_searches = True

    def traced_person_id(self, obj: InsuredPerson) -> int:
        return obj.pk

    def get_urls(self):
        return [
            path(
                "<int:object_id>/ajouter-au-dossier/",
                self.admin_site.admin_view(self.attach_view),
                name="affiliation_insuredperson_attach",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_attach"] = obj is not None and request.user.has_perm(ATTACH_PERMISSION)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def attach_view(self, request: HttpRequest, object_id: int):
        """Put a person on this file with the next rank (affiliation.services.records)."""
        if not request.user.has_perm(ATTACH_PERMISSION):
            raise PermissionDenied
        holder = get_object_or_404(InsuredPerson, pk=object_id)
        change_url = reverse("admin:affiliation_insuredperson_change", args=[holder.pk])
        if not holder.file_entries.filter(rank=1).exists():
            self.message_user(
                request,
                _("Cette personne n'a pas de dossier à son nom : ajoutez-la à celui du titulaire."),
                messages.WARNING,
            )
            return redirect(change_url)
        form = AttachPersonForm(
            request.POST or None,
            holder=holder,
            initial={"rights_from": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                entry = attach_dependant(
                    holder,
                    form.person,
                    form.cleaned_data["relationship"],
                    rights_from=form.cleaned_data["rights_from"],
                )
            except IntegrityError:  # attached by someone else meanwhile
                form.add_error("nir", _("Cette personne figure déjà sur ce dossier."))
            else:
                self.message_user(
                    request,
                    _("%(person)s est ajouté(e) au dossier au rang %(rank)s.")
                    % {"person": form.person, "rank": entry.rank_label},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        if request.method == "GET":
            self.trace_read(request, holder, detail="attach")
        return self.action_page(
            request,
            title=_("Ajouter une personne au dossier de %(holder)s") % {"holder": holder},
            form=form,
            change_url=change_url,
            template="admin/affiliation/insuredperson/attach.html",
            holder=holder,
        )

    def get_inlines(self, request, obj):
        return [*self.inlines, *FICHE_EXTRA_INLINES]

    @admin.display(description=_("Liens"))
    def other_records(self, obj: InsuredPerson) -> str:
        if obj.pk is None:
            return "—"
        links = []
        for link in FICHE_LINKS:
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            links.append((f"{url}?{link.query.format(pk=obj.pk)}", link.label))
        if not links:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', links)
        )
