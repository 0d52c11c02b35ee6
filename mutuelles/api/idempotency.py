"""`Idempotency-Key` on the mutuelle API's POSTs: the first answer is stored and replayed.

IETF draft-ietf-httpapi-idempotency-key-header (-07): a client that retries a POST (a timeout,
a lost answer) sends the same key, and must not do the work twice. The key's row is inserted in
the transaction of the work itself (the unique constraint is the claim:
docs/reliability.md#idempotency-keys), so:
- the first request inserts the row, does the work and stores its answer, all or nothing;
- a concurrent request with the same key waits on the unique index until the first commits,
  then finds the row and replays the stored answer (or does the work if the first rolled back);
- the same key with another method, path or body is refused with 409, nothing done.
Answers with a server error are not stored (the transaction rolls back), nor refusals raised as
exceptions (they changed nothing, and the retry gets the same refusal).
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from mutuelles.api.errors import problem
from mutuelles.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def request_fingerprint(request) -> str:
    """Method, path and the parsed body (key order and spacing do not matter)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    raw = f"{request.method} {request.path}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def run_once(request, client, work) -> Response:
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic():
            return work()
    if not key or len(key) > MAX_KEY_LENGTH:
        return problem(
            "invalid-idempotency-key",
            _("Clé d'idempotence invalide"),
            _("L'en-tête Idempotency-Key doit compter de 1 à 255 caractères."),
            400,
        )
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            # Another request with this key committed first (we waited for it on the index).
            record = IdempotencyRecord.objects.get(client=client, key=key)
            return _replay(record, fingerprint)
        response = work()
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.response_body = response.data
        record.save(update_fields=["status_code", "response_body"])
        return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        return problem(
            "idempotency-key-reused",
            _("Clé d'idempotence déjà utilisée"),
            _("Cette clé a déjà servi pour une autre requête : utilisez une nouvelle clé."),
            409,
        )
    response = Response(record.response_body, status=record.status_code)
    if record.response_body is not None and record.status_code >= 400:
        response.content_type = "application/problem+json"
    response[REPLAY_HEADER] = "true"
    return response
