"""The engine's explanation in the reader's language (texts owned by allowances.explanations)."""

from allowances.explanations import step_text
from allowances.models import WorkStoppage
from allowances.services.computation import explanation_of


def explanation_lines(stoppage: WorkStoppage) -> list[dict]:
    """One line per rule applied: its text, the source and the date of the figure it used."""
    return [
        {
            "text": step_text(step),
            "source": step.source,
            "effective_from": step.effective_from,
        }
        for step in explanation_of(stoppage)
    ]
