"""The one signal of the project: a wake-up for the apps that follow issued statements.

Sent after the commit of a batch that issued statements. It carries nothing a receiver needs
to be correct: the statements wait in the outbox (reimbursements/models/outbox.py) until a
reader takes them, and the reader's periodic sweep takes whatever a lost wake-up left. It only
lets a reader start at once rather than at its next sweep, without the pipeline importing the
apps above it (README.md, "Static checks": the layering lint-imports checks).
"""

from django.dispatch import Signal

# Keyword arguments: count (int), the number of statements the batch issued.
statements_issued = Signal()
