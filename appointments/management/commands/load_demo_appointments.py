from django.core.management.base import BaseCommand
from django.utils import timezone

from affiliation.demo import INSURED_EMAIL
from appointments.demo import build_demo_appointments


class Command(BaseCommand):
    help = "Create the appointments demo data of `make run` (after load_demo_affiliation)."

    def handle(self, *args, **options):
        demo = build_demo_appointments(now=timezone.now())
        offices = sorted({service.office.city for service in demo.services})
        write = self.stdout.write
        write("")
        write("Appointments demo (development only):")
        write(f"  services with opening hours in {', '.join(offices)}")
        write(
            f"  {INSURED_EMAIL}: {len(demo.bookings)} booking(s): see /rendez-vous/ "
            "(staff: each service's agenda in the back office)"
        )
