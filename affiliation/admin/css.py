"""Back office of the complémentaire santé solidaire: staff read applications and decide.

Applications are written by the insured person and never edited here: the only change is the
decision (grant, or refuse with a reason), through the "decide" page or the grant action, which
needs the permission affiliation.decide_cssapplication.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from affiliation import css_messages
from affiliation.admin.insured import FICHE_EXTRA_INLINES
from affiliation.models import CSSApplication, CSSApplicationMember
from affiliation.rules.css import CSSInputError
from affiliation.services import css as services
from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin

# Granted to COUNTER_STAFF by a data migration: read the applications and decide them. No add
# (the insured person applies), no change (the application is what they declared), no delete.
CSS_COUNTER_STAFF_PERMISSIONS = (
    "view_cssapplication",
    "decide_cssapplication",
    "view_cssapplicationmember",
)
DECIDE_PERMISSION = "affiliation.decide_cssapplication"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("grant", _("Accorder pour 12 mois")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.CharField(
        label=_("Motif du refus (communiqué à l'assuré)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") == "refuse"
            and not cleaned_data.get("refusal_reason", "").strip()
        ):
            self.add_error("refusal_reason", _("Indiquez le motif du refus."))
        return cleaned_data


class MemberInline(admin.TabularInline):
    model = CSSApplicationMember
    extra = 0
    fields = ("rank", "person", "age_on_first_january", "monthly_participation")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class CSSApplicationOnFicheInline(admin.TabularInline):
    """The holder's CSS applications, on the fiche assuré."""

    model = CSSApplication
    fk_name = "holder"
    extra = 0
    fields = ("submitted_on", "status", "outcome", "monthly_participation", "valid_until")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("holder")  # for each row's title


FICHE_EXTRA_INLINES.append(CSSApplicationOnFicheInline)


@admin.register(CSSApplication)
class CSSApplicationAdmin(TracedReadsMixin, ActionPageMixin, SimpleHistoryAdmin):
    list_display = (
        "submitted_on",
        "holder",
        "household_size",
        "outcome",
        "monthly_participation",
        "status",
    )
    list_filter = ("status", "outcome")
    search_fields = ("holder__nir", "holder__last_name", "holder__first_names")
    list_select_related = ("holder",)
    inlines = [MemberInline]
    actions = ["grant_selected"]
    fields = (
        "holder",
        "submitted_on",
        "annual_resources",
        "household_size",
        "outcome",
        "monthly_participation",
        "explanation",
        "status",
        "decide_link",
        "decided_by",
        "decided_at",
        "refusal_reason",
        "valid_from",
        "valid_until",
    )
    readonly_fields = fields

    trace_saves = False
    trace_history_and_searches = True

    def traced_person_id(self, obj: CSSApplication) -> int:
        return obj.holder_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # what the person declared stays as declared; decisions go through "decide"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="affiliation_cssapplication_decide",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("Détail du calcul"))
    def explanation(self, application: CSSApplication) -> str:
        lines = explanation_lines(application)
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )

    @admin.display(description=_("Décision"))
    def decide_link(self, application: CSSApplication) -> str:
        if not application.is_open:
            return "—"
        url = reverse("admin:affiliation_cssapplication_decide", args=[application.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Décider"))

    @admin.action(description=_("Accorder les demandes choisies (12 mois)"), permissions=["decide"])
    def grant_selected(self, request: HttpRequest, queryset) -> None:
        today = timezone.localdate()
        granted = skipped = 0
        for application_id in queryset.values_list("pk", flat=True):
            try:
                services.grant_application(application_id, decided_by=request.user, on=today)
            except services.ApplicationNotOpen:
                skipped += 1
            else:
                granted += 1
        self.message_user(
            request,
            _("%(granted)s demande(s) accordée(s), %(skipped)s déjà décidée(s).")
            % {"granted": granted, "skipped": skipped},
            messages.SUCCESS if granted else messages.WARNING,
        )

    def decide_view(self, request: HttpRequest, object_id: int):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        application = CSSApplication.objects.select_related("holder").filter(pk=object_id).first()
        if application is None:
            raise Http404
        change_url = reverse("admin:affiliation_cssapplication_change", args=[application.pk])
        if not application.is_open:
            self.message_user(request, _("Cette demande est déjà décidée."), messages.WARNING)
            return redirect(change_url)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "grant":
                    services.grant_application(
                        application.pk, decided_by=request.user, on=timezone.localdate()
                    )
                    message = _("La demande est accordée : l'exonération CSS est enregistrée.")
                else:
                    services.refuse_application(
                        application.pk,
                        decided_by=request.user,
                        reason=form.cleaned_data["refusal_reason"],
                    )
                    message = _("La demande est refusée : l'assuré en est informé.")
            except services.ApplicationNotOpen:
                self.message_user(request, _("Cette demande est déjà décidée."), messages.WARNING)
            else:
                self.message_user(request, message, messages.SUCCESS)
            return redirect(change_url)
        if request.method == "GET":
            self.trace_read(request, application, detail="decide")
        return self.action_page(
            request,
            title=_("Décider de la demande de %(holder)s") % {"holder": application.holder},
            form=form,
            change_url=change_url,
            template="admin/affiliation/cssapplication/decide.html",
            application=application,
            members=application.members.select_related("person"),
            explanation=explanation_lines(application),
        )


def explanation_lines(application: CSSApplication) -> list[str]:
    """The rules' explanation, recomputed from what the application recorded."""
    members = list(application.members.select_related("person"))
    try:
        result = services.simulate(
            birth_dates=[member.person.birth_date for member in members],
            annual_resources=application.annual_resources,
            territory=services.territory_of(application.holder),
            on=application.submitted_on,
        )
    except CSSInputError as error:
        return [css_messages.describe_error(error)]
    lines = css_messages.describe_all(result.explanation)
    if application.holder.is_alsace_moselle and application.monthly_participation:
        lines.append(
            str(
                _(
                    "Régime local d'Alsace-Moselle : les montants réduits de participation ne "
                    "sont pas dans nos sources ; le montant indiqué est celui du régime général."
                )
            )
        )
    return lines
