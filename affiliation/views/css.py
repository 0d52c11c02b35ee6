"""Complémentaire santé solidaire: the public simulator and the insured person's application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from affiliation import css_messages
from affiliation.forms.css import ApplicationForm, SimulatorForm
from affiliation.models import CSSApplication, InsuredPerson
from affiliation.rules.css import CSSInputError
from affiliation.services import css as services
from cpam_portal.languages import current_language


def breadcrumb(current: str) -> dict:
    return {"links": [], "current": current}


@require_http_methods(["GET", "POST"])
def simulator(request):
    today = timezone.localdate()
    result = None
    if request.method == "POST":
        form = SimulatorForm(request.POST, on=today)
        if form.is_valid():
            try:
                result = services.simulate(
                    birth_dates=form.birth_dates,
                    annual_resources=form.cleaned_data["annual_resources"],
                    territory=form.cleaned_data["territory"],
                    on=today,
                )
            except CSSInputError as error:
                form.add_error(None, css_messages.describe_error(error))
    else:
        form = SimulatorForm(on=today)
    return render(
        request,
        "affiliation/css/simulator.html",
        {
            "form": form,
            "result": result,
            "outcome_label": css_messages.OUTCOME_LABELS[result.outcome] if result else "",
            "explanation": css_messages.describe_all(result.explanation) if result else [],
            "participation": css_messages.euros(result.monthly_participation) if result else "",
            "breadcrumb_data": breadcrumb(_("Simulateur de complémentaire santé solidaire")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application(request):
    today = timezone.localdate()
    context = {"breadcrumb_data": breadcrumb(_("Demande de complémentaire santé solidaire"))}
    person = InsuredPerson.objects.for_user(request.user).first()
    if person is None or not person.file_entries.filter(rank=1).exists():
        return render(
            request,
            "affiliation/css/application.html",
            {**context, "person": person, "can_apply": False},
        )
    applications = list(
        CSSApplication.objects.for_holder(person)
        .select_related("holder")
        .order_by("-submitted_on", "-pk")
    )
    open_application = next((a for a in applications if a.is_open), None)
    form = None
    if open_application is None:
        entries = services.file_entries(person)
        form = ApplicationForm(request.POST or None, entries=entries)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_application(
                    holder=person,
                    entries=form.cleaned_data["entries"],
                    annual_resources=form.cleaned_data["annual_resources"],
                    user=request.user,
                    language=current_language(),
                    on=today,
                )
            except services.ApplicationAlreadyOpen:
                messages.error(request, _("Une demande est déjà en cours pour votre dossier."))
                return redirect(reverse("affiliation:css_application"))
            except CSSInputError as error:
                form.add_error(None, css_messages.describe_error(error))
            else:
                messages.success(
                    request,
                    _("Votre demande est enregistrée : vous recevrez un e-mail à chaque étape."),
                )
                return redirect(reverse("affiliation:css_application"))
    elif request.method == "POST":
        messages.error(request, _("Une demande est déjà en cours pour votre dossier."))
        return redirect(reverse("affiliation:css_application"))
    return render(
        request,
        "affiliation/css/application.html",
        {
            **context,
            "person": person,
            "can_apply": True,
            "form": form,
            "open_application": open_application,
            "applications": applications,
            "outcome_labels": css_messages.OUTCOME_LABELS,
        },
    )
