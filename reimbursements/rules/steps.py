"""Explanation steps as the engine builds them (their sentences: `reimbursements.explanations`)."""

from __future__ import annotations

from reimbursements.rules.types import ExplanationStep

Params = tuple[tuple[str, str], ...]


def line_step(rule: str, value: object, params: Params = ()) -> ExplanationStep:
    """A step about the line itself (its own base): no parameter, no date."""
    return ExplanationStep(rule, str(value), None, "", params)


def step_like(
    step: ExplanationStep, rule: str, value: str | None = None, params: Params = ()
) -> ExplanationStep:
    """A step of `rule` that follows from the parameter of `step` (same date and source)."""
    return ExplanationStep(
        rule, step.value if value is None else value, step.effective_from, step.source, params
    )
