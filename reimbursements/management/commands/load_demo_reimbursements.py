from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from affiliation.demo import AGENT_EMAIL, INSURED_EMAIL
from affiliation.models import InsuredPerson
from reimbursements.demo import build_demo_reimbursements
from reimbursements.models import CareSheet


class Command(BaseCommand):
    help = "Create the reimbursement demo data of `make run` (after load_demo_affiliation)."

    def handle(self, *args, **options):
        holder = InsuredPerson.objects.get(user__email=INSURED_EMAIL)
        agent = User.objects.get(email=AGENT_EMAIL)
        built = build_demo_reimbursements(holder, on=timezone.localdate(), agent=agent)
        # Read back: the pipeline has moved them on since they were built.
        sheets = CareSheet.objects.filter(pk__in=[sheet.pk for sheet in built]).order_by("pk")
        by_status = {}
        for sheet in sheets:
            label = sheet.get_status_display()
            by_status[label] = by_status.get(label, 0) + 1
        summary = ", ".join(f"{count} {label}" for label, count in by_status.items())
        write = self.stdout.write
        write("")
        write("Reimbursements demo (development only):")
        write(
            f"  {INSURED_EMAIL}: care sheets ({summary}): see /mon-espace/remboursements/; "
            "staff: the care-sheet review queue in the back office; "
            "public simulator: /simulateur-remboursement/"
        )
