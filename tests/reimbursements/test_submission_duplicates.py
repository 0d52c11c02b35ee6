"""A care sheet sent again is recognised: same idempotency key, or the same sheet's content."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from reimbursements.models import CareSheet
from reimbursements.rejections import RejectionCode
from reimbursements.services.submission import (
    DuplicateCareSheet,
    IdempotencyKeyReused,
    LineInput,
    release_for_processing,
    submit_care_sheet,
)
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.reimbursements.factories import (
    TODAY,
    gp_line,
    rpps,
    rules_from_files,  # noqa: F401
    sheet_input,
)

pytestmark = pytest.mark.usefixtures("rules_from_files")


def holder_with_account():
    person = InsuredPersonFactory()
    person.user = UserFactory()
    person.save()
    return person


def submit(sheet, user, key="", **kwargs):
    return submit_care_sheet(
        sheet, channel="online", submitted_by=user, on=TODAY, idempotency_key=key, **kwargs
    )


@pytest.mark.django_db
def test_the_same_key_replays_the_first_sheet():
    holder = holder_with_account()
    first = submit(sheet_input(holder), holder.user, key="k-1")
    again = submit(sheet_input(holder), holder.user, key="k-1")

    assert again.is_replay
    assert again.care_sheet == first.care_sheet
    assert CareSheet.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_other_content_is_an_error():
    holder = holder_with_account()
    submit(sheet_input(holder), holder.user, key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        submit(sheet_input(holder, gp_line("35.00")), holder.user, key="k-1")
    assert CareSheet.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_account():
    one, other = holder_with_account(), holder_with_account()
    submit(sheet_input(one), one.user, key="same")
    assert not submit(sheet_input(other), other.user, key="same").is_replay
    assert CareSheet.objects.count() == 2


@pytest.mark.django_db
def test_the_same_sheet_without_the_key_is_a_duplicate():
    holder = holder_with_account()
    first = submit(sheet_input(holder, gp_line("30.00"), gp_line("25.00")), holder.user)
    # Same lines in another order, the RPPS written as idNatPS: still the same sheet.
    resent = sheet_input(
        holder, gp_line("25.00"), gp_line("30.00"), professional_number="8" + rpps(1)
    )
    with pytest.raises(DuplicateCareSheet) as caught:
        submit(resent, holder.user)
    assert caught.value.existing == first.care_sheet
    assert [error.code for error in caught.value.errors] == [RejectionCode.DUPLICATE]
    assert CareSheet.objects.count() == 1


@pytest.mark.django_db
def test_staff_keying_a_sheet_the_person_sent_online_hit_the_duplicate_rule():
    holder = holder_with_account()
    submit(sheet_input(holder), holder.user)
    with pytest.raises(DuplicateCareSheet):
        submit_care_sheet(
            sheet_input(holder), channel="staff", submitted_by=StaffFactory(), on=TODAY
        )


@pytest.mark.django_db
def test_a_different_line_is_a_different_sheet():
    holder = holder_with_account()
    submit(sheet_input(holder), holder.user)
    other = LineInput("G", Decimal(1), Decimal("30.00"), base=Decimal("30.00"))
    submit(sheet_input(holder, other), holder.user)
    assert CareSheet.objects.count() == 2


@pytest.mark.django_db
def test_a_rejected_sheet_may_be_sent_again():
    holder = holder_with_account()
    first = submit(sheet_input(holder), holder.user).care_sheet
    CareSheet.objects.filter(pk=first.pk).update(
        status=CareSheet.Status.REJECTED, rejection_code=RejectionCode.NOT_COVERED
    )
    assert submit(sheet_input(holder), holder.user).care_sheet != first


@pytest.mark.django_db
def test_a_sheet_held_for_review_is_released_to_the_pipeline():
    holder = holder_with_account()
    staff = StaffFactory()
    sheet = submit_care_sheet(
        sheet_input(holder), channel="staff", submitted_by=staff, on=TODAY, hold_for_review=True
    ).care_sheet
    assert sheet.status == CareSheet.Status.IN_REVIEW
    assert release_for_processing(sheet.pk, staff=staff).status == CareSheet.Status.RECEIVED


def concurrently(count: int, action) -> list:
    """Run `action` in `count` threads released together; each gets its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # collected, checked by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_with_one_key_makes_one_sheet():
    holder = holder_with_account()
    results = concurrently(6, lambda: submit(sheet_input(holder), holder.user, key="click"))

    assert {type(result) for result in results} == {type(results[0])}, results
    assert len({result.care_sheet.pk for result in results}) == 1
    assert sorted(result.is_replay for result in results) == [False] + [True] * 5
    assert CareSheet.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_sheet_sent_at_once_from_two_places_is_kept_once():
    holder = holder_with_account()
    results = concurrently(6, lambda: submit(sheet_input(holder), holder.user))

    kept = [result for result in results if not isinstance(result, Exception)]
    assert len(kept) == 1, results
    assert all(isinstance(result, DuplicateCareSheet) for result in results if result not in kept)
    assert CareSheet.objects.count() == 1
