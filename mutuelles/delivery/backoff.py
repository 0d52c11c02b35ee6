"""When to try a failed delivery again: exponential backoff with equal jitter, bounded.

After the n-th failed attempt the next one waits between half and all of
min(CAP, BASE × 2^(n-1)): 30 s, 1 min, 2 min … 1 h. Equal jitter (rather than full jitter)
keeps a floor, so a receiver that is down is not hammered by a retry drawn at 0 s, while
senders that failed together still spread out. After MAX_ATTEMPTS the message is dead: staff
see it in the delivery log and resend it.
"""

import random
from datetime import timedelta

BASE_SECONDS = 30.0
CAP_SECONDS = 3600.0
# 10 attempts span about 2 to 3 hours (30 s … 1 h): an outage of an afternoon is absorbed;
# a longer one ends in the dead-letter state and a resend from the admin.
MAX_ATTEMPTS = 10


def backoff_bound(failed_attempts: int) -> float:
    """The longest wait after `failed_attempts` failures (seconds)."""
    exponent = max(failed_attempts - 1, 0)
    return min(CAP_SECONDS, BASE_SECONDS * 2 ** min(exponent, 32))


def retry_delay(failed_attempts: int, *, rng: random.Random | None = None) -> timedelta:
    bound = backoff_bound(failed_attempts)
    draw = (rng or random).uniform(0, bound / 2)
    return timedelta(seconds=bound / 2 + draw)
