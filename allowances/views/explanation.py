"""The engine's explanation in the reader's language (texts owned by allowances.explanations)."""

from allowances.models import WorkStoppage
from allowances.services.computation import explanation_of


def explanation_lines(stoppage: WorkStoppage) -> list[dict]:
    """One line per rule applied: its text, the source and the date of the figure it used."""
    try:
        from allowances.explanations import step_text
    except ImportError:  # pragma: no cover - until the engine's texts land
        step_text = None
    return [
        {
            "text": step_text(step) if step_text else f"{step.rule}: {step.value}",
            "source": step.source,
            "effective_from": step.effective_from,
        }
        for step in explanation_of(stoppage)
    ]
