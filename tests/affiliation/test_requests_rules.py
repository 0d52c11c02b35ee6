"""The pure rules of affiliation requests: workflow, checklists, estimate, NIA order."""

from datetime import date, timedelta
from itertools import product

import pytest

from affiliation.rules import requests as rules
from affiliation.rules.requests import (
    Actor,
    Condition,
    DocumentKind,
    ServiceLevel,
    Situation,
    Status,
    TransitionError,
    TransitionRefused,
)
from cpam_portal.public_holidays import public_holidays

ALLOWED = [
    (Status.DRAFT, Status.SUBMITTED, Actor.APPLICANT),
    (Status.SUBMITTED, Status.IN_REVIEW, Actor.STAFF),
    (Status.IN_REVIEW, Status.INFO_REQUESTED, Actor.STAFF),
    (Status.INFO_REQUESTED, Status.COMPLETED, Actor.APPLICANT),
    (Status.COMPLETED, Status.IN_REVIEW, Actor.STAFF),
    (Status.IN_REVIEW, Status.ACCEPTED, Actor.STAFF),
    (Status.IN_REVIEW, Status.REFUSED, Actor.STAFF),
    (Status.INFO_REQUESTED, Status.REFUSED, Actor.STAFF),
]
OTHER = {Actor.APPLICANT: Actor.STAFF, Actor.STAFF: Actor.APPLICANT}


@pytest.mark.parametrize(("current", "target", "actor"), ALLOWED)
def test_each_allowed_transition_passes_for_its_actor_only(current, target, actor):
    rules.check_transition(current, target, actor, message="Pièce manquante : RIB")
    with pytest.raises(TransitionRefused) as caught:
        rules.check_transition(current, target, OTHER[actor], message="x")
    assert caught.value.reason == TransitionError.WRONG_ACTOR


FORBIDDEN = [
    (current, target)
    for current, target in product(Status, Status)
    if (current, target) not in {(c, t) for c, t, _ in ALLOWED}
]


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_other_transition_is_refused_to_everyone(current, target):
    for actor in Actor:
        with pytest.raises(TransitionRefused) as caught:
            rules.check_transition(current, target, actor, message="x")
        assert caught.value.reason == TransitionError.NOT_ALLOWED


def test_a_decision_is_final():
    for decided in (Status.ACCEPTED, Status.REFUSED):
        assert rules.allowed_targets(decided, Actor.STAFF) == []
        assert rules.allowed_targets(decided, Actor.APPLICANT) == []


def test_accepting_needs_a_request_in_review():
    assert Status.ACCEPTED not in rules.allowed_targets(Status.SUBMITTED, Actor.STAFF)
    assert Status.ACCEPTED not in rules.allowed_targets(Status.COMPLETED, Actor.STAFF)
    assert Status.ACCEPTED not in rules.allowed_targets(Status.INFO_REQUESTED, Actor.STAFF)


@pytest.mark.parametrize(
    ("current", "target"),
    [(Status.IN_REVIEW, Status.REFUSED), (Status.IN_REVIEW, Status.INFO_REQUESTED)],
)
@pytest.mark.parametrize("message", ["", "   \n"])
def test_a_refusal_or_a_request_for_information_needs_a_message(current, target, message):
    with pytest.raises(TransitionRefused) as caught:
        rules.check_transition(current, target, Actor.STAFF, message=message)
    assert caught.value.reason == TransitionError.MESSAGE_REQUIRED


# --- Checklists ---------------------------------------------------------------------------------


def kinds(items):
    return {item.kind for item in items if item.is_required}


def test_a_foreign_student_born_abroad_needs_the_six_documents_of_the_s1106_notice():
    items = rules.applicable_checklist(
        Situation.STUDENT, is_born_abroad=True, needs_residence_permit=True
    )
    assert kinds(items) == {
        DocumentKind.IDENTITY,
        DocumentKind.RESIDENCE_PERMIT,
        DocumentKind.BIRTH_CERTIFICATE,
        DocumentKind.PROOF_OF_ADDRESS,
        DocumentKind.BANK_DETAILS,
        DocumentKind.ENROLMENT_CERTIFICATE,
    }


def test_a_french_employee_born_in_france_needs_no_permit_nor_birth_certificate():
    items = rules.applicable_checklist(
        Situation.EMPLOYEE, is_born_abroad=False, needs_residence_permit=False
    )
    assert kinds(items) == {
        DocumentKind.IDENTITY,
        DocumentKind.PROOF_OF_ADDRESS,
        DocumentKind.BANK_DETAILS,
        DocumentKind.EMPLOYMENT_PROOF,
    }


def test_an_eu_researcher_born_abroad_needs_a_birth_certificate_but_no_permit():
    items = rules.applicable_checklist(
        Situation.TALENT, is_born_abroad=True, needs_residence_permit=False
    )
    assert DocumentKind.BIRTH_CERTIFICATE in kinds(items)
    assert DocumentKind.RESIDENCE_PERMIT not in kinds(items)
    assert DocumentKind.HOSTING_AGREEMENT in kinds(items)
    assert DocumentKind.EMPLOYMENT_PROOF not in kinds(items)  # optional for them


@pytest.mark.parametrize(
    ("situation", "proof"),
    [
        (Situation.EMPLOYEE, DocumentKind.EMPLOYMENT_PROOF),
        (Situation.STUDENT, DocumentKind.ENROLMENT_CERTIFICATE),
        (Situation.TALENT, DocumentKind.HOSTING_AGREEMENT),
        (Situation.UNEMPLOYED, DocumentKind.UNEMPLOYMENT_PROOF),
        (Situation.RETIREE, DocumentKind.PENSION_PROOF),
        (Situation.DEPENDANT, DocumentKind.FAMILY_LINK),
    ],
)
def test_each_situation_requires_its_own_proof(situation, proof):
    items = rules.checklist(situation)
    assert proof in kinds(items)
    assert DocumentKind.IDENTITY in kinds(items)
    assert (DocumentKind.OTHER, False) in {(i.kind, i.is_required) for i in items}


def test_a_dependant_needs_no_bank_details_of_their_own():
    assert DocumentKind.BANK_DETAILS not in kinds(rules.checklist(Situation.DEPENDANT))


def test_the_full_checklist_shows_the_conditional_documents_with_their_condition():
    conditions = {item.kind: item.condition for item in rules.checklist(Situation.STUDENT)}
    assert conditions[DocumentKind.RESIDENCE_PERMIT] == Condition.NEEDS_RESIDENCE_PERMIT
    assert conditions[DocumentKind.BIRTH_CERTIFICATE] == Condition.BORN_ABROAD


def test_missing_documents_lists_required_kinds_not_provided_in_checklist_order():
    items = rules.applicable_checklist(
        Situation.STUDENT, is_born_abroad=True, needs_residence_permit=True
    )
    provided = ["identity", "bank_details", "other"]
    assert rules.missing_documents(items, provided) == [
        DocumentKind.RESIDENCE_PERMIT,
        DocumentKind.BIRTH_CERTIFICATE,
        DocumentKind.PROOF_OF_ADDRESS,
        DocumentKind.ENROLMENT_CERTIFICATE,
    ]


# --- Estimated decision date --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter_monday_is_a_holiday(year, easter):
    assert public_holidays(None, [year])[easter + timedelta(days=1)] == "Lundi de Pâques"


def test_the_2026_public_holidays():
    holidays = public_holidays(None, [2026])
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays.keys()


def test_15_working_days_from_a_monday_without_holidays_is_three_weeks_later():
    assert rules.estimated_decision_on(date(2026, 3, 2)) == date(2026, 3, 23)


def test_weekends_and_public_holidays_are_not_counted():
    # Sent Thursday 2026-04-30: 1 May (Fri), 8 May (Fri), 14 May (Ascension) and 25 May (Whit
    # Monday) are skipped with the weekends: May 4-7, 11-13, 15, 18-22, 26, 27 make 15 days.
    assert rules.estimated_decision_on(date(2026, 4, 30)) == date(2026, 5, 27)


def test_a_request_sent_on_a_saturday_counts_from_the_next_working_day():
    assert rules.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_the_service_level_in_force_on_the_day_applies():
    levels = [ServiceLevel(date(2026, 1, 1), 15), ServiceLevel(date(2026, 6, 1), 10)]
    assert rules.service_level_on(levels, date(2026, 5, 31)).working_days == 15
    assert rules.service_level_on(levels, date(2026, 6, 1)).working_days == 10
    assert rules.estimated_decision_on(date(2026, 6, 1), levels) == date(2026, 6, 15)


# --- NIA order ----------------------------------------------------------------------------------


def test_the_smallest_free_order_fills_gaps():
    assert rules.smallest_free_order([]) == 1
    assert rules.smallest_free_order([1, 2, 4]) == 3
    assert rules.smallest_free_order(range(1, 999)) == 999
    with pytest.raises(rules.NoFreeOrder):
        rules.smallest_free_order(range(1, 1000))
