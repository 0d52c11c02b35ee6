from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from affiliation.demo import AGENT_EMAIL, INSURED_EMAIL
from affiliation.models import InsuredPerson
from allowances.demo import build_demo_allowances


class Command(BaseCommand):
    help = "Create the daily-allowance demo data of `make run` (after load_demo_affiliation)."

    def handle(self, *args, **options):
        holder = InsuredPerson.objects.get(user__email=INSURED_EMAIL)
        agent = User.objects.get(email=AGENT_EMAIL)
        now = timezone.now()
        codes = build_demo_allowances(holder, agent, on=timezone.localdate(), now=now)
        write = self.stdout.write
        write("")
        write("Daily allowances demo (development only):")
        write(
            f"  {INSURED_EMAIL}: a paid and closed sick leave and a current one waiting for "
            "review: see /mon-espace/indemnites/ (staff: the review queue in the back office); "
            "simulator: /indemnites-journalieres/simulateur/"
        )
        for label, code in codes.items():
            write(f"  verification code ({label}): {code}, try it on /verifier/")
