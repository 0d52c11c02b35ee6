"""The insured person's space ("Mon espace"): linking the account, the file, life events."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from affiliation.access import linked_person_required
from affiliation.forms.account import (
    AddressForm,
    AttendingDoctorForm,
    BankDetailsForm,
    LinkAccountForm,
)
from affiliation.models import (
    BankAccount,
    Beneficiary,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
)
from affiliation.rules import account as rules
from affiliation.services import account as services
from affiliation.services.records import Address, NoFundForPostcode


def breadcrumb(current: str) -> dict:
    return {
        "links": [{"url": reverse("affiliation:my_space"), "title": _("Mon espace")}],
        "current": current,
    }


def entry_on_file(holder: InsuredPerson, rank: int) -> Beneficiary:
    """The person with this rank on the holder's own file; any other rank is a 404."""
    return get_object_or_404(Beneficiary.objects.select_related("person"), holder=holder, rank=rank)


# --- Linking --------------------------------------------------------------------------------

# The same words whichever of the three was wrong: no page tells whether a NIR is known.
LINKING_REFUSED = gettext_lazy(
    "Ces informations ne permettent pas de relier un dossier : vérifiez le numéro de sécurité "
    "sociale, la date de naissance et le code d'activation."
)


@login_required
def link_account(request):
    if InsuredPerson.objects.for_user(request.user).exists():
        return redirect("affiliation:my_space")
    if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
        messages.warning(
            request, _("Confirmez d'abord votre adresse e-mail avant de relier votre dossier.")
        )
        return redirect("account_email")
    form = LinkAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.link_account(request.user, **form.cleaned_data, now=timezone.now())
        except services.LinkingLocked as locked:
            until = formats.time_format(timezone.localtime(locked.locked_until), "H:i")
            form.add_error(
                None,
                _(
                    "Trop d'essais infructueux : pour protéger les dossiers, le rattachement "
                    "de ce compte est bloqué jusqu'à %(time)s. Votre caisse peut le débloquer."
                )
                % {"time": until},
            )
            status = 429
        except services.LinkingRefused:
            form.add_error(None, LINKING_REFUSED)
        except services.ActivationCodeExpired:
            form.add_error(
                None,
                _(
                    "Ce code d'activation a expiré ou a déjà servi : demandez-en un nouveau à "
                    "votre caisse."
                ),
            )
        except services.FileAlreadyLinked:
            form.add_error(
                None,
                _(
                    "Ce dossier est déjà relié à un autre compte. S'il ne s'agit pas du vôtre, "
                    "contactez votre caisse."
                ),
            )
        except services.AccountAlreadyLinked:
            return redirect("affiliation:my_space")
        else:
            messages.success(request, _("Votre compte est relié à votre dossier d'assuré."))
            return redirect("affiliation:my_space")
    return render(
        request,
        "affiliation/account/link.html",
        {"form": form, "breadcrumb_data": {"links": [], "current": _("Relier mon dossier")}},
        status=status,
    )


# --- The file -------------------------------------------------------------------------------


@linked_person_required
def my_space(request, person):
    entries = services.file_entries(person).prefetch_related(
        Prefetch(
            "person__coverage_periods", queryset=CoveragePeriod.objects.order_by("-valid_from")
        ),
        Prefetch("person__exemptions", queryset=Exemption.objects.order_by("-valid_from")),
    )
    other_files = (
        Beneficiary.objects.filter(person=person)
        .exclude(holder=person)
        .select_related("holder")
        .order_by("holder__last_name", "pk")
    )
    today = timezone.localdate()
    return render(
        request,
        "affiliation/account/space.html",
        {
            "person": person,
            "masked_nir": rules.masked_nir(person.nir),
            "entries": [
                (
                    entry,
                    rules.may_declare_attending_doctor(entry.person.birth_date, today),
                    entry.relationship != Beneficiary.Relationship.HOLDER
                    and rules.may_request_autonomy(entry.person.birth_date, today),
                )
                for entry in entries
            ],
            "other_files": other_files,
            "bank_account": BankAccount.objects.filter(person=person).current().first(),
            "breadcrumb_data": {"links": [], "current": _("Mon espace")},
        },
    )


# --- Life events ----------------------------------------------------------------------------


@linked_person_required
def attending_doctor(request, person, rank):
    entry = entry_on_file(person, rank)
    today = timezone.localdate()
    if not rules.may_declare_attending_doctor(entry.person.birth_date, today):
        raise Http404("under 16")
    form = AttendingDoctorForm(request.POST or None, on=today, initial={"since": today})
    if request.method == "POST" and form.is_valid():
        services.declare_attending_doctor(entry, **form.cleaned_data, on=today)
        messages.success(
            request,
            _("Le médecin traitant de %(name)s est enregistré.")
            % {"name": entry.person.first_names},
        )
        return redirect("affiliation:my_space")
    return render(
        request,
        "affiliation/account/attending_doctor.html",
        {"form": form, "entry": entry, "breadcrumb_data": breadcrumb(_("Médecin traitant"))},
    )


@linked_person_required
def change_address(request, person):
    today = timezone.localdate()
    form = AddressForm(request.POST or None, on=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = Address(
            line_1=data["line_1"], line_2=data["line_2"], postcode=data["postcode"],
            city=data["city"],
        )  # fmt: skip
        try:
            change = services.change_address(person, address, moved_on=data["moved_on"], on=today)
        except NoFundForPostcode:
            form.add_error(
                "postcode",
                _("Ce code postal ne correspond à aucune caisse : vérifiez-le."),
            )
        else:
            if change.changed_fund:
                messages.success(
                    request,
                    _(
                        "Votre nouvelle adresse est enregistrée. Votre dossier est désormais "
                        "géré par la %(fund)s."
                    )
                    % {"fund": change.new_fund.name},
                )
            else:
                messages.success(request, _("Votre nouvelle adresse est enregistrée."))
            return redirect("affiliation:my_space")
    return render(
        request,
        "affiliation/account/address.html",
        {"form": form, "person": person, "breadcrumb_data": breadcrumb(_("Changer d'adresse"))},
    )


@linked_person_required
def bank_details(request, person):
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    current = BankAccount.objects.filter(person=person).current().first()
    form = None
    if has_totp:
        form = BankDetailsForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.change_bank_details(
                person,
                iban=data["iban"],
                bic=data["bic"],
                holder_name=data["holder_name"],
                by=request.user,
            )
            messages.success(
                request,
                _(
                    "Vos nouvelles coordonnées bancaires sont enregistrées. Votre caisse les "
                    "vérifie avant le prochain remboursement ; un e-mail de confirmation vous a "
                    "été envoyé."
                ),
            )
            return redirect("affiliation:my_space")
    return render(
        request,
        "affiliation/account/bank_details.html",
        {
            "form": form,
            "current": current,
            "breadcrumb_data": breadcrumb(_("Coordonnées bancaires")),
        },
    )


@linked_person_required
def request_autonomy(request, person, rank):
    entry = entry_on_file(person, rank)
    today = timezone.localdate()
    if entry.relationship == Beneficiary.Relationship.HOLDER or not rules.may_request_autonomy(
        entry.person.birth_date, today
    ):
        raise Http404("not an eligible dependant")
    if request.method == "POST":
        try:
            services.request_autonomy(entry, on=today)
        except services.LifeEventRefused:
            messages.info(request, _("Cette demande a déjà été faite."))
        else:
            messages.success(
                request,
                _(
                    "La demande d'autonomie de %(name)s est transmise à votre caisse, qui vous "
                    "écrira."
                )
                % {"name": entry.person.first_names},
            )
        return redirect("affiliation:my_space")
    return render(
        request,
        "affiliation/account/autonomy.html",
        {"entry": entry, "breadcrumb_data": breadcrumb(_("Demande d'autonomie"))},
    )
