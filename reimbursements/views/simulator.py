"""The public simulator page: a care sheet in, the amounts and their reasons out, nothing saved.

A GET form: simulating changes nothing, so the result has an address and needs no CSRF token.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reimbursements.explanations import explain
from reimbursements.forms.simulator import SimulatorForms
from reimbursements.rules.types import InvalidSheet
from reimbursements.simulation import simulate


@require_GET
def simulator(request):
    forms = SimulatorForms(request.GET if "s-care_date" in request.GET else None)
    result = None
    if forms.is_bound and forms.is_valid():
        try:
            result = simulate(forms.sheet_input())
        except InvalidSheet as invalid:
            forms.add_engine_errors(invalid.errors)
    return render(
        request,
        "reimbursements/simulator.html",
        {
            "forms": forms,
            "result": result,
            "explained": [(line, explain(line.explanation)) for line in result.lines]
            if result
            else [],
            "breadcrumb_data": {"links": [], "current": _("Simulateur de remboursement")},
        },
    )
