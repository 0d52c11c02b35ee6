"""Tracing what each mutuelle client read (CNIL délibération 2021-122; see
docs/reliability.md#traces-of-reads)."""

from django_guid import get_guid

from mutuelles.models import ClientAccessLog


def log_client_read(
    client, action: str, *, records: int, insured_person_id: int | None = None, detail: str = ""
) -> ClientAccessLog:
    """One row per API request that returned personal data (`records` = how many items)."""
    return ClientAccessLog.objects.create(
        client=client,
        action=action,
        records=records,
        insured_person_id=insured_person_id,
        detail=detail[:200],
        request_id=get_guid() or "",
    )
