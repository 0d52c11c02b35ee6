"""What the allowance services share: the error they raise, and where and how scans are kept."""

from django.utils.functional import Promise

from cpam_portal.uploads import CheckedUpload

# Folders of the private storage (cpam_portal.uploads.atomic_with_uploads).
NOTICES_FOLDER = "allowances/notices"
SALARIES_FOLDER = "allowances/salaries"


class AllowanceError(ValueError):
    """A refusal to show the person or the agent: a translated message, the field it is about."""

    def __init__(self, message: str | Promise, field: str | None = None, code: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


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
