from django.core.management.base import BaseCommand
from django.utils import timezone

from mutuelles.demo import declare_demo_contracts


class Command(BaseCommand):
    help = (
        "Declare the demo family's complementary contracts for `make run` (after "
        "load_demo_affiliation, before load_demo_reimbursements: their statements are then "
        "routed to their mutuelle)."
    )

    def handle(self, *args, **options):
        contracts = declare_demo_contracts(on=timezone.localdate())
        self.stdout.write("")
        self.stdout.write(
            f"Complementary contracts of the demo family: {len(contracts)} "
            "(one conflict to resolve): see /mon-espace/complementaire/"
        )
