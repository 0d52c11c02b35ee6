"""The directory's back office: who gets in, the upload page, the report, the export."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.groups import DIRECTORY_EDITORS
from directory.imports import COLUMNS
from directory.models import DirectoryImport, Fund, Office
from tests.accounts.factories import StaffFactory
from tests.directory.factories import FundFactory, OfficeFactory

pytestmark = pytest.mark.django_db

Status = DirectoryImport.Status
HEADER = ",".join(COLUMNS)
AIN = "01,Ain,place de la Grenouillère,,,01015,BOURG EN BRESSE CEDEX,04 74 45 84 84,"
LYON = "69,Rhône,rue Paul Lintier,,,69907,LYON CEDEX 20,36 46,prix d'un appel local"
ADD_URL = reverse("admin:directory_directoryimport_add")
LIST_URL = reverse("admin:directory_directoryimport_changelist")
EXPORT_URL = reverse("admin:directory_directoryimport_export")


def csv_file(*lines: str, name: str = "accueils.csv") -> SimpleUploadedFile:
    content = ("\r\n".join([HEADER, *lines]) + "\r\n").encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def with_second_factor(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def directory_editors() -> Group:
    """The group of the data migration. A test on a flushed database (a worker test) may have
    removed it, so it is made again with the same permissions."""
    group, _ = Group.objects.get_or_create(name=DIRECTORY_EDITORS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="directory"))
    return group


@pytest.fixture
def editor():
    user = with_second_factor(StaffFactory())
    user.groups.add(directory_editors())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def funds():
    return {
        code: FundFactory(department_code=code, department_name=name)
        for code, name in [("01", "Ain"), ("69", "Rhône")]
    }


def upload(client, file, **kwargs):
    return client.post(ADD_URL, {"file": file}, **kwargs)


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        ADD_URL,
        LIST_URL,
        EXPORT_URL,
        reverse("admin:directory_office_changelist"),
        reverse("admin:directory_fund_changelist"),
    ],
)
def test_staff_without_the_editor_group_get_403(client, url):
    client.force_login(with_second_factor(StaffFactory()))
    assert client.get(url).status_code == 403


def test_staff_without_the_editor_group_cannot_upload(client, funds):
    client.force_login(with_second_factor(StaffFactory()))
    assert upload(client, csv_file(AIN)).status_code == 403
    assert not DirectoryImport.objects.exists()


def test_an_editor_without_a_second_factor_is_sent_to_set_one_up(client):
    user = StaffFactory()
    user.groups.add(directory_editors())
    client.force_login(user)
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Upload -----------------------------------------------------------------------------------


def test_editor_opens_the_upload_page(editor_client):
    response = editor_client.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="file"' in html
    assert HEADER in html  # the expected columns are spelled out
    assert EXPORT_URL in html


def test_editor_uploads_a_file_and_is_sent_to_its_report(
    editor_client, editor, funds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, csv_file(AIN, LYON))

    directory_import = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:directory_directoryimport_change", args=[directory_import.pk]
    )
    assert directory_import.uploaded_by == editor
    assert directory_import.status == Status.APPLIED  # tasks run in-process in these tests
    assert Office.objects.count() == 2

    page = editor_client.get(response["Location"]).content.decode()
    assert "« accueils.csv » est déposé" in page
    assert "Le fichier a été appliqué à l&#x27;annuaire." in page
    assert "Accueil ajouté à l&#x27;annuaire." in page


def test_a_file_too_big_is_a_form_error(editor_client, settings):
    settings.DIRECTORY_CSV_MAX_BYTES = 100
    response = upload(editor_client, csv_file(AIN, LYON))
    assert response.status_code == 200
    assert "Le fichier dépasse la taille maximale de 100\xa0octets." in response.content.decode()
    assert not DirectoryImport.objects.exists()


def test_a_file_not_in_utf8_is_a_form_error(editor_client):
    latin1 = SimpleUploadedFile("accueils.csv", f"{HEADER}\r\n{AIN}\r\n".encode("latin-1"))
    response = upload(editor_client, latin1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "n&#x27;est pas un texte encodé en UTF-8" in html
    assert 'role="alert"' in html
    assert not DirectoryImport.objects.exists()


def test_no_file_or_an_empty_file_is_a_form_error(editor_client):
    assert editor_client.post(ADD_URL, {}).status_code == 200
    assert upload(editor_client, SimpleUploadedFile("vide.csv", b"")).status_code == 200
    assert not DirectoryImport.objects.exists()


# --- The import's page ------------------------------------------------------------------------


def rejected_import(user) -> DirectoryImport:
    return DirectoryImport.objects.create(
        uploaded_by=user,
        file_name="accueils.csv",
        content=f"{HEADER}\r\n{AIN}\r\n",
        status=Status.REJECTED,
        rejected_count=1,
        report=[
            {
                "line": 3,
                "outcome": "rejected",
                "detail": "Code postal « 6100 » : il faut 5 chiffres.",
                "messages": [{"code": "postcode_format", "params": {"value": "6100"}}],
            },
            {"line": 4, "outcome": "rejected", "detail": "Texte d'une autre version."},
        ],
    )


def test_the_report_page_shows_each_line_and_is_read_only(editor_client, editor):
    directory_import = rejected_import(editor)
    url = reverse("admin:directory_directoryimport_change", args=[directory_import.pk])

    response = editor_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "l&#x27;annuaire n&#x27;a pas été modifié" in html
    assert '<th scope="col">Ligne</th>' in html
    assert "<td>3</td>" in html
    assert "Code postal « 6100 » : il faut 5 chiffres (un tableur a pu ôter le zéro" in html
    assert "Texte d&#x27;une autre version." in html  # stored text when no messages
    assert 'name="_save"' not in html
    assert editor_client.post(url, {"status": Status.APPLIED}).status_code == 403
    directory_import.refresh_from_db()
    assert directory_import.status == Status.REJECTED


def test_the_uploaded_file_can_be_downloaded_again(editor_client, editor):
    directory_import = rejected_import(editor)
    url = reverse("admin:directory_directoryimport_file", args=[directory_import.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="accueils.csv"'
    assert response.content.decode() == directory_import.content
    missing = reverse("admin:directory_directoryimport_file", args=[directory_import.pk + 1])
    assert editor_client.get(missing).status_code == 404


def test_the_list_of_imports_shows_status_and_counts_in_flat_queries(editor_client, editor):
    rejected_import(editor)
    editor_client.get(LIST_URL)  # the first request of a session writes to it
    with CaptureQueriesContext(connection) as one_import:
        response = editor_client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "refusé" in html
    assert "Déposer un fichier CSV" in html

    for _ in range(4):
        rejected_import(StaffFactory())
    with CaptureQueriesContext(connection) as five_imports:
        editor_client.get(LIST_URL)
    assert len(five_imports) == len(one_import)


# --- Export -----------------------------------------------------------------------------------


def test_export_of_every_office_in_the_import_format(editor_client, funds):
    OfficeFactory(fund=funds["69"], postcode="69907", city="LYON CEDEX 20", phone="36 46")
    response = editor_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1].startswith("69,Rhône,") and "69907,LYON CEDEX 20,36 46," in lines[1]


def test_export_action_of_the_selected_offices(editor_client, funds):
    kept = OfficeFactory(fund=funds["01"], postcode="01015", city="BOURG EN BRESSE CEDEX")
    OfficeFactory(fund=funds["69"], postcode="69907", city="LYON CEDEX 20")
    response = editor_client.post(
        reverse("admin:directory_office_changelist"),
        {"action": "export_as_csv", "_selected_action": [kept.pk]},
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "BOURG EN BRESSE CEDEX" in lines[1]


# --- Funds and offices ------------------------------------------------------------------------


def test_fund_and_office_pages_open_for_an_editor(editor_client, funds):
    office = OfficeFactory(fund=funds["01"], postcode="01015", city="BOURG EN BRESSE CEDEX")
    for url in (
        reverse("admin:directory_fund_changelist") + "?q=Ain",
        reverse("admin:directory_fund_change", args=[funds["01"].pk]),
        reverse("admin:directory_office_changelist") + "?fund__kind__exact=CPAM&q=bourg",
        reverse("admin:directory_office_change", args=[office.pk]),
        reverse("admin:directory_office_add"),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
    assert (
        "BOURG EN BRESSE CEDEX"
        in editor_client.get(
            reverse("admin:directory_office_changelist") + "?q=bourg"
        ).content.decode()
    )


def test_an_office_is_held_to_the_rules_of_the_import(editor_client, funds):
    response = editor_client.post(
        reverse("admin:directory_office_add"),
        {
            "fund": funds["69"].pk,
            "address_line_1": "place de la Grenouillère",
            "postcode": "01015",
            "city": "BOURG EN BRESSE CEDEX",
            "phone": "04 74 45 84",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le code postal 01015 est dans le département 01, pas dans le 69." in html
    assert "Téléphone « 04 74 45 84 »" in html
    assert not Office.objects.exists()


def test_an_office_with_the_postcode_and_city_of_another_is_a_form_error(editor_client, funds):
    OfficeFactory(fund=funds["01"], postcode="01015", city="BOURG EN BRESSE CEDEX")
    response = editor_client.post(
        reverse("admin:directory_office_add"),
        {
            "fund": funds["01"].pk,
            "address_line_1": "rue X",
            "postcode": "01015",
            "city": "BOURG EN BRESSE CEDEX",
            "phone": "04 74 45 84 84",
        },
    )
    assert response.status_code == 200
    assert Office.objects.count() == 1


def test_a_fund_code_is_normalised_or_refused(editor_client):
    url = reverse("admin:directory_fund_add")
    data = {
        "department_name": "Ain",
        "name": "CPAM de l'Ain",
        "kind": "CPAM",
        "time_zone": "Europe/Paris",
        "offices-TOTAL_FORMS": "0",
        "offices-INITIAL_FORMS": "0",
    }
    assert editor_client.post(url, {**data, "department_code": "ZZ"}).status_code == 200
    assert editor_client.post(url, {**data, "department_code": "1"}).status_code == 302
    assert Fund.objects.get().department_code == "01"


def test_an_import_cannot_be_deleted_it_is_the_trace_of_a_change(editor, editor_client):
    directory_import = DirectoryImport.objects.create(
        uploaded_by=editor, file_name="a.csv", content="x"
    )
    url = reverse("admin:directory_directoryimport_delete", args=[directory_import.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert DirectoryImport.objects.filter(pk=directory_import.pk).exists()
