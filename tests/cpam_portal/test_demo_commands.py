"""`make run`'s demo commands, in the order scripts/run.sh calls them: each domain shows data,
and running them all again adds nothing."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from allowances.models import WorkStoppage
from appointments.models import Booking
from directory.loading import load_directory
from reimbursements.models import CareSheet, Statement

pytestmark = pytest.mark.django_db

RUN_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run.sh"


def demo_commands() -> list[str]:
    return re.findall(r"^\$PY manage.py (load_demo\w*)$", RUN_SCRIPT.read_text(), re.MULTILINE)


def test_run_sh_loads_every_domains_demo():
    assert demo_commands() == [
        "load_demo",
        "load_demo_affiliation",
        "load_demo_contracts",
        "load_demo_reimbursements",
        "load_demo_allowances",
        "load_demo_appointments",
        "load_demo_mutuelles",
    ]


def test_the_demo_shows_each_domain_and_loads_once(capsys):
    load_directory()
    for command in demo_commands():
        call_command(command)
    output = capsys.readouterr().out
    assert "/mon-espace/remboursements/" in output
    assert "/mon-espace/indemnites/" in output and "/rendez-vous/" in output
    counts = (
        CareSheet.objects.count(),
        Statement.objects.count(),
        WorkStoppage.objects.count(),
        Booking.objects.count(),
    )
    assert all(counts)
    for command in demo_commands():
        call_command(command)
    assert (
        CareSheet.objects.count(),
        Statement.objects.count(),
        WorkStoppage.objects.count(),
        Booking.objects.count(),
    ) == counts
