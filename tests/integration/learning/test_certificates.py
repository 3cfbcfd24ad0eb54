"""Certificates: issued on completion, revoked, rendered as PDF, verified in public, scoped."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent, Notification
from lifelong.learning.models import Certificate
from lifelong.learning.queries import certificates as queries
from lifelong.learning.rules.certificates import normalise_number
from lifelong.learning.services import certificates as services
from tests.factories.learning_certificates import completed_enrolment, course
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(org, django_capture_on_commit_callbacks):
    holder = person(org.team_1, "Nguyễn", "Thị", "Hương")
    holder_user = account("huong", ("officer", org.team_1), person=holder)
    enrolment = completed_enrolment(holder, course(certificate_months=24), organiser=org.root)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_on_completion(acting_user=None, enrolment=enrolment)
    return certificate, enrolment, holder_user


def test_issue_on_completion_numbers_dates_and_notifies_the_holder(issued):
    # given
    certificate, enrolment, holder_user = issued
    completed_on = timezone.localdate(enrolment.completed_at)
    # then
    assert normalise_number(certificate.number) == certificate.number
    assert certificate.number.startswith(f"HQ-{completed_on.year}-{certificate.pk:06d}-")
    assert certificate.issued_on == completed_on
    assert certificate.expires_on is not None
    assert (certificate.expires_on.year - completed_on.year) in (1, 2)
    assert Notification.objects.filter(
        user=holder_user, kind="learning.certificate_issued"
    ).exists()
    assert len(mail.outbox) == 1
    assert certificate.number in mail.outbox[0].body or certificate.number in mail.outbox[0].subject
    assert AuditEvent.objects.filter(
        action="certificate.issued", target_id=str(certificate.pk)
    ).exists()


def test_issue_on_completion_is_idempotent_per_enrolment(issued):
    # given
    certificate, enrolment, _ = issued
    # when
    again = services.issue_on_completion(acting_user=None, enrolment=enrolment)
    # then
    assert again.pk == certificate.pk
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_issue_is_refused_for_a_course_without_certificate(org):
    # given
    officer = person(org.team_1)
    enrolment = completed_enrolment(officer, course(issues_certificate=False), organiser=org.root)
    # when / then
    with pytest.raises(ValidationFailed):
        services.issue_on_completion(acting_user=None, enrolment=enrolment)
    assert not Certificate.objects.exists()


def test_revoke_needs_the_training_office_in_scope_and_a_reason(issued, org):
    # given
    certificate, _, holder_user = issued
    outsider = account("to2", ("training_office", org.region_2))
    office = account("to1", ("training_office", org.region_1))
    # when / then: out of scope, or the holder, is refused as not found
    with pytest.raises(NotFound):
        services.revoke_certificate(acting_user=outsider, certificate=certificate, reason="x")
    with pytest.raises(NotFound):
        services.revoke_certificate(acting_user=holder_user, certificate=certificate, reason="x")
    with pytest.raises(ValidationFailed):
        services.revoke_certificate(acting_user=office, certificate=certificate, reason="  ")
    # when
    services.revoke_certificate(
        acting_user=office, certificate=certificate, reason="Kết quả thi bị hủy"
    )
    # then
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == office
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 1
    assert queries.verify(certificate.number).status == "revoked"
    with pytest.raises(ValidationFailed):
        services.revoke_certificate(acting_user=office, certificate=certificate, reason="again")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_shows_the_vietnamese_name_title_and_number(issued, client):
    # given
    certificate, _, holder_user = issued
    client.force_login(holder_user)
    # when
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Nguyễn Thị Hương" in flat
    assert "Phân loại hàng hóa theo Danh mục HS" in flat
    assert certificate.number in flat
    assert "CHỨNG NHẬN" in flat
    assert AuditEvent.objects.filter(action="certificate.downloaded").exists()


def test_pdf_is_not_found_for_another_region(issued, org, client):
    # given
    certificate, _, _ = issued
    client.force_login(account("head2", ("unit_head", org.region_2)))
    # when
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    # then
    assert response.status_code == 404


def test_public_page_verifies_valid_expired_revoked_and_unknown(issued, org, client):
    # given
    certificate, _, _ = issued
    url = reverse("learning:verify_number", args=[certificate.number])
    # when: valid, anonymous
    page = client.get(url).content.decode()
    # then: only what verifies it
    assert 'data-status="valid"' in page
    assert "Nguyễn Thị Hương" in page
    assert certificate.person.officer_code not in page
    assert org.team_1.name not in page
    # when: expired
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2022, 1, 1)
    )
    assert 'data-status="expired"' in client.get(url).content.decode()
    # when: revoked
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    assert 'data-status="revoked"' in client.get(url).content.decode()
    # when: unknown, with the same status code
    unknown = client.get(reverse("learning:verify_number", args=["HQ-2026-999999-ABCD"]))
    assert unknown.status_code == 200
    assert 'data-status="unknown"' in unknown.content.decode()


def test_verify_form_redirects_to_the_number_page(client):
    # when
    response = client.get(reverse("learning:verify"), {"number": " hq-2026-000001-abcd "})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:verify_number", args=["HQ-2026-000001-ABCD"])


def test_public_api_answers_the_same_shape_for_unknown(issued, client):
    # given
    certificate, _, _ = issued
    # when
    known = client.get(f"/api/v1/certificates/verify/{certificate.number}").json()
    unknown = client.get("/api/v1/certificates/verify/HQ-2026-999999-ABCD").json()
    # then
    assert known["found"] is True and known["status"] == "valid"
    assert known["holder"] == "Nguyễn Thị Hương"
    assert "officer_code" not in known
    assert unknown == {
        "number": "HQ-2026-999999-ABCD",
        "found": False,
        "holder": None,
        "title": None,
        "issued_on": None,
        "expires_on": None,
        "status": None,
    }


def test_api_scopes_certificates_by_region(issued, org, client):
    # given
    certificate, _, holder_user = issued
    client.force_login(account("head1", ("unit_head", org.region_1)))
    # when
    in_scope = client.get("/api/v1/certificates").json()
    by_number = client.get(f"/api/v1/certificates/{certificate.number}")
    # then
    assert in_scope["count"] == 1 and in_scope["items"][0]["number"] == certificate.number
    assert by_number.status_code == 200
    # when: a unit head of another region
    client.force_login(account("head2", ("unit_head", org.region_2)))
    # then
    assert client.get("/api/v1/certificates").json()["count"] == 0
    assert client.get(f"/api/v1/certificates/{certificate.number}").status_code == 404
    # when: the holder
    client.force_login(holder_user)
    mine = client.get("/api/v1/certificates/mine").json()
    assert mine["count"] == 1
    assert client.get("/api/v1/certificates").json()["count"] == 0


def test_expiring_lists_for_the_officer_and_the_unit_head_only(org, client):
    # given
    officer = person(org.team_1, "Lê", "Văn", "Tâm")
    me = account("tam", ("officer", org.team_1), person=officer)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    services.record_external(
        acting_user=me,
        person=officer,
        field="language",
        title="IELTS",
        issuer="British Council",
        level="b2",
        issued_on=timezone.localdate() - datetime.timedelta(days=700),
        expires_on=soon,
    )
    # when / then: the officer's page lists it as expiring
    client.force_login(me)
    mine = client.get(reverse("learning:my_certificates")).content.decode()
    assert 'id="expiring"' in mine and "IELTS" in mine
    # when / then: the unit head of the region sees it; another region's does not
    client.force_login(account("head1", ("unit_head", org.region_1)))
    assert "IELTS" in client.get(reverse("learning:expiring_certificates")).content.decode()
    xlsx = client.get(reverse("learning:expiring_certificates"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(account("head2", ("unit_head", org.region_2)))
    assert "IELTS" not in client.get(reverse("learning:expiring_certificates")).content.decode()
    # when / then: an officer without a learning role gets 404 on the unit head's page
    client.force_login(me)
    assert client.get(reverse("learning:expiring_certificates")).status_code == 404


def test_record_external_checks_level_and_evidence_type(org, client):
    # given
    officer = person(org.team_1)
    me = account("ext", ("officer", org.team_1), person=officer)
    client.force_login(me)
    url = reverse("learning:certificate_add")
    base = {
        "field": "language",
        "title": "TOEIC",
        "issuer": "IIG",
        "issued_on": "01/02/2025",
    }
    # when: a language certificate without a CEFR level
    response = client.post(url, {**base, "level": "giỏi"})
    # then
    assert response.status_code == 200
    assert not Certificate.objects.exists()
    # when: evidence that is not a PDF or image
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {**base, "level": "B1", "evidence": fake})
    # then
    assert response.status_code == 200
    assert not Certificate.objects.exists()
    # when: a real PDF
    pdf = SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(url, {**base, "level": "b1", "evidence": pdf})
    # then
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert certificate.level == "B1" and certificate.evidence is not None
    download = client.get(reverse("learning:certificate_evidence", args=[certificate.pk]))
    assert download.status_code == 200
    client.force_login(account("head2", ("unit_head", org.region_2)))
    assert (
        client.get(reverse("learning:certificate_evidence", args=[certificate.pk])).status_code
        == 404
    )
