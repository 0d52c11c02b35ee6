"""E-mails to the insured person: something changed, log in to read it (no amount, no health)."""

from django.conf import settings
from django.urls import reverse

from allowances.models import WorkStoppage
from cpam_portal.mail import send_templated_mail


def notify_person(stoppage: WorkStoppage, template: str) -> None:
    """Write `allowances/email/<template>` to the outbox, sent after the caller's commit."""
    person = stoppage.person
    address = person.email or (person.user.email if person.user is not None else "")
    if not address:
        return
    send_templated_mail(
        f"allowances/email/{template}",
        {
            "first_names": person.first_names,
            "url": settings.SITE_URL.rstrip("/") + reverse("allowances:stoppages"),
        },
        [address],
    )
