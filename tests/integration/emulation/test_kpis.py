"""Unit KPIs: periods by kind, corrections audited, comparisons, scoping, use as a criterion."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.emulation.models import KpiIndicator, KpiValue, Standing
from lifelong.emulation.queries.kpis import latest_by_unit, series_of
from lifelong.emulation.services import kpis as services
from lifelong.emulation.services import scoring
from tests.factories.emulation import DEFAULT_CRITERIA, campaign
from tests.factories.org import account

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def indicator(org, code: str = "ho-so-dvc", kind: str = "year", **extra) -> KpiIndicator:
    secretariat = User.objects.filter(username="thuky-kpi").first() or account(
        "thuky-kpi", ("secretariat", org.root)
    )
    return services.save_indicator(
        acting_user=secretariat,
        code=code,
        name=extra.pop("name", "Hồ sơ dịch vụ công trực tuyến"),
        measure="hồ sơ",
        period_kind=kind,
        aggregation="sum",
        **extra,
    )


@pytest.fixture
def dossiers(org) -> KpiIndicator:
    return indicator(org)


@pytest.fixture
def head(org):
    return account("truongkv1", ("unit_head", org.region_1))


def report(user, kpi, unit, year: int, value, source: str = "Báo cáo năm", **dates):
    return services.report_value(
        acting_user=user,
        indicator=kpi,
        unit=unit,
        period_start=dates.get("start") or D(year, 1, 1),
        period_end=dates.get("end") or D(year, 12, 31),
        value=value,
        source=source,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("month", D(2025, 2, 1), D(2025, 2, 28)),
        ("month", D(2024, 2, 1), D(2024, 2, 29)),
        ("quarter", D(2025, 4, 1), D(2025, 6, 30)),
        ("half", D(2025, 7, 1), D(2025, 12, 31)),
        ("year", D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_a_period_of_the_indicators_kind_is_accepted(org, head, kind, start, end):
    kpi = indicator(org, kind=kind)
    row = report(head, kpi, org.region_1, 0, 5, start=start, end=end)
    assert (row.period_start, row.period_end, row.value) == (start, end, Decimal("5.00"))


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("month", D(2025, 2, 1), D(2025, 3, 1)),  # one day too long
        ("month", D(2025, 2, 2), D(2025, 3, 1)),  # not from the 1st
        ("quarter", D(2025, 2, 1), D(2025, 4, 30)),  # three months, not a quarter
        ("quarter", D(2025, 1, 1), D(2025, 6, 30)),  # a half-year
        ("half", D(2025, 4, 1), D(2025, 9, 30)),  # six months across halves
        ("year", D(2025, 1, 1), D(2025, 6, 30)),  # half a year
        ("year", D(2024, 7, 1), D(2025, 6, 30)),  # a fiscal year, not a calendar one
    ],
)
def test_a_period_that_is_not_one_of_the_kind_is_refused(org, head, kind, start, end):
    kpi = indicator(org, kind=kind)
    with pytest.raises(ValidationFailed, match="exactly one such period"):
        report(head, kpi, org.region_1, 0, 5, start=start, end=end)
    assert not KpiValue.objects.exists()


def test_a_period_not_ended_a_missing_source_or_a_non_number_is_refused(org, head, dossiers):
    with pytest.raises(ValidationFailed, match="once it has ended"):
        report(head, dossiers, org.region_1, 2026, 10)
    with pytest.raises(ValidationFailed, match="once it has ended"):
        report(head, dossiers, org.region_1, 2027, 10)
    with pytest.raises(ValidationFailed, match="where the figure comes from"):
        report(head, dossiers, org.region_1, 2025, 10, source=" ")
    for bad in ("nhiều", "NaN", "Infinity", None, Decimal("1e20")):
        with pytest.raises(ValidationFailed):
            report(head, dossiers, org.region_1, 2025, bad)
    assert not KpiValue.objects.exists()


def test_any_number_is_a_value_negative_and_decimal_too(org, head, dossiers):
    assert report(head, dossiers, org.region_1, 2024, Decimal("-3.5")).value == Decimal("-3.50")
    assert report(head, dossiers, org.region_1, 2025, "12,345").value == Decimal("12.35")


def test_a_unit_head_reports_for_their_unit_only(org, head, dossiers):
    with pytest.raises(NotFound):
        report(head, dossiers, org.region_2, 2025, 10)
    officer = account("canbo", ("officer", org.region_1))
    with pytest.raises(NotFound):
        report(officer, dossiers, org.region_1, 2025, 10)


def test_a_correction_keeps_the_old_value_in_the_audit_log(org, head, dossiers):
    report(head, dossiers, org.region_1, 2025, 1200)
    report(head, dossiers, org.region_1, 2025, 1250, source="Báo cáo điều chỉnh")
    assert KpiValue.objects.get().value == Decimal(1250)
    event = AuditEvent.objects.get(action="emulation.kpi_corrected")
    assert event.before == {"value": 1200.0, "source": "Báo cáo năm"}
    assert event.after == {"value": 1250.0, "source": "Báo cáo điều chỉnh"}
    assert event.actor == head
    assert AuditEvent.objects.filter(action="emulation.kpi_reported").count() == 1


def test_the_comparison_gives_percent_and_fold_change_and_none_after_zero(org, head, dossiers):
    for year, value in ((2022, 500), (2023, 0), (2024, 800), (2025, 1200)):
        report(head, dossiers, org.region_1, year, value)
    points = series_of(org.region_1)[0].points
    assert [p.change_percent for p in points] == [None, Decimal("-100.00"), None, Decimal("50.00")]
    assert [p.change_fold for p in points] == [None, Decimal("0.00"), None, Decimal("1.50")]
    assert [p.label for p in points] == ["Year 2022", "Year 2023", "Year 2024", "Year 2025"]
    assert [p.bar for p in points] == [50, 0, 80, 120]
    assert all(p.year_on_year_percent is None for p in points)


def test_a_missing_period_gives_no_change_and_a_quarter_compares_with_last_year(org, head):
    kpi = indicator(org, code="thu-tuc", kind="quarter", name="Thủ tục kết nối một cửa")
    quarters = {(2024, 2): 40, (2025, 1): 50, (2025, 2): 60}
    for (year, number), value in quarters.items():
        month = (number - 1) * 3 + 1
        start = D(year, month, 1)
        end = D(year, month + 3, 1) - datetime.timedelta(days=1)
        report(head, kpi, org.region_1, year, value, start=start, end=end)
    points = series_of(org.region_1, kpi)[0].points
    # 2025 Q1 follows 2024 Q4, which is missing
    assert [p.change_percent for p in points] == [None, None, Decimal("20.00")]
    assert [p.year_on_year_percent for p in points] == [None, None, Decimal("50.00")]
    assert points[2].year_on_year_fold == Decimal("1.50")
    assert points[2].label == "Quarter 2/2025"


def test_one_indicator_across_units_shows_each_ones_latest_value_and_change(org, dossiers):
    head_1 = account("truongkv1", ("unit_head", org.region_1))
    head_2 = account("truongkv2", ("unit_head", org.region_2))
    report(head_1, dossiers, org.region_1, 2024, 100)
    report(head_1, dossiers, org.region_1, 2025, 150)
    report(head_2, dossiers, org.region_2, 2025, 90)
    secretariat = account("thuky2", ("secretariat", org.root))
    rows = latest_by_unit(secretariat, dossiers)
    assert [(r.unit, r.value.value, r.change_percent) for r in rows] == [
        (org.region_1, Decimal(150), Decimal("50.00")),
        (org.region_2, Decimal(90), None),
    ]
    assert [r.unit for r in latest_by_unit(head_2, dossiers)] == [org.region_2]


def test_a_bulk_entry_reports_every_row_of_the_period_and_skips_blank_ones(org, head):
    served = indicator(org, code="doanh-nghiep", kind="month", name="Doanh nghiệp được phục vụ")
    files = indicator(org, code="ho-so", kind="month", name="Hồ sơ trực tuyến")
    unused = indicator(org, code="khac", kind="month", name="Chỉ tiêu khác")
    saved = services.report_values(
        acting_user=head,
        unit=org.region_1,
        kind="month",
        year=2025,
        number=2,
        entries=[
            services.Entry(served, Decimal(30), "Sổ theo dõi"),
            services.Entry(files, Decimal(400), "Hệ thống DVC"),
            services.Entry(unused, None, ""),
        ],
        today=TODAY,
    )
    assert {(v.indicator, v.period_start, v.period_end, v.value) for v in saved} == {
        (served, D(2025, 2, 1), D(2025, 2, 28), Decimal(30)),
        (files, D(2025, 2, 1), D(2025, 2, 28), Decimal(400)),
    }
    assert AuditEvent.objects.filter(action="emulation.kpi_reported").count() == 2
    # again with one value changed: one correction, the unchanged row is not written
    services.report_values(
        acting_user=head,
        unit=org.region_1,
        kind="month",
        year=2025,
        number=2,
        entries=[
            services.Entry(served, Decimal(30), "Sổ theo dõi"),
            services.Entry(files, Decimal(420), "Hệ thống DVC"),
        ],
        today=TODAY,
    )
    assert AuditEvent.objects.filter(action="emulation.kpi_corrected").count() == 1


def test_a_bulk_entry_with_one_bad_row_saves_nothing(org, head):
    served = indicator(org, code="doanh-nghiep", kind="month", name="Doanh nghiệp được phục vụ")
    files = indicator(org, code="ho-so", kind="month", name="Hồ sơ trực tuyến")
    with pytest.raises(ValidationFailed, match="Hồ sơ trực tuyến") as refused:
        services.report_values(
            acting_user=head,
            unit=org.region_1,
            kind="month",
            year=2025,
            number=3,
            entries=[
                services.Entry(served, Decimal(30), "Sổ theo dõi"),
                services.Entry(files, Decimal(400), ""),
            ],
            today=TODAY,
        )
    assert refused.value.details == {f"source_{files.pk}": ["Required."]}
    with pytest.raises(ValidationFailed, match="once it has ended"):
        services.report_values(
            acting_user=head,
            unit=org.region_1,
            kind="month",
            year=2026,
            number=11,
            entries=[services.Entry(served, Decimal(30), "Sổ")],
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="no such period"):
        services.report_values(
            acting_user=head,
            unit=org.region_1,
            kind="quarter",
            year=2025,
            number=5,
            entries=[],
            today=TODAY,
        )
    assert not KpiValue.objects.exists()


def test_only_the_secretariat_defines_indicators_and_codes_are_unique(org, dossiers):
    head = account("truongkv1", ("unit_head", org.region_1))
    with pytest.raises(NotFound):
        services.save_indicator(
            acting_user=head,
            code="x",
            name="X",
            measure="x",
            period_kind="year",
            aggregation="sum",
        )
    with pytest.raises(ValidationFailed, match="Another indicator has the code ho-so-dvc"):
        indicator(org, code="ho-so-dvc")


def test_an_edit_is_audited_and_the_period_kind_is_kept_once_values_exist(org, head, dossiers):
    secretariat = account("thuky", ("secretariat", org.root))
    dossiers = services.save_indicator(
        acting_user=secretariat,
        indicator=dossiers,
        code="ho-so-dvc",
        name="Hồ sơ DVC trực tuyến toàn trình",
        measure="hồ sơ",
        period_kind="quarter",
        aggregation="latest",
    )
    event = AuditEvent.objects.get(action="emulation.kpi_saved")
    assert (event.before["name"], event.after["name"]) == (
        "Hồ sơ dịch vụ công trực tuyến",
        "Hồ sơ DVC trực tuyến toàn trình",
    )
    report(head, dossiers, org.region_1, 0, 5, start=D(2025, 1, 1), end=D(2025, 3, 31))
    with pytest.raises(ValidationFailed, match="its period cannot change"):
        services.save_indicator(
            acting_user=secretariat,
            indicator=dossiers,
            code="ho-so-dvc",
            name="Hồ sơ",
            measure="hồ sơ",
            period_kind="year",
            aggregation="sum",
        )
    dossiers.refresh_from_db()
    assert (dossiers.period_kind, dossiers.name) == ("quarter", "Hồ sơ DVC trực tuyến toàn trình")


def test_an_indicator_used_by_a_criterion_or_reported_cannot_be_deleted(org, head, dossiers):
    secretariat = account("thuky", ("secretariat", org.root))
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
    campaign(
        org, criteria=[c for c in DEFAULT_CRITERIA if c["code"] != "culture"] + [kpi_criterion]
    )
    with pytest.raises(ValidationFailed, match="used by the criterion “Hồ sơ trực tuyến”"):
        services.delete_indicator(acting_user=secretariat, indicator=dossiers)
    served = indicator(org, code="doanh-nghiep", name="Doanh nghiệp được phục vụ")
    report(head, served, org.region_1, 2025, 10)
    with pytest.raises(ValidationFailed, match="reported 1 values"):
        services.delete_indicator(acting_user=secretariat, indicator=served)
    spare = indicator(org, code="khac", name="Chỉ tiêu khác")
    services.delete_indicator(acting_user=secretariat, indicator=spare)
    assert not KpiIndicator.objects.filter(code="khac").exists()
    assert AuditEvent.objects.get(action="emulation.kpi_deleted").before["code"] == "khac"


def test_a_kpi_criterion_scores_the_units_values_in_the_phase(org, head, dossiers):
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
    report(head, dossiers, org.region_1, 2023, 5000)  # before the phase: not counted
    report(head, dossiers, org.region_1, 2024, 600)
    report(head, dossiers, org.region_1, 2025, 900)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    detail = Standing.objects.get(phase=built.phase_1, unit=org.region_1).detail["dossiers"]
    assert (detail["raw"], detail["points"]) == (1500.0, 75.0)
    assert [v["value"] for v in detail["inputs"]["values"]] == ["600.00", "900.00"]
