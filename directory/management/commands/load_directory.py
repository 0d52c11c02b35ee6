from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from directory.loading import load_directory


class Command(BaseCommand):
    help = "Charge les caisses et les accueils de référence livrés dans directory/data/."

    def handle(self, *args, **options):
        counts = load_directory()
        self.stdout.write(
            _("Caisses — créées : %(created)d, modifiées : %(updated)d, inchangées : %(unchanged)d")
            % asdict(counts.funds)
        )
        self.stdout.write(
            _("Accueils — créés : %(created)d, modifiés : %(updated)d, inchangés : %(unchanged)d")
            % asdict(counts.offices)
        )
