"""`make run`'s affiliation demo: built on the real directory, and linkable as printed."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from affiliation.models import AffiliationRequest, CSSApplication, InsuredPerson, IssuedDocument
from affiliation.rules.documents import normalise_code
from affiliation.services.account import link_account
from affiliation.services.documents import verify_code
from directory.loading import load_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output(capsys):
    load_directory()
    call_command("load_demo")
    call_command("load_demo_affiliation")
    return capsys.readouterr().out


def test_the_demo_insured_person_has_a_full_file(demo_output):
    holder = InsuredPerson.objects.get(user__email="assure@demo.cpam.local")
    assert holder.file_entries.count() == 4
    assert IssuedDocument.objects.filter(holder=holder).exists()
    assert CSSApplication.objects.filter(holder=holder).count() == 1
    assert AffiliationRequest.objects.count() == 3


def test_running_it_again_adds_nothing(demo_output):
    counts = (InsuredPerson.objects.count(), IssuedDocument.objects.count())
    call_command("load_demo_affiliation")
    assert (InsuredPerson.objects.count(), IssuedDocument.objects.count()) == counts


def test_the_printed_codes_work(demo_output):
    nir, code = re.search(r"with NIR (\w+), .* activation code ([\w-]+)", demo_output).groups()
    newcomer = InsuredPerson.objects.get(nir=nir)
    user = User.objects.get(email="nouveau@demo.cpam.local")
    linked = link_account(
        user, nir=nir, birth_date=newcomer.birth_date, code=code, now=timezone.now()
    )
    assert linked == newcomer
    printed = re.search(r"verification code \(attestation valable \(fr\)\): ([\w-]+)", demo_output)
    verification = verify_code(normalise_code(printed.group(1)), on=timezone.localdate())
    assert verification.is_genuine and verification.holder_initials == "C. M."
