"""The pure rules of the insured person's space, without a database."""

from datetime import UTC, date, datetime, timedelta

from affiliation.rules import account as rules


def test_the_attending_doctor_is_declared_from_the_sixteenth_birthday():
    born = date(2010, 2, 28)
    assert not rules.may_declare_attending_doctor(born, on=date(2026, 2, 27))
    assert rules.may_declare_attending_doctor(born, on=date(2026, 2, 28))


def test_a_person_born_on_29_february_turns_sixteen_on_1_march():
    assert rules.age_on(date(2008, 2, 29), on=date(2024, 2, 28)) == 15
    assert rules.age_on(date(2008, 2, 29), on=date(2024, 2, 29)) == 16
    assert rules.age_on(date(2008, 2, 29), on=date(2025, 2, 28)) == 16


def test_the_fifth_failure_in_a_row_locks_linking_for_an_hour():
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    attempts = rules.LinkingAttempts(failures=0, locked_until=None)
    for _ in range(4):
        attempts = rules.after_linking_failure(attempts, now)
        assert not rules.is_linking_locked(attempts, now)
    attempts = rules.after_linking_failure(attempts, now)
    assert attempts == rules.LinkingAttempts(0, now + timedelta(hours=1))
    assert rules.is_linking_locked(attempts, now + timedelta(minutes=59))
    assert not rules.is_linking_locked(attempts, now + timedelta(hours=1))


def test_activation_codes_are_random_readable_and_normalised_back():
    code = rules.new_activation_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set(rules.ACTIVATION_ALPHABET)
    assert rules.new_activation_code() != code
    assert rules.normalise_activation_code(f" {code.lower()} ") == code.replace("-", "")


def test_an_activation_code_is_usable_until_it_expires_or_is_used():
    issued = datetime(2026, 1, 1, tzinfo=UTC)
    expires = rules.activation_code_expiry(issued)
    assert expires == issued + timedelta(days=30)
    usable = rules.is_activation_code_usable
    assert usable(expires_at=expires, used_at=None, now=expires - timedelta(seconds=1))
    assert not usable(expires_at=expires, used_at=None, now=expires)
    assert not usable(expires_at=expires, used_at=issued, now=issued)


def test_masks_keep_what_the_person_recognises():
    assert rules.masked_nir("285017511200234") == "2 85 01 •• ••• 002 34"
    assert rules.masked_iban("FR7630006000011234567890189") == "FR76 •••• •••• 0189"


def test_a_move_is_declared_once_it_happened_and_within_a_year():
    today = date(2026, 6, 15)
    assert rules.move_date_error(today, today) is None
    assert rules.move_date_error(today + timedelta(days=1), today) == rules.MoveDateError.FUTURE
    assert rules.move_date_error(today - timedelta(days=365), today) is None
    assert rules.move_date_error(today - timedelta(days=366), today) == rules.MoveDateError.TOO_OLD
