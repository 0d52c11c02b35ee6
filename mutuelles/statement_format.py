"""The statement document a mutuelle receives: one shape for the feed and for the webhooks.

Our own documented JSON format, not NOEMIE: the NOEMIE OC record layout has no current
official publication (only third-party copies of the cahier des charges of June 2005, updated
10/2007, circulate, e.g. docplayer.fr/1970713); we carry what its table of contents lists.
One document per transmission
(one statement for one mutuelle): the beneficiary as the mutuelle knows them (the insured
person's NIR, the rank on that file, the birth date, the mutuelle's own member number and
contract reference), the care, the payment, and each line with the fund's part and every
withholding as a coded adjustment. Amounts are strings with two decimals ("19.00"), never
floats. `documents_for` builds a page in three queries, whatever its size.

`released_at` is when the transmission entered the feed and `released_on` that day in
Europe/Paris: the day under which the reconciliation totals count it (mutuelles.services.feed).
"""

from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from affiliation.models import Beneficiary
from cpam_portal.money import api_amount
from mutuelles.models import Transmission
from reimbursements.models import StatementLine

FORMAT_VERSION = "1"
# The fund's local day: the day of `released_on` and of the reconciliation totals.
FEED_TIMEZONE = ZoneInfo("Europe/Paris")

# Withholdings on the fund's part, each a coded adjustment (our codes, documented in the API).
PARTICIPATION_FORFAITAIRE = "participation_forfaitaire"
FRANCHISE_MEDICALE = "franchise_medicale"
PARTICIPATION_ACTES_LOURDS = "participation_actes_lourds"
FORFAIT_JOURNALIER = "forfait_journalier"
ADJUSTMENT_FIELDS = (
    (PARTICIPATION_FORFAITAIRE, "participation_forfaitaire"),
    (FRANCHISE_MEDICALE, "franchise"),
    (PARTICIPATION_ACTES_LOURDS, "flat_fee"),
    (FORFAIT_JOURNALIER, "hospital_daily_charge"),
)
ADJUSTMENT_CODES = tuple(code for code, _field in ADJUSTMENT_FIELDS)

LINE_FIELDS = (
    "id",
    "statement_id",
    "position",
    "act_code",
    "quantity",
    "amount_charged",
    "base",
    "rate",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "franchise_kind",
    "flat_fee",
    "hospital_daily_charge",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "css_part",
    "local_scheme_part",
)
# Money fields of a line, summed per day by the reconciliation totals.
LINE_AMOUNTS = (
    "amount_charged",
    "base",
    "amo_gross",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "css_part",
    "local_scheme_part",
)


def transmissions_with_documents(queryset):
    """`queryset` with what `document` reads, joined or prefetched (two queries)."""
    return queryset.select_related(
        "statement__holder",
        "statement__beneficiary",
        "statement__payment",
        "contract",
    ).prefetch_related(
        Prefetch(
            "statement__lines",
            queryset=StatementLine.objects.only(*LINE_FIELDS).order_by("position"),
        )
    )


def ranks_of(transmissions) -> dict[tuple[int, int], int]:
    """(holder id, person id) → rank on that file, for a page of transmissions (one query)."""
    pairs = {(t.statement.holder_id, t.statement.beneficiary_id) for t in transmissions}
    if not pairs:
        return {}
    holders = {holder for holder, _person in pairs}
    persons = {person for _holder, person in pairs}
    return {
        (holder, person): rank
        for holder, person, rank in Beneficiary.objects.filter(
            holder_id__in=holders, person_id__in=persons
        ).values_list("holder_id", "person_id", "rank")
    }


def line_document(line: StatementLine) -> dict:
    adjustments = []
    for code, field in ADJUSTMENT_FIELDS:
        amount = getattr(line, field)
        if amount:
            adjustment = {"code": code, "amount": api_amount(amount)}
            if code == FRANCHISE_MEDICALE and line.franchise_kind:
                adjustment["kind"] = line.franchise_kind
            adjustments.append(adjustment)
    return {
        "position": line.position,
        "act_code": line.act_code,
        "quantity": f"{line.quantity.normalize():f}",
        "amount_charged": api_amount(line.amount_charged),
        "base": api_amount(line.base),
        "rate": f"{line.rate:.2f}",
        "amo_gross": api_amount(line.amo_gross),
        "adjustments": adjustments,
        "amo_paid": api_amount(line.amo_paid),
        "depassement": api_amount(line.depassement),
        "ticket_moderateur": api_amount(line.ticket_moderateur),
        "css_part": api_amount(line.css_part),
        "local_scheme_part": api_amount(line.local_scheme_part),
    }


def document(transmission: Transmission, ranks: dict[tuple[int, int], int]) -> dict:
    statement = transmission.statement
    contract = transmission.contract
    payment = getattr(statement, "payment", None)
    released_at = transmission.released_at
    return {
        "id": str(transmission.public_id),
        "position": transmission.feed_position,
        "format_version": FORMAT_VERSION,
        "released_at": released_at.isoformat() if released_at else None,
        "released_on": released_at.astimezone(FEED_TIMEZONE).date().isoformat()
        if released_at
        else None,
        "statement_id": str(statement.public_id),
        "beneficiary": {
            "nir": statement.holder.nir,
            "rank": ranks.get((statement.holder_id, statement.beneficiary_id)),
            "birth_date": statement.beneficiary.birth_date.isoformat(),
            "member_number": contract.member_number,
            "contract_reference": contract.mutuelle_reference,
        },
        "care_date": statement.care_date.isoformat(),
        "issued_on": statement.issued_on.isoformat(),
        "profession": statement.profession,
        "payment": None
        if payment is None
        else {
            "date": payment.paid_on.isoformat(),
            "reference": payment.reference,
            "payee": payment.payee,
        },
        "lines": [line_document(line) for line in statement.lines.all()],
    }


def documents_for(transmissions) -> list[dict]:
    """The documents of an evaluated page from `transmissions_with_documents` (+1 query)."""
    transmissions = list(transmissions)
    ranks = ranks_of(transmissions)
    return [document(transmission, ranks) for transmission in transmissions]
