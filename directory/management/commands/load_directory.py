from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from directory.loading import load_directory


class Command(BaseCommand):
    help = "Charge les caisses et les accueils de référence livrés dans directory/data/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Remet aux valeurs des fichiers les lignes modifiées depuis (par les éditeurs).",
        )

    def handle(self, *args, overwrite: bool = False, **options):
        counts = load_directory(overwrite=overwrite)
        self.stdout.write(
            _(
                "Caisses — créées : %(created)d, modifiées : %(updated)d, "
                "inchangées : %(unchanged)d, conservées : %(kept)d"
            )
            % asdict(counts.funds)
        )
        self.stdout.write(
            _(
                "Accueils — créés : %(created)d, modifiés : %(updated)d, "
                "inchangés : %(unchanged)d, conservés : %(kept)d"
            )
            % asdict(counts.offices)
        )
