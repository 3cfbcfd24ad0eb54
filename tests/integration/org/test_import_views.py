"""The import page: administrators only, upload and preview, refusals shown, then apply."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from lifelong.core.models import AuditEvent, StoredFile
from lifelong.org.models import Person, Unit
from tests.factories.org import account

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"
URL = "/org/import/"


def client_for(user) -> Client:
    # English (chosen by the language cookie), so the assertions read the source messages.
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = {
    "units": [
        ["code", "name", "kind", "parent_code"],
        ["KV11", "Chi cục khu vực XI", "regional", "CHQ"],
    ],
    "people": [
        ["officer_code", "family_name", "middle_name", "given_name", "gender", "unit_code"],
        ["W0001", "Đỗ", "Thị", "Lan", "female", "KV11"],
    ],
}


@pytest.fixture
def admin(org):
    return client_for(account("admin", ("administrator", org.root)))


def test_non_administrators_get_the_404_page(org):
    # given a unit head of the whole administration
    head = client_for(account("head", ("unit_head", org.root)))
    # when
    page = head.get(URL)
    posted = head.post(URL, {"file": upload("a.csv", b"code,name,kind\n"), "encoding": "utf-8"})
    # then
    assert page.status_code == posted.status_code == 404
    assert not StoredFile.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(org):
    # given / when
    page = Client().get(URL)
    # then
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_administration_home_links_to_the_import(admin):
    # given / when
    page = admin.get("/admin/")
    # then
    assert page.status_code == 200 and URL in page.content.decode()


def test_form_offers_the_encodings(admin):
    # given / when
    page = admin.get(URL)
    # then
    body = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in body and "csrfmiddlewaretoken" in body
    assert 'value="cp1258"' in body


def test_bad_file_shows_every_error_and_writes_nothing(admin):
    # given
    people_before = Person.objects.count()
    data = (FIXTURES / "people_bad.csv").read_bytes()
    # when
    page = admin.post(URL, {"file": upload("people_bad.csv", data), "encoding": "utf-8"})
    # then
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="import-errors"' in body and "The file has 9 errors" in body
    assert "Unknown unit code NO-SUCH-UNIT." in body
    assert "sleeping is not one of" in body
    assert "Apply the import" not in body
    assert Person.objects.count() == people_before


@override_settings(LIFELONG_MAX_UPLOAD_BYTES=200)
def test_oversized_file_is_refused_with_a_message(admin):
    # given a file over the limit
    data = (FIXTURES / "people_bad.csv").read_bytes()
    assert len(data) > 200
    # when
    page = admin.post(URL, {"file": upload("big.csv", data), "encoding": "utf-8"})
    # then
    assert page.status_code == 400
    assert "The file is too large" in page.content.decode()
    assert not StoredFile.objects.exists()


def test_wrong_type_of_file_is_refused_with_a_message(admin):
    # given a PNG named .xlsx
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    # when
    page = admin.post(URL, {"file": upload("units.xlsx", png), "encoding": "utf-8"})
    # then
    assert page.status_code == 400
    assert "This type of file is not accepted here" in page.content.decode()


def test_missing_file_is_a_form_error_not_a_crash(admin):
    # given / when
    page = admin.post(URL, {"encoding": "utf-8"})
    # then
    assert page.status_code == 400 and 'role="alert"' in page.content.decode()


def test_good_workbook_is_previewed_then_applied(admin, org):
    # given an uploaded, valid workbook
    preview = admin.post(URL, {"file": upload("org.xlsx", xlsx(GOOD)), "encoding": "utf-8"})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="import-counts"' in body
    assert "Apply the import" in body
    assert not Unit.objects.filter(code="KV11").exists()  # a preview writes nothing
    stored = StoredFile.objects.get()
    # when the administrator applies it
    applied = admin.post(
        URL,
        {"action": "apply", "file_id": stored.pk, "encoding": "utf-8", "kind": ""},
        follow=True,
    )
    # then
    assert applied.status_code == 200
    assert "Imported from org.xlsx: 1 units, 0 job positions, 0 ranks and 1 people." in (
        applied.content.decode()
    )
    unit = Unit.objects.get(code="KV11")
    assert unit.parent == org.root
    assert Person.objects.get(officer_code="W0001").unit == unit
    event = AuditEvent.objects.get(action="import.applied")
    assert event.actor_name == "admin" and event.data["channel"] == "web"
    assert event.data["stored_file"] == stored.pk


def test_applying_twice_shows_the_errors_and_writes_nothing_more(admin):
    # given a file already applied
    admin.post(URL, {"file": upload("org.xlsx", xlsx(GOOD)), "encoding": "utf-8"})
    form = {"action": "apply", "file_id": StoredFile.objects.get().pk, "encoding": "utf-8"}
    admin.post(URL, form)
    people = Person.objects.count()
    # when
    again = admin.post(URL, form)
    # then
    body = again.content.decode()
    assert again.status_code == 200 and "The import was refused" in body
    assert "The officer code W0001 is already used." in body
    assert Person.objects.count() == people


def test_cp1258_csv_is_refused_as_utf8_and_imported_with_its_encoding(admin):
    # given
    data = (FIXTURES / "people_cp1258.csv").read_bytes()
    # when
    refused = admin.post(URL, {"file": upload("p.csv", data), "encoding": "utf-8"})
    previewed = admin.post(URL, {"file": upload("p.csv", data), "encoding": "cp1258"})
    stored = StoredFile.objects.order_by("-id").first()
    admin.post(URL, {"action": "apply", "file_id": stored.pk, "encoding": "cp1258"})
    # then
    assert "cp1258" in refused.content.decode()
    assert 'id="import-counts"' in previewed.content.decode()
    assert Person.objects.get(officer_code="IMP0102").full_name == "Phạm Thị Thuỷ"


def test_another_administrators_upload_cannot_be_applied(admin, org):
    # given a file uploaded by one administrator
    admin.post(URL, {"file": upload("org.xlsx", xlsx(GOOD)), "encoding": "utf-8"})
    stored = StoredFile.objects.get()
    other = client_for(account("admin-2", ("administrator", org.root)))
    # when
    page = other.post(URL, {"action": "apply", "file_id": stored.pk, "encoding": "utf-8"})
    # then
    assert page.status_code == 404
    assert not Unit.objects.filter(code="KV11").exists()
