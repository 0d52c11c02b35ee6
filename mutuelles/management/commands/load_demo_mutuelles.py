import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from mutuelles.demo import DEFAULT_SIMULATOR_PORT, build_demo_mutuelles


class Command(BaseCommand):
    help = (
        "Create the mutuelle API demo of `make run` (after load_demo_reimbursements): the demo "
        "mutuelle's API client, with a new secret printed each time, and its webhook at the "
        "simulator (port $MUTUELLE_SIMULATOR_PORT, default 8025)."
    )

    def handle(self, *args, **options):
        port = int(os.environ.get("MUTUELLE_SIMULATOR_PORT") or DEFAULT_SIMULATOR_PORT)
        demo = build_demo_mutuelles(simulator_port=port)
        site = settings.SITE_URL.rstrip("/")
        client_id = demo.client.application.client_id
        token_url = site + reverse("api-v1:oauth-token")
        feed_url = f"{site}/api/v1/mutuelle/statements/"
        write = self.stdout.write
        write("")
        write("Mutuelle API demo (development only):")
        write(f"  {demo.mutuelle} (AMC number {demo.mutuelle.amc_number}), API client:")
        write(f"    client_id:     {client_id}")
        write(f"    client_secret: {demo.client_secret}   (new at each run, shown once)")
        write(f"    scopes:        {demo.client.scopes}")
        write("  get a token, then read the statement feed:")
        write(
            f"    TOKEN=$(curl -s -u '{client_id}:{demo.client_secret}' "
            f"-d grant_type=client_credentials {token_url} "
            """| python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"""
        )
        write(f'    curl -s -H "Authorization: Bearer $TOKEN" {feed_url}')
        write(f"  webhook: {demo.webhook.url}, signing secret {demo.webhook.secret}")
        write(
            f"  the simulator (started by make run) shows what it received: "
            f"http://127.0.0.1:{port}/_received"
        )
        states = ", ".join(f"{count} {status}" for status, count in sorted(demo.statements.items()))
        write(
            f"  statements of Camille Martin's file sent to the mutuelle ({states or 'none'}; "
            "pending ones are in the feed and pushed by the workers): "
            "see /mon-espace/remboursements/"
        )
        for contract in demo.awaiting_mutuelle:
            write(f"  awaiting the mutuelle's confirmation: {contract.person}'s declared contract")
        for contract in demo.awaiting_person:
            write(
                f"  awaiting the insured person: the mutuelle's subscription of {contract.person}"
            )
