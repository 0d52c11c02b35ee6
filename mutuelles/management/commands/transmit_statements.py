from django.core.management.base import BaseCommand

from mutuelles.delivery import sending
from mutuelles.tasks import transmit_statements


class Command(BaseCommand):
    help = (
        "Do now what the beat sweep does every minute: give back expired claims, release, batch "
        "and send what is due to the mutuelles' webhooks (make run calls it once the simulator "
        "listens). Without REDIS_URL the deliveries run in this process; with it, a worker of "
        "the 'webhooks' queue sends them."
    )

    def handle(self, *args, **options):
        given_back = sending.release_expired_claims()
        built = transmit_statements()
        self.stdout.write(
            f"{built} new message(s) built, due ones sent or queued; "
            f"{given_back} expired claim(s) given back."
        )
