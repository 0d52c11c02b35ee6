"""Releasing: only confirmed links, only care before the contract's end, positions in order."""

import datetime

import pytest

from mutuelles.models import MutuelleContract, Transmission
from mutuelles.services import release
from mutuelles.services.release import release_transmissions
from tests.mutuelles.factories import member_of, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.reimbursements.factories import CARE_DATE, rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]


def test_a_confirmed_link_releases_its_transmissions_in_order():
    contract = member_of(MutuelleFactory())
    transmissions = paid_transmissions(contract, 3)
    assert release_transmissions() == 3
    for transmission in transmissions:
        transmission.refresh_from_db()
    positions = [t.feed_position for t in transmissions]
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert release_transmissions() == 0


def test_a_declared_contract_holds_its_transmissions_until_the_mutuelle_confirms():
    contract = member_of(MutuelleFactory(), status=MutuelleContract.Status.DECLARED)
    [transmission] = paid_transmissions(contract)
    assert release_transmissions() == 0
    contract.status = MutuelleContract.Status.CONFIRMED
    contract.save()
    assert release_transmissions() == 1
    transmission.refresh_from_db()
    assert transmission.feed_position is not None and transmission.released_at is not None


def test_care_after_the_end_of_the_contract_is_not_released():
    contract = member_of(MutuelleFactory())
    [transmission] = paid_transmissions(contract)
    contract.valid_until = CARE_DATE - datetime.timedelta(days=1)
    contract.valid_from = CARE_DATE - datetime.timedelta(days=30)
    contract.save()
    assert release_transmissions() == 0


def test_rows_waiting_for_their_link_never_hold_back_the_others(monkeypatch):
    monkeypatch.setattr(release, "WINDOW", 2)  # several windows with a handful of rows
    waiting = member_of(MutuelleFactory(), status=MutuelleContract.Status.DECLARED)
    confirmed = member_of(MutuelleFactory())
    held = paid_transmissions(waiting, 3)  # the oldest ids: whole windows with nothing to release
    ready = paid_transmissions(confirmed, 3)

    assert release_transmissions(limit=2) == 2
    assert release_transmissions(limit=2) == 1
    assert release_transmissions() == 0

    positions = {}
    for transmission in held + ready:
        transmission.refresh_from_db()
        positions[transmission.pk] = transmission.feed_position
    assert [positions[t.pk] for t in held] == [None, None, None]
    assert sorted(positions[t.pk] for t in ready) == [positions[t.pk] for t in ready]  # by id


def test_each_mutuelle_s_feed_counts_1_2_3_without_gaps_whatever_the_others_get():
    first, second = member_of(MutuelleFactory()), member_of(MutuelleFactory())
    paid_transmissions(first, 2)
    paid_transmissions(second, 1)
    assert release_transmissions() == 3
    paid_transmissions(second, 2)
    paid_transmissions(first, 1)
    assert release_transmissions() == 3

    def positions(contract):
        return list(
            Transmission.objects.filter(contract=contract)
            .order_by("pk")
            .values_list("feed_position", flat=True)
        )

    assert positions(first) == [1, 2, 3]
    assert positions(second) == [1, 2, 3]
