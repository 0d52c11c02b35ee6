"""Tracing staff reads of personal data (writes are traced by django-simple-history)."""

from collections.abc import Callable

from django.contrib.admin.utils import unquote
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


def trace_change_view(
    model_admin,
    request,
    object_id: str,
    *,
    person: Callable[[models.Model], int | None],
    detail: Callable[[models.Model], str] = lambda obj: "",
) -> models.Model | None:
    """The object of an admin change page, its read traced first when the user may see it (a
    page that then fails to render has still been asked for: the trace errs on that side)."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is not None and model_admin.has_view_permission(request, obj):
        record_access(
            request.user,
            AccessLog.Action.VIEW,
            obj,
            insured_person_id=person(obj),
            detail=detail(obj),
        )
    return obj
