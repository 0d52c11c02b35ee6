"""Helpers of the push-delivery tests: a mutuelle with a webhook, released transmissions, and
the real simulator listening with the webhook's secret."""

import contextlib
from unittest import mock

from mutuelles import receivers
from mutuelles.models import Transmission, WebhookEndpoint
from mutuelles.services.clients import set_webhook
from mutuelles.services.release import release_transmissions
from mutuelles.simulator import MutuelleSimulator
from tests.mutuelles.factories import member_of, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory

UNREACHABLE_URL = "http://127.0.0.1:9/webhooks/statements"  # discard port: nothing listens


def mutuelle_with_webhook(url: str = UNREACHABLE_URL):
    """(mutuelle, endpoint) — the endpoint active with a fresh secret."""
    mutuelle = MutuelleFactory()
    endpoint, _secret = set_webhook(mutuelle, url)
    return mutuelle, endpoint


def released_transmissions(mutuelle, count: int, *, members: int = 1) -> list[Transmission]:
    """`count` transmissions of `mutuelle`'s members (real pipeline in-process; needs the
    `rules_from_files` fixture or shipped rules), released to the feed."""
    contracts = [member_of(mutuelle) for _ in range(members)]
    # Without the push the pipeline's wake-up starts after its commit: in a transactional test it
    # would reach the webhook (eagerly, or through the test's worker) before the test has
    # started its receiver, and the test would begin with a failed attempt in backoff.
    with mock.patch.object(receivers, "enqueue", lambda task, *args: None):
        for index in range(count):
            paid_transmissions(contracts[index % members], 1)
    release_transmissions()
    return list(Transmission.objects.filter(mutuelle=mutuelle).order_by("feed_position"))


@contextlib.contextmanager
def simulator_for(endpoint: WebhookEndpoint, **options):
    """The real simulator with the endpoint's secret, the endpoint pointing at it."""
    with MutuelleSimulator(endpoint.secret, **options) as simulator:
        endpoint.url = simulator.url
        endpoint.save(update_fields=["url"])
        yield simulator


def public_ids(transmissions) -> set[str]:
    return {str(t.public_id) for t in transmissions}
