"""E-mails to people, written from templates, in the language the person reads."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    template_prefix: str,
    context: dict,
    to: Sequence[str],
    *,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Send `<prefix>_subject.txt` + `<prefix>_message.txt` rendered in `language`.

    Messages never carry health data or numbers (NIR, IBAN): they say that something changed
    and where to read it, as the Assurance Maladie's own notifications do.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
    message = EmailMultiAlternatives(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=list(to)
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
