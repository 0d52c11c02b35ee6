"""Run the mutuelle simulator: a real HTTP receiver of our statement webhooks.

    python manage.py run_mutuelle_simulator --port 8025 --mutuelle 123456789 --register
    python manage.py run_mutuelle_simulator --secret whsec_… --mode fail --record var/sim.jsonl

Its behaviour can be changed while it runs:
    curl -X POST localhost:8025/_control -d '{"mode": "slow", "delay": 3}'
    curl localhost:8025/_received
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutuelles.models import Mutuelle, WebhookEndpoint
from mutuelles.services.clients import set_webhook
from mutuelles.simulator import DOWN, MODES, MutuelleSimulator


class Command(BaseCommand):
    help = "Starts a receiver of statement webhooks that checks signatures and deduplicates."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        secret = parser.add_mutually_exclusive_group(required=True)
        secret.add_argument("--secret", help="the webhook secret (whsec_…)")
        secret.add_argument(
            "--mutuelle", help="complementary-insurer number: use its webhook's secret"
        )
        parser.add_argument(
            "--register",
            action="store_true",
            help="with --mutuelle: point the mutuelle's webhook at this simulator",
        )
        parser.add_argument("--mode", choices=[m for m in MODES if m != DOWN], default="ok")
        parser.add_argument("--delay", type=float, help="seconds, for --mode slow or timeout")
        parser.add_argument("--record", help="append what is received to this JSON-lines file")

    def handle(self, *args, **options):
        simulator_url = f"http://{options['host']}:{options['port']}/webhooks/statements"
        secret = options["secret"]
        if options["mutuelle"]:
            mutuelle = Mutuelle.objects.filter(amc_number=options["mutuelle"]).first()
            if mutuelle is None:
                raise CommandError(_("Aucune mutuelle n'a ce numéro : %s") % options["mutuelle"])
            if options["register"]:
                set_webhook(mutuelle, simulator_url)
            endpoint = WebhookEndpoint.objects.filter(mutuelle=mutuelle).first()
            if endpoint is None:
                raise CommandError(
                    _("Cette mutuelle n'a pas d'adresse de réception (ajoutez --register).")
                )
            secret = endpoint.secret
        simulator = MutuelleSimulator(
            secret,
            options["host"],
            options["port"],
            mode=options["mode"],
            delay=options["delay"],
            record_path=options["record"],
            verbose=options["verbosity"] > 1,
        )
        self.stdout.write(
            f"Mutuelle simulator on {simulator_url} (mode {options['mode']}); "
            f"control: POST /_control, report: GET /_received. Ctrl-C to stop."
        )
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            pass
        self.stdout.write(str(simulator.received()))
