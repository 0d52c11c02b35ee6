"""What a mutuelle reads: its released transmissions as statement documents, and their totals.

The feed holds the transmissions released to the mutuelle (`feed_position` set: both halves of
the link agreed, care before the contract's end), in position order, whatever happened to them
since (sent, acknowledged, rejected, dead): the feed is what was made available, for good.

The reconciliation totals count per *release day*: the day, in Europe/Paris, the statement
entered the feed (`released_at`, given once at release). Not the payment date: a statement paid
on day D may be released weeks later, when the mutuelle confirms the member's contract, and would
change a day the mutuelle already closed. By release day, a day's totals never change once the
day is over, and each document carries its `released_on` so the mutuelle recomputes them.
"""

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate

from cpam_portal.money import ZERO, api_amount
from mutuelles.models import Mutuelle, Transmission
from mutuelles.statement_format import (
    ADJUSTMENT_FIELDS,
    FEED_TIMEZONE,
    LINE_AMOUNTS,
    documents_for,
    transmissions_with_documents,
)

MAX_TOTALS_DAYS = 92  # a quarter: the longest range one request sums


def released_to(mutuelle: Mutuelle) -> QuerySet[Transmission]:
    """The transmissions in `mutuelle`'s feed (scoped first: nothing of another mutuelle)."""
    return Transmission.objects.filter(mutuelle=mutuelle, feed_position__isnull=False)


def feed_page(mutuelle: Mutuelle, *, after: int, size: int) -> tuple[list[dict], bool]:
    """(documents of the `size` first positions after `after`, whether more follow).

    One query for the page (one row more than asked tells whether more follow), one for the
    lines, one for the ranks: the same three whatever `size`.
    """
    rows = list(
        transmissions_with_documents(
            released_to(mutuelle).filter(feed_position__gt=after)
        ).order_by("feed_position")[: size + 1]
    )
    has_more = len(rows) > size
    return documents_for(rows[:size]), has_more


def as_public_id(value: str) -> uuid.UUID | None:
    """The UUID a statement id stands for, or None when it is not one."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def released_document(mutuelle: Mutuelle, public_id: str) -> tuple[dict, Transmission] | None:
    """The document of one released transmission of `mutuelle`, or None (unknown to it, or
    `public_id` is not a UUID)."""
    public_uuid = as_public_id(public_id)
    if public_uuid is None:
        return None
    rows = list(transmissions_with_documents(released_to(mutuelle).filter(public_id=public_uuid)))
    if not rows:
        return None
    return documents_for(rows)[0], rows[0]


def day_bounds(
    first_day: datetime.date, last_day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) instants of the Paris days `first_day`..`last_day` (DST-proof)."""
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=FEED_TIMEZONE)
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=FEED_TIMEZONE
    )
    return start, end


def daily_totals(
    mutuelle: Mutuelle,
    first_day: datetime.date,
    last_day: datetime.date,
    *,
    now: datetime.datetime,
) -> list[dict]:
    """Per release day of `first_day`..`last_day` (every day, zeros included): how many
    statements and lines, the sum of each money field of the lines and of each adjustment code.

    One SQL query grouped by day. `complete` says whether the day is over in Paris (its totals
    will not change any more).
    """
    start, end = day_bounds(first_day, last_day)
    sums = {field: Sum(f"statement__lines__{field}") for field in LINE_AMOUNTS}
    adjustment_sums = {
        f"adjustment__{code}": Sum(f"statement__lines__{field}")
        for code, field in ADJUSTMENT_FIELDS
    }
    rows = (
        released_to(mutuelle)
        .filter(released_at__gte=start, released_at__lt=end)
        .annotate(day=TruncDate("released_at", tzinfo=FEED_TIMEZONE))
        .values("day")
        .annotate(
            statement_count=Count("pk", distinct=True),
            line_count=Count("statement__lines"),
            **sums,
            **adjustment_sums,
        )
        .order_by("day")
    )
    # The stubs type a row by the keys they can see; the sums' keys are built above, so a row
    # is read as what it is at run time: named values of several types (date, int, Decimal).
    by_day: dict[datetime.date, Mapping[str, Any]] = {row["day"]: row for row in rows}
    today = now.astimezone(FEED_TIMEZONE).date()
    days = []
    day = first_day
    while day <= last_day:
        row = by_day.get(day, {})
        days.append(
            {
                "date": day.isoformat(),
                "complete": day < today,
                "statements": row.get("statement_count", 0),
                "lines": row.get("line_count", 0),
                "amounts": {field: api_amount(row.get(field) or ZERO) for field in LINE_AMOUNTS},
                "adjustments": {
                    code: api_amount(row.get(f"adjustment__{code}") or ZERO)
                    for code, _field in ADJUSTMENT_FIELDS
                },
            }
        )
        day += datetime.timedelta(days=1)
    return days
