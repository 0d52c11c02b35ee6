from django.core.management.base import BaseCommand

from affiliation.demo import (
    APPLICANT_PASSWORD,
    NEWCOMER_BIRTH_DATE,
    NEWCOMER_EMAIL,
    NEWCOMER_PASSWORD,
    load_demo_affiliation,
)


class Command(BaseCommand):
    help = "Create the affiliation demo data of `make run` (after load_directory and load_demo)."

    def handle(self, *args, **options):
        demo = load_demo_affiliation()
        write = self.stdout.write
        write("")
        write("Affiliation demo (development only):")
        write(
            f"  {demo.holder.email}: file of {demo.holder} linked, with 3 beneficiaries, "
            "a médecin traitant, bank details and a pending CSS application: see /mon-espace/"
        )
        for request in demo.requests:
            write(
                f"  affiliation request {request.reference} ({request.get_status_display()}) "
                f"by {request.applicant.email}, password: {APPLICANT_PASSWORD}"
            )
        if demo.newcomer_code:
            write(
                f"  to try account linking: log in as {NEWCOMER_EMAIL} (password: "
                f"{NEWCOMER_PASSWORD}), then /mon-espace/relier-mon-dossier/ with NIR "
                f"{demo.newcomer_nir}, birth date {NEWCOMER_BIRTH_DATE:%d/%m/%Y} and activation "
                f"code {demo.newcomer_code}"
            )
        for label, code in demo.verification_codes.items():
            write(f"  verification code ({label}): {code}, try it on /verifier/")
