"""Tracing staff reads of personal data (writes are traced by django-simple-history)."""

from django.db import models
from django_guid import get_guid

from cpam_portal.models import AccessLog


def record_access(
    user,
    action: str,
    obj: models.Model,
    *,
    insured_person_id: int | None = None,
    detail: str = "",
) -> AccessLog:
    """Insert one trace of `user` reading `obj` (which concerns `insured_person_id`)."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        insured_person_id=insured_person_id,
        detail=detail[:200],
        request_id=get_guid() or "",
    )


def record_search(user, model: type[models.Model], *, detail: str) -> AccessLog:
    """Insert one trace of `user` searching `model` (the caller masks numbers in `detail`)."""
    return AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.SEARCH,
        object_type=model._meta.label_lower,
        object_id="",
        detail=detail[:200],
        request_id=get_guid() or "",
    )
