"""Demo affiliation requests for `make run` (affiliation.demo calls build_demo_requests).

Three applicants, each with their own account (password DEMO_PASSWORD, e-mail verified):
- a Brazilian student born in São Paulo, living in Paris: sent with her six documents and
  taken in review by the agent (the one to accept: she gets a NIA, 2 03 04 99 416 …);
- an Italian researcher (talent passport) in Lyon: the fund asked for her hosting agreement;
- a French employee in Bordeaux: a draft with two documents, not sent yet.
Development only, like accounts/demo.py. Documents are generated (pypdf, Pillow): no files.
"""

import datetime
import io

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from accounts.models import User
from affiliation.models import AffiliationRequest
from affiliation.rules.requests import DocumentKind, Situation
from affiliation.services import requests as services
from cpam_portal.uploads import check_upload

DEMO_PASSWORD = "Demo-demande-2026"  # noqa: S105 (development demo, printed in the README)
APPLICANTS = [
    # e-mail, situation, identity and address, the step it is left at
    (
        "etudiante@demo.cpam.local",
        Situation.STUDENT,
        {
            "last_name": "Silva",
            "first_names": "Ana Clara",
            "sex": "2",
            "birth_date": datetime.date(2003, 4, 12),
            "birth_country": "99416",
            "birth_place": "São Paulo",
            "nationality": "99416",
            "address_line_1": "5 rue des Écoles",
            "postcode": "75005",
            "city": "PARIS",
        },
        "in_review",
    ),
    (
        "chercheuse@demo.cpam.local",
        Situation.TALENT,
        {
            "last_name": "Rossi",
            "first_names": "Giulia",
            "sex": "2",
            "birth_date": datetime.date(1991, 9, 3),
            "birth_country": "99127",
            "birth_place": "Bologna",
            "nationality": "99127",
            "address_line_1": "46 allée d'Italie",
            "postcode": "69007",
            "city": "LYON",
        },
        "info_requested",
    ),
    (
        "salarie@demo.cpam.local",
        Situation.EMPLOYEE,
        {
            "last_name": "Moreau",
            "first_names": "Louis",
            "sex": "1",
            "birth_date": datetime.date(1999, 2, 20),
            "birth_country": "99100",
            "birth_place": "Bordeaux",
            "nationality": "99100",
            "address_line_1": "12 cours de l'Intendance",
            "postcode": "33000",
            "city": "BORDEAUX",
        },
        "draft",
    ),
]


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (230, 230, 240)).save(out, format="JPEG")
    return out.getvalue()


def _add(request: AffiliationRequest, kind: str) -> None:
    if kind == DocumentKind.IDENTITY:
        uploaded = SimpleUploadedFile("passeport.jpg", _jpeg(), "image/jpeg")
    else:
        uploaded = SimpleUploadedFile(f"{kind}.pdf", _pdf(kind), "application/pdf")
    services.add_document(request, kind, check_upload(uploaded), by=request.applicant)


def build_demo_requests(agent: User, *, on: datetime.date) -> list[AffiliationRequest]:
    """The three demo requests (again only if missing); `agent` works the first two.

    The funds of Paris, Rhône and Gironde must exist (the directory is loaded first).
    """
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("demo requests are for development only")
    built = []
    for email, situation, identity, step in APPLICANTS:
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        existing = AffiliationRequest.objects.filter(applicant=user).first()
        if existing is not None:
            built.append(existing)
            continue
        request = services.start_request(user, situation, language="fr")
        for field, value in identity.items():
            setattr(request, field, value)
        request.save()
        required = [item.kind for item in request.checklist() if item.is_required]
        for kind in required[:2] if step == "draft" else required:
            _add(request, kind)
        if step != "draft":
            services.submit_request(request.pk, user, on=on)
            services.take_in_review(request.pk, agent)
        if step == "info_requested":
            services.request_information(
                request.pk,
                agent,
                message="La convention d'accueil jointe n'est pas signée par le laboratoire : "
                "merci d'envoyer la version signée.",
            )
        request.refresh_from_db()
        built.append(request)
    return built
