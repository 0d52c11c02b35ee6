"""The back office of daily allowances: review queues for stoppages and salary attestations."""

from allowances.admin import salaries, stoppages  # noqa: F401
