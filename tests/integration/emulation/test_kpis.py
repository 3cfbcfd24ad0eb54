"""Unit KPIs: periods by kind, corrections audited, comparisons, scoping, use as a criterion."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.emulation.models import KpiIndicator, Standing
from lifelong.emulation.queries.kpis import series_of
from lifelong.emulation.services import kpis as services
from lifelong.emulation.services import scoring
from tests.factories.emulation import DEFAULT_CRITERIA, campaign
from tests.factories.org import account

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dossiers(org) -> KpiIndicator:
    return services.save_indicator(
        acting_user=account("thuky", ("secretariat", org.root)),
        code="ho-so-dvc",
        name="Hồ sơ dịch vụ công trực tuyến",
        measure="hồ sơ",
        period_kind="year",
        aggregation="sum",
    )


def report(user, indicator, unit, year: int, value: int, source: str = "Báo cáo năm"):
    return services.report_value(
        acting_user=user,
        indicator=indicator,
        unit=unit,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        value=Decimal(value),
        source=source,
        today=TODAY,
    )


def test_values_must_be_one_ended_period_of_the_kind_with_a_source(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    with pytest.raises(ValidationFailed, match="exactly one such period"):
        services.report_value(
            acting_user=head,
            indicator=dossiers,
            unit=org.region_1,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 6, 30),
            value=Decimal(1),
            source="x",
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="once it has ended"):
        report(head, dossiers, org.region_1, 2026, 10)
    with pytest.raises(ValidationFailed, match="where the figure comes from"):
        report(head, dossiers, org.region_1, 2025, 10, source=" ")


def test_a_unit_head_reports_for_their_unit_only(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    with pytest.raises(NotFound):
        report(head, dossiers, org.region_2, 2025, 10)


def test_a_correction_keeps_the_old_value_in_the_audit_log(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    report(head, dossiers, org.region_1, 2025, 1200)
    report(head, dossiers, org.region_1, 2025, 1250, source="Báo cáo điều chỉnh")
    event = AuditEvent.objects.get(action="emulation.kpi_corrected")
    assert event.before == {"value": 1200.0, "source": "Báo cáo năm"}
    assert event.after["value"] == 1250.0


def test_the_comparison_gives_percent_and_fold_change_and_none_after_zero(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    for year, value in ((2023, 0), (2024, 800), (2025, 1200)):
        report(head, dossiers, org.region_1, year, value)
    points = series_of(org.region_1)[0].points
    assert [p.change_percent for p in points] == [None, None, Decimal("50.00")]
    assert points[2].change_fold == Decimal("1.50")


def test_a_kpi_criterion_scores_the_units_values_in_the_phase(org, dossiers):
    kpi_criterion = {
        "content": 1,
        "code": "dossiers",
        "name": "Hồ sơ trực tuyến",
        "metric": "kpi",
        "kpi": dossiers,
        "kind": "linear",
        "weight": Decimal(50),
        "target": Decimal(2000),
    }
    criteria = [c for c in DEFAULT_CRITERIA if c["code"] != "culture"] + [kpi_criterion]
    built = campaign(org, criteria=criteria)
    head = account("truongkv1", ("unit_head", org.region_1))
    report(head, dossiers, org.region_1, 2024, 600)
    report(head, dossiers, org.region_1, 2025, 900)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    detail = Standing.objects.get(phase=built.phase_1, unit=org.region_1).detail["dossiers"]
    assert (detail["raw"], detail["points"]) == (1500.0, 75.0)
    assert [v["value"] for v in detail["inputs"]["values"]] == ["600.00", "900.00"]


def test_the_pages_show_the_comparison_and_refuse_other_units(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    report(head, dossiers, org.region_1, 2024, 800)
    report(head, dossiers, org.region_1, 2025, 1200)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(head)
    html = client.get(f"/emulation/kpis/units/{org.region_1.pk}/").content.decode()
    assert "+50" in html and "1.5" in html
    assert client.get(f"/emulation/kpis/units/{org.region_2.pk}/").status_code == 404
    assert client.get(f"/emulation/kpis/units/{org.region_2.pk}/report/").status_code == 404
