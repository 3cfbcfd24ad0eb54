"""Registrations and self-assessments: the level above decides; evidence is checked; audited."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.emulation.models import Assessment, Registration
from lifelong.emulation.services import participation as services
from tests.factories.emulation import campaign
from tests.factories.learning_selfstudy import PDF
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setting(org):
    built = campaign(org)
    return {
        "built": built,
        "head1": account("truongkv1", ("unit_head", org.region_1)),
        "head2": account("truongkv2", ("unit_head", org.region_2)),
        "secretariat": account("thuky", ("secretariat", org.root)),
    }


def submitted(setting, org) -> Registration:
    return services.register(
        acting_user=setting["head1"],
        campaign=setting["built"].campaign,
        year=2026,
        commitments="Học tập bình quân 35 giờ mỗi người",
        targets={"hours": Decimal(35)},
        unit=org.region_1,
        submit=True,
    )


def test_the_level_above_approves_a_unit_registration_not_its_own_head(org, setting):
    row = submitted(setting, org)
    with pytest.raises(NotFound):
        services.approve(acting_user=setting["head1"], registration=row)
    with pytest.raises(NotFound):
        services.approve(acting_user=setting["head2"], registration=row)
    approved = services.approve(acting_user=setting["secretariat"], registration=row)
    assert approved.status == "approved"
    assert approved.targets == {"hours": 35.0}


def test_a_head_cannot_register_another_unit_nor_unknown_targets_nor_outside_years(org, setting):
    built = setting["built"]
    with pytest.raises(NotFound):
        services.register(
            acting_user=setting["head2"],
            campaign=built.campaign,
            year=2026,
            commitments="x",
            unit=org.region_1,
        )
    with pytest.raises(ValidationFailed, match="No criterion of that year has the code speed"):
        services.register(
            acting_user=setting["head1"],
            campaign=built.campaign,
            year=2026,
            commitments="x",
            targets={"speed": Decimal(1)},
            unit=org.region_1,
        )
    with pytest.raises(ValidationFailed, match="year of the campaign"):
        services.register(
            acting_user=setting["head1"],
            campaign=built.campaign,
            year=2031,
            commitments="x",
            unit=org.region_1,
        )
    assert not Registration.objects.exists()


def test_a_return_needs_a_reason_and_the_unit_then_edits_and_resubmits(org, setting):
    row = submitted(setting, org)
    with pytest.raises(ValidationFailed, match="Say what to change"):
        services.return_registration(
            acting_user=setting["secretariat"], registration=row, reason=""
        )
    services.return_registration(
        acting_user=setting["secretariat"], registration=row, reason="Bổ sung chỉ tiêu"
    )
    again = submitted(setting, org)
    assert (again.pk, again.status) == (row.pk, "submitted")


def test_an_officer_registers_and_their_unit_head_approves(org, setting):
    officer = person(org.team_1)
    user = account("canbo", person=officer)
    row = services.register(
        acting_user=user,
        campaign=setting["built"].campaign,
        year=2026,
        commitments="Tự học tiếng Anh đạt B1",
        submit=True,
    )
    with pytest.raises(NotFound):
        services.approve(acting_user=user, registration=row)
    assert services.approve(acting_user=setting["head1"], registration=row).status == "approved"


def test_closing_registration_records_every_unit_and_officer_that_did_not_register(org, setting):
    submitted(setting, org)
    officer = person(org.team_2)
    count = services.close_registration(
        acting_user=setting["secretariat"], campaign=setting["built"].campaign, year=2026
    )
    missing = Registration.objects.filter(status="not_registered", year=2026)
    assert set(missing.exclude(unit=None).values_list("unit_id", flat=True)) == {
        org.region_2.pk,
        org.hq_dept.pk,
    }
    assert list(missing.exclude(person=None).values_list("person_id", flat=True)) == [officer.pk]
    assert count == 3


def test_evidence_of_the_wrong_type_or_too_large_is_refused_and_nothing_is_saved(org, setting):
    built = setting["built"]
    common = {
        "acting_user": setting["head1"],
        "phase": built.phase_2,
        "unit": org.region_1,
        "criterion_code": "culture",
        "self_points": Decimal(80),
        "explanation": "Thư viện số",
    }
    with pytest.raises(ValidationFailed, match="not accepted"):
        services.save_assessment(
            **common, files=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)]
        )
    big = SimpleUploadedFile("to.pdf", PDF + b"\x00" * (services.EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationFailed, match="too large"):
        services.save_assessment(**common, files=[big])
    with pytest.raises(ValidationFailed, match="evidence criterion"):
        services.save_assessment(**(common | {"criterion_code": "hours"}))
    assert not Assessment.objects.exists()


def test_an_adjusted_score_needs_a_reason_and_is_audited_with_both_scores(org, setting):
    built = setting["built"]
    found = services.save_assessment(
        acting_user=setting["head1"],
        phase=built.phase_2,
        unit=org.region_1,
        criterion_code="culture",
        self_points=Decimal(90),
        explanation="Thư viện số",
        files=[SimpleUploadedFile("bien-ban.pdf", PDF)],
        submit=True,
    )
    with pytest.raises(NotFound):
        services.review_assessment(
            acting_user=setting["head1"], assessment=found, points=Decimal(70), reason="x"
        )
    with pytest.raises(ValidationFailed, match="Say why"):
        services.review_assessment(
            acting_user=setting["secretariat"], assessment=found, points=Decimal(70)
        )
    reviewed = services.review_assessment(
        acting_user=setting["secretariat"],
        assessment=found,
        points=Decimal(70),
        reason="Thiếu minh chứng",
    )
    assert (reviewed.status, reviewed.reviewed_points) == ("adjusted", Decimal(70))
    event = AuditEvent.objects.get(action="emulation.assessment_reviewed")
    assert event.before == {"points": 90.0}
    assert event.after == {"points": 70.0, "status": "adjusted"}
    with pytest.raises(ValidationFailed, match="can no longer be changed"):
        services.save_assessment(
            acting_user=setting["head1"],
            phase=built.phase_2,
            unit=org.region_1,
            criterion_code="culture",
            self_points=Decimal(100),
            explanation="x",
        )
