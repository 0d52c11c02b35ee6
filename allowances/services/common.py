"""What the allowance services share: the error they raise, and storing a checked scan."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from affiliation.uploads import CheckedUpload


class AllowanceError(ValueError):
    """A refusal to show the person or the agent: a translated message, the field it is about."""

    def __init__(self, message, field: str | None = None, code: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


def store_scan(folder: str, checked: CheckedUpload) -> str:
    """Save a checked upload in the private storage under a generated name; returns the name.

    Called inside the caller's transaction, after every check: if the transaction fails the
    caller deletes the file (`discard_scan`).
    """
    name = f"allowances/{folder}/{uuid.uuid4().hex}{checked.extension}"
    return storages["private"].save(name, ContentFile(checked.content))


def discard_scan(stored_name: str) -> None:
    if stored_name:
        storages["private"].delete(stored_name)


def scan_fields(checked: CheckedUpload | None, stored_name: str) -> dict:
    if checked is None:
        return {}
    return {
        "stored_name": stored_name,
        "original_name": checked.display_name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }
