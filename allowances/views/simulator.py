"""The public daily-allowance simulator page (anonymous, nothing saved)."""

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allowances.explanations import problem_text, step_text
from allowances.forms.simulator import KIND_LABELS, SimulatorForm
from allowances.rules.engine import compute_allowance
from allowances.rules.types import AllowanceResult, InvalidClaim
from cpam_portal.models import RuleParameter

# Engine fields that are form fields under the same name; salary problems are placed below.
FORM_FIELDS = {
    "stoppage_start",
    "stoppage_end",
    "ald",
    "days_already_paid_3_years",
    "previous_stoppage_end",
    "affiliation_start",
}


def _place_problems(form: SimulatorForm, error: InvalidClaim) -> None:
    for problem in error.problems:
        message = problem_text(problem)
        if problem.field in FORM_FIELDS:
            form.add_error(problem.field, message)
        elif problem.code == "missing":
            for text in problem.params.get("months", "").split(", "):
                field = form.salary_field_for(date.fromisoformat(f"{text}-01"))
                form.add_error(
                    field,
                    _("Indiquez le salaire brut de ce mois (0 si vous n'avez pas été payé)."),
                )
        else:
            form.add_error(None, message)


def _result_context(result: AllowanceResult) -> dict:
    return {
        "result": result,
        "kind_label": KIND_LABELS[result.kind],
        "explanation": [(step, step_text(step)) for step in result.explanation],
    }


@require_http_methods(["GET", "POST"])
def simulator_page(request):
    context: dict = {
        "breadcrumb_data": {"links": [], "current": _("Simulateur d'indemnités journalières")}
    }
    if request.method == "POST":
        form = SimulatorForm(request.POST)
        if form.is_valid():
            try:
                result = compute_allowance(form.claim(), RuleParameter.objects.table("allowance."))
            except InvalidClaim as error:
                _place_problems(form, error)
            else:
                context.update(_result_context(result))
    else:
        form = SimulatorForm()
    context["form"] = form
    return render(request, "allowances/simulator.html", context)
