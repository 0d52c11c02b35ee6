"""Sending a paper care sheet online: the form, its act lines, the scan.

The form carries a hidden idempotency key drawn when the empty form is shown: posting it twice
(a double click, a refresh after an error page) gives back the sheet recorded the first time,
never a second one (rb-pipeline's `submit_care_sheet` replays it). A refused sheet saves
nothing, not even its scan; every reason is shown in the error summary, each naming its field.
"""

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from affiliation.access import linked_person_required
from affiliation.models import Beneficiary
from reimbursements.forms.care_sheets import (
    CareLineFormSet,
    CareSheetForm,
    new_idempotency_key,
    should_hold_for_review,
)
from reimbursements.models import CareSheet
from reimbursements.rules.limits import MAX_LINES
from reimbursements.services.submission import (
    CareSheetInput,
    CareSheetRefused,
    DuplicateCareSheet,
    IdempotencyKeyReused,
    LineInput,
    submit_care_sheet,
)
from reimbursements.views.account import breadcrumb
from reimbursements.views.scope import visible_sheets

LINES_PREFIX = "lines"
LINE_FIELD = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def sheet_input(holder, beneficiary, form, lines: list[dict]) -> CareSheetInput:
    """What the submission service reads, from the valid sheet form and its filled lines."""
    data = form.cleaned_data
    return CareSheetInput(
        holder=holder,
        beneficiary=beneficiary,
        professional_name=data["professional_name"],
        professional_number=data["professional_number"],
        profession=data["profession"],
        sector=data["sector"],
        pathway=data["pathway"],
        care_date=data["care_date"],
        has_tiers_payant=data["has_tiers_payant"],
        lines=[
            LineInput(
                act_code=line["act_code"],
                quantity=line["quantity"],
                amount_charged=line["amount_charged"],
                base=line.get("base"),
            )
            for line in lines
        ],
    )


def place_refusal(form, formset, row_of_line: list[int], refusal: CareSheetRefused) -> None:
    """Each reason of the service on the field it names (line indexes are of filled rows)."""
    for error in refusal.errors:
        match = LINE_FIELD.match(error.field)
        if match and int(match.group(1)) < len(row_of_line):
            row = formset.forms[row_of_line[int(match.group(1))]]
            name = match.group(2) if match.group(2) in row.fields else None
            row.add_error(name, error.message)
        elif error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)


def anchor_of(field) -> str:
    """The id a summary link goes to: the input, or the fieldset of a group of radio buttons."""
    if field.widget_type == "radioselect":
        return f"{field.auto_id}-fieldset"
    return field.auto_id


def error_summary(form, formset) -> list[dict]:
    """Every error with the id of the field it is about (RGAA 11.10), line fields included."""
    items = [{"anchor": "", "label": "", "message": message} for message in form.non_field_errors()]
    items += [{"anchor": "", "label": "", "message": m} for m in formset.non_form_errors()]
    for field in form.visible_fields():
        for message in field.errors:
            items.append({"anchor": anchor_of(field), "label": field.label, "message": message})
    for number, row in enumerate(formset.forms, start=1):
        for message in row.non_field_errors():
            items.append(
                {"anchor": "", "label": _("Acte %(n)s") % {"n": number}, "message": message}
            )
        for field in row.visible_fields():
            for message in field.errors:
                items.append(
                    {
                        "anchor": field.auto_id,
                        "label": _("Acte %(n)s — %(field)s") % {"n": number, "field": field.label},
                        "message": message,
                    }
                )
    return items


def with_one_more_line(request, entries, today):
    """The same page, unvalidated, with the values typed so far and one more empty line."""
    data = request.POST
    form = CareSheetForm(
        initial={name: data.get(name) for name in CareSheetForm.base_fields if name != "scan"},
        entries=entries,
        today=today,
    )
    total = int(data.get(f"{LINES_PREFIX}-TOTAL_FORMS") or 0)
    rows = [
        {
            name: data.get(f"{LINES_PREFIX}-{index}-{name}", "")
            for name in ("act_code", "quantity", "amount_charged", "base")
        }
        for index in range(min(total, MAX_LINES))
    ]
    rows.append({"quantity": "1"})
    formset = CareLineFormSet(initial=rows[:MAX_LINES], prefix=LINES_PREFIX)
    formset.extra = 0
    return form, formset


@linked_person_required
@require_http_methods(["GET", "POST"])
def submit(request, holder):
    entries = list(Beneficiary.objects.on_file_of(holder))
    today = timezone.localdate()
    status = 200
    scan_to_choose_again = False
    if request.method == "POST" and "add_line" in request.POST:
        form, formset = with_one_more_line(request, entries, today)
        scan_to_choose_again = bool(request.FILES.get("scan"))
    elif request.method == "POST":
        form = CareSheetForm(request.POST, request.FILES, entries=entries, today=today)
        formset = CareLineFormSet(request.POST, prefix=LINES_PREFIX)
        if form.is_valid() and formset.is_valid():
            response = send(request, holder, entries, form, formset, today)
            if response is not None:
                return response
        status = 400
    else:
        form = CareSheetForm(
            initial={"idempotency_key": new_idempotency_key(), "beneficiary": holder.pk},
            entries=entries,
            today=today,
        )
        formset = CareLineFormSet(prefix=LINES_PREFIX)
    return render(
        request,
        "reimbursements/submit.html",
        {
            "form": form,
            "formset": formset,
            "errors": error_summary(form, formset) if form.is_bound else [],
            "can_add_line": formset.total_form_count() < MAX_LINES,
            "scan_to_choose_again": scan_to_choose_again,
            "breadcrumb_data": breadcrumb(_("Envoyer une feuille de soins"), under_payments=True),
        },
        status=status,
    )


def send(request, holder, entries, form, formset, today):
    """Submit the valid form; the response, or None after putting the refusals on the form."""
    filled_rows = [index for index, row in enumerate(formset.forms) if row.is_filled]
    lines = formset.filled_lines()
    person = {entry.person_id: entry.person for entry in entries}[form.cleaned_data["beneficiary"]]
    try:
        submission = submit_care_sheet(
            sheet_input(holder, person, form, lines),
            channel=CareSheet.Channel.ONLINE,
            submitted_by=request.user,
            on=today,
            idempotency_key=str(form.cleaned_data["idempotency_key"]),
            scan=form.cleaned_data["scan"],
            hold_for_review=should_hold_for_review(lines),
        )
    except DuplicateCareSheet as duplicate:
        place_refusal(form, formset, filled_rows, duplicate)
        existing = visible_sheets(holder).filter(pk=duplicate.existing.pk).first()
        if existing is not None:
            form.duplicate_of = existing
        return None
    except CareSheetRefused as refusal:
        place_refusal(form, formset, filled_rows, refusal)
        return None
    except IdempotencyKeyReused:
        # This very form was sent before with other values (the browser's back button): the
        # new values are a new sheet, under a new key, once the person has checked them.
        form.data = form.data.copy()
        form.data["idempotency_key"] = str(new_idempotency_key())
        form.add_error(
            None,
            _(
                "Ce formulaire a déjà été envoyé avec d'autres informations. Vérifiez la "
                "feuille ci-dessous, joignez à nouveau le fichier et envoyez-la si elle est "
                "différente de la précédente."
            ),
        )
        return None
    sheet = submission.care_sheet
    if submission.is_replay:
        messages.info(request, _("Cette feuille de soins avait déjà été reçue : la voici."))
    else:
        messages.success(
            request,
            _(
                "Votre feuille de soins est envoyée. Un e-mail vous préviendra de son "
                "remboursement."
            ),
        )
    return redirect("reimbursements:care_sheet_detail", public_id=sheet.public_id)
