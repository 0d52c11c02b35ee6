"""Telling django-simple-history who made a change and why.

The library reads the author and the reason of a change from attributes set on the instance
before `save()` ("Recording which user changed a model" and "Change reason" in its
documentation); they are not model fields, so the type checker cannot know them: they are set
here, in one place.
"""

from django.db import models


def note_change(instance: models.Model, *, by: object = None, reason: str = "") -> None:
    """Have the next `save()` of `instance` record `by` as its author and `reason` as why."""
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
