"""The insured person's complementary cover ("Complémentaire santé" in Mon espace): their
contracts, declaring one, resolving a conflict, agreeing to a mutuelle's subscription."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from affiliation.access import linked_person_required
from affiliation.services.account import file_entries
from mutuelles.forms import ContractForm, ResolveConflictForm
from mutuelles.models import MutuelleContract
from mutuelles.services import contracts as services


def breadcrumb(current: str) -> dict:
    return {
        "links": [{"url": reverse("affiliation:my_space"), "title": _("Mon espace")}],
        "current": current,
    }


@linked_person_required
def contracts(request, person):
    contracts = services.contracts_of_file(person)
    return render(
        request,
        "mutuelles/contracts.html",
        {
            "contracts": contracts,
            "conflicts": services.conflicts_among(contracts),
            "awaiting_agreement": [
                c for c in contracts if c.status == MutuelleContract.Status.SUBSCRIBED
            ],
            "breadcrumb_data": breadcrumb(_("Complémentaire santé")),
        },
    )


@linked_person_required
def declare_contract(request, person):
    entries = file_entries(person)
    form = ContractForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contract = services.declare_contract(
            data["entry"],
            mutuelle=data["mutuelle"],
            member_number=data["member_number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            by=request.user,
            now=timezone.now(),
        )
        others = services.contracts_of_file(person)
        if contract.status == MutuelleContract.Status.CONFIRMED:
            messages.success(
                request,
                _(
                    "%(mutuelle)s avait déjà déclaré ce contrat : le lien est actif, vos "
                    "remboursements lui sont transmis."
                )
                % {"mutuelle": contract.mutuelle.name},
            )
        elif any(contract in (c.first, c.second) for c in services.conflicts_among(others)):
            messages.warning(
                request,
                _(
                    "Ce contrat couvre les mêmes jours qu'un autre contrat de %(name)s : "
                    "choisissez celui qui reste."
                )
                % {"name": data["entry"].person.first_names},
            )
        else:
            messages.success(request, _("Votre contrat de complémentaire santé est déclaré."))
        return redirect("mutuelles:contracts")
    return render(
        request,
        "mutuelles/contract_form.html",
        {"form": form, "breadcrumb_data": breadcrumb(_("Déclarer une complémentaire"))},
    )


@require_POST
@linked_person_required
def resolve_conflict(request, person):
    form = ResolveConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le contrat à garder."))
        return redirect("mutuelles:contracts")
    try:
        other = services.resolve_contract_conflict(
            person, kept_id=form.cleaned_data["kept"], other_id=form.cleaned_data["other"]
        )
    except MutuelleContract.DoesNotExist as error:
        raise Http404("no such conflict on this file") from error
    if other.status == MutuelleContract.Status.WITHDRAWN:
        messages.success(request, _("Le contrat de %(mutuelle)s est retiré.") % {
            "mutuelle": other.mutuelle.name
        })  # fmt: skip
    else:
        messages.success(
            request,
            _("Le contrat de %(mutuelle)s prend fin le %(day)s.")
            % {"mutuelle": other.mutuelle.name, "day": formats.date_format(other.last_day)},
        )
    return redirect("mutuelles:contracts")


@require_POST
@linked_person_required
def confirm_contract(request, person, pk):
    """The insured person agrees to the contract their mutuelle declared (the link's 2nd half)."""
    try:
        contract = services.confirm_subscription(person, contract_id=pk, now=timezone.now())
    except MutuelleContract.DoesNotExist as error:
        raise Http404("no contract awaiting confirmation on this file") from error
    messages.success(
        request,
        _(
            "Le lien avec %(mutuelle)s est actif : vos remboursements lui sont transmis pour "
            "les soins de la période du contrat."
        )
        % {"mutuelle": contract.mutuelle.name},
    )
    return redirect("mutuelles:contracts")


@require_POST
@linked_person_required
def decline_contract(request, person, pk):
    """ "Ce n'est pas mon contrat": the mutuelle's declaration is withdrawn."""
    try:
        contract = services.decline_subscription(person, contract_id=pk)
    except MutuelleContract.DoesNotExist as error:
        raise Http404("no contract awaiting confirmation on this file") from error
    messages.success(
        request,
        _("Le contrat déclaré par %(mutuelle)s est retiré : rien ne lui sera transmis.")
        % {"mutuelle": contract.mutuelle.name},
    )
    return redirect("mutuelles:contracts")
