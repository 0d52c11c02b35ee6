"""The demo requests of `make run`: one per step the agent meets, built once."""

import datetime

import pytest

from affiliation.demo_requests import build_demo_requests
from affiliation.models import AffiliationRequest
from tests.accounts.factories import StaffFactory
from tests.directory.factories import FundFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_student_in_review_a_researcher_asked_for_more_and_a_draft():
    for code in ("75", "69", "33"):
        FundFactory(department_code=code)
    agent = StaffFactory()
    built = build_demo_requests(agent, on=datetime.date(2026, 3, 2))
    assert [(r.situation, r.status) for r in built] == [
        ("student", "in_review"),
        ("talent", "info_requested"),
        ("employee", "draft"),
    ]
    student = built[0]
    assert student.documents.count() == 6 and student.reviewer == agent
    assert "signée" in built[1].info_request_message
    assert built[2].documents.count() == 2

    build_demo_requests(agent, on=datetime.date(2026, 3, 2))
    assert AffiliationRequest.objects.count() == 3
