"""Demo data of affiliation for `make run`, built on the demo people of accounts.demo.

Development only: each area's builder refuses production settings. Running it again changes
nothing, except that the newcomer's activation code is issued anew (only its hash is stored,
so the code can be printed only when it is issued).
"""

from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from affiliation.demo_account import build_demo_account
from affiliation.demo_requests import DEMO_PASSWORD as APPLICANT_PASSWORD
from affiliation.demo_requests import build_demo_requests
from affiliation.models import InsuredPerson, IssuedDocument
from affiliation.rules.nir import NumberKind, control_key
from affiliation.services.account import issue_activation_code
from affiliation.services.css import build_demo_css
from affiliation.services.documents import build_demo_documents
from affiliation.services.records import Address, Identity, create_insured_file

INSURED_EMAIL = "assure@demo.cpam.local"
AGENT_EMAIL = "agent@demo.cpam.local"
NEWCOMER_EMAIL = "nouveau@demo.cpam.local"
NEWCOMER_PASSWORD = "Demo-nouveau-2026"  # noqa: S105 (development demo, printed)
NEWCOMER_BIRTH_DATE = date(1992, 6, 18)


@dataclass
class DemoAffiliation:
    holder: InsuredPerson
    requests: list = field(default_factory=list)
    verification_codes: dict[str, str] = field(default_factory=dict)
    newcomer_nir: str = ""
    newcomer_code: str = ""


def _newcomer_file() -> InsuredPerson:
    """A file in Lyon whose holder has an account but has not linked it yet."""
    first_13 = f"1{NEWCOMER_BIRTH_DATE.year % 100:02d}{NEWCOMER_BIRTH_DATE.month:02d}69123045"
    nir = f"{first_13}{control_key(first_13):02d}"
    person = InsuredPerson.objects.filter(nir=nir).first()
    if person is None:
        person = create_insured_file(
            number=nir,
            number_kind=NumberKind.NIR,
            identity=Identity(
                last_name="Bernard", first_names="Noé", sex="1", birth_date=NEWCOMER_BIRTH_DATE
            ),
            address=Address(line_1="3 quai Saint-Vincent", postcode="69001", city="LYON"),
            coverage_basis="employment",
            rights_from=date(2016, 9, 1),
            email=NEWCOMER_EMAIL,
        )
    user, created = User.objects.get_or_create(
        email=NEWCOMER_EMAIL, defaults={"first_name": "Noé", "last_name": "Bernard"}
    )
    if created:
        user.set_password(NEWCOMER_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=NEWCOMER_EMAIL, defaults={"verified": True, "primary": True}
    )
    return person


@transaction.atomic
def load_demo_affiliation() -> DemoAffiliation:
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    today, now = timezone.localdate(), timezone.now()
    insured_user = User.objects.get(email=INSURED_EMAIL)
    agent = User.objects.get(email=AGENT_EMAIL)
    is_first_run = not InsuredPerson.objects.filter(user=insured_user).exists()
    holder = build_demo_account(insured_user, on=today)
    demo = DemoAffiliation(holder=holder)
    if is_first_run or not IssuedDocument.objects.filter(holder=holder).exists():
        demo.verification_codes = build_demo_documents(holder, on=today, now=now)
    build_demo_css(holder, on=today)
    demo.requests = build_demo_requests(agent, on=today)
    newcomer = _newcomer_file()
    if newcomer.user_id is None:
        demo.newcomer_nir = newcomer.nir
        demo.newcomer_code = issue_activation_code(newcomer, issued_by=agent, now=now)
    return demo


__all__ = ["APPLICANT_PASSWORD", "NEWCOMER_PASSWORD", "load_demo_affiliation"]
