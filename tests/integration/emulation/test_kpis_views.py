"""Unit KPI pages: the indicators, reporting one or several values, the comparison, scoping."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from lifelong.core.models import AuditEvent
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.emulation.services import kpis as services
from tests.factories.emulation import DEFAULT_CRITERIA, campaign
from tests.factories.org import account

pytestmark = pytest.mark.django_db

D = datetime.date


def client_of(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def rows_of(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def secretariat(org):
    return account("thuky", ("secretariat", org.root))


@pytest.fixture
def head(org):
    return account("truongkv1", ("unit_head", org.region_1))


def make(secretariat, code, name, kind="year") -> KpiIndicator:
    return services.save_indicator(
        acting_user=secretariat,
        code=code,
        name=name,
        measure="hồ sơ",
        period_kind=kind,
        aggregation="sum",
    )


def report(head, kpi, unit, start, end, value, source="Báo cáo"):
    return services.report_value(
        acting_user=head,
        indicator=kpi,
        unit=unit,
        period_start=start,
        period_end=end,
        value=Decimal(value),
        source=source,
    )


def test_the_secretariat_creates_an_indicator_and_a_bad_one_is_shown_again(secretariat):
    client = client_of(secretariat)
    form = {
        "code": "ho-so-dvc",
        "name": "Hồ sơ dịch vụ công trực tuyến",
        "measure": "hồ sơ",
        "period_kind": "quarter",
        "aggregation": "sum",
    }
    assert client.post("/emulation/kpis/", form).status_code == 302
    assert KpiIndicator.objects.get().period_kind == "quarter"
    again = client.post("/emulation/kpis/", {**form, "name": "Tên khác"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Another indicator has the code ho-so-dvc" in html
    assert 'value="Tên khác"' in html


def test_the_list_is_in_vietnamese_order_and_exports(org, secretariat, head):
    make(secretariat, "thu-tuc", "Thủ tục kết nối Cơ chế một cửa quốc gia")
    make(secretariat, "doanh-nghiep", "Doanh nghiệp được phục vụ")
    make(secretariat, "dat", "Đào tạo")
    html = client_of(head).get("/emulation/kpis/").content.decode()
    assert html.index("Doanh nghiệp") < html.index("Đào tạo") < html.index("Thủ tục")
    assert "New indicator" not in html  # only the secretariat adds
    assert 'data-testid="kpi-unit-KV01"' in html
    rows = rows_of(client_of(head).get("/emulation/kpis/?format=xlsx"))
    assert [r[0] for r in rows[1:]] == ["doanh-nghiep", "dat", "thu-tuc"]


def test_someone_without_an_emulation_capability_gets_404(org):
    officer = client_of(account("canbo", ("officer", org.region_1)))
    assert officer.get("/emulation/kpis/").status_code == 404


def test_the_secretariat_edits_and_cannot_delete_an_indicator_a_criterion_uses(org, secretariat):
    kpi = make(secretariat, "ho-so-dvc", "Hồ sơ dịch vụ công trực tuyến")
    criterion = {
        "content": 1,
        "code": "dossiers",
        "name": "Hồ sơ trực tuyến",
        "metric": "kpi",
        "kpi": kpi,
        "kind": "linear",
        "weight": Decimal(50),
        "target": Decimal(2000),
    }
    campaign(org, criteria=[c for c in DEFAULT_CRITERIA if c["code"] != "culture"] + [criterion])
    client = client_of(secretariat)
    page = client.get(f"/emulation/kpis/{kpi.pk}/edit/")
    assert 'value="Hồ sơ dịch vụ công trực tuyến"' in page.content.decode()
    saved = client.post(
        f"/emulation/kpis/{kpi.pk}/edit/",
        {
            "code": "ho-so-dvc",
            "name": "Hồ sơ DVC toàn trình",
            "measure": "hồ sơ",
            "period_kind": "year",
            "aggregation": "latest",
            "lower_is_better": "on",
        },
    )
    assert saved.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.aggregation, kpi.lower_is_better) == (
        "Hồ sơ DVC toàn trình",
        "latest",
        True,
    )
    refused = client.post(f"/emulation/kpis/{kpi.pk}/delete/", follow=True)
    assert "used by the criterion “Hồ sơ trực tuyến”" in refused.content.decode()
    assert KpiIndicator.objects.filter(pk=kpi.pk).exists()
    spare = make(secretariat, "khac", "Chỉ tiêu khác")
    assert client.post(f"/emulation/kpis/{spare.pk}/delete/").status_code == 302
    assert not KpiIndicator.objects.filter(pk=spare.pk).exists()


def test_a_unit_head_cannot_edit_or_delete_an_indicator(secretariat, head):
    kpi = make(secretariat, "ho-so-dvc", "Hồ sơ dịch vụ công trực tuyến")
    client = client_of(head)
    assert client.get(f"/emulation/kpis/{kpi.pk}/edit/").status_code == 404
    assert client.post(f"/emulation/kpis/{kpi.pk}/delete/").status_code == 404
    assert client.post("/emulation/kpis/", {"code": "x"}).status_code == 404


def test_a_head_reports_a_value_by_year_and_number_and_a_wrong_one_is_shown_again(
    org, secretariat, head
):
    kpi = make(secretariat, "thu-tuc", "Thủ tục kết nối một cửa", kind="quarter")
    client = client_of(head)
    url = f"/emulation/kpis/units/{org.region_1.pk}/report/"
    form = {"indicator": kpi.pk, "year": 2025, "number": 2, "value": "35", "source": "Báo cáo quý"}
    assert client.post(url, form).status_code == 302
    row = KpiValue.objects.get()
    assert (row.period_start, row.period_end) == (D(2025, 4, 1), D(2025, 6, 30))
    wrong = client.post(url, {**form, "number": 5, "value": "36"})
    assert wrong.status_code == 400
    assert "has no period 5" in wrong.content.decode()
    assert 'value="36"' in wrong.content.decode()
    assert client.post(url, {**form, "value": "nhiều"}).status_code == 400
    future = client.post(url, {**form, "year": 2100})
    assert "once it has ended" in future.content.decode()
    assert client.post(url, {**form, "source": ""}).status_code == 400
    assert KpiValue.objects.get().value == Decimal(35)


def test_the_head_of_region_1_cannot_report_or_see_region_2(org, secretariat, head):
    kpi = make(secretariat, "ho-so-dvc", "Hồ sơ dịch vụ công trực tuyến")
    client = client_of(head)
    form = {"indicator": kpi.pk, "year": 2025, "number": 1, "value": "1", "source": "x"}
    region_2 = org.region_2.pk
    assert client.post(f"/emulation/kpis/units/{region_2}/report/", form).status_code == 404
    assert client.get(f"/emulation/kpis/units/{region_2}/bulk/").status_code == 404
    assert client.get(f"/emulation/kpis/units/{region_2}/").status_code == 404
    assert not KpiValue.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_a_bulk_entry_shows_one_row_per_indicator_of_the_kind_and_saves_them(
    org, secretariat, head
):
    served = make(secretariat, "doanh-nghiep", "Doanh nghiệp được phục vụ", kind="month")
    files = make(secretariat, "ho-so", "Hồ sơ trực tuyến", kind="month")
    make(secretariat, "nam", "Chỉ tiêu năm", kind="year")
    client = client_of(head)
    url = f"/emulation/kpis/units/{org.region_1.pk}/bulk/?kind=month&year=2025&number=2"
    html = client.get(url).content.decode()
    assert "Month 2/2025" in html and "01/02/2025 – 28/02/2025" in html
    assert 'data-testid="kpi-row-doanh-nghiep"' in html and "kpi-row-nam" not in html
    bad = client.post(
        url,
        {
            f"value_{served.pk}": "30",
            f"source_{served.pk}": "Sổ theo dõi",
            f"value_{files.pk}": "400",
            f"source_{files.pk}": "",
        },
    )
    assert bad.status_code == 400
    assert 'value="30"' in bad.content.decode()
    assert not KpiValue.objects.exists()
    done = client.post(
        url,
        {
            f"value_{served.pk}": "30",
            f"source_{served.pk}": "Sổ theo dõi",
            f"value_{files.pk}": "400",
            f"source_{files.pk}": "Hệ thống DVC",
        },
    )
    assert done.status_code == 302
    assert sorted(KpiValue.objects.values_list("value", flat=True)) == [30, 400]
    again = client.get(url).content.decode()
    assert 'value="400' in again  # already reported values are shown for correction


def test_the_comparison_shows_changes_year_on_year_and_exports(org, secretariat, head):
    kpi = make(secretariat, "ho-so", "Hồ sơ trực tuyến", kind="half")
    for start, end, value in (
        (D(2024, 1, 1), D(2024, 6, 30), 100),
        (D(2024, 7, 1), D(2024, 12, 31), 0),
        (D(2025, 1, 1), D(2025, 6, 30), 150),
    ):
        report(head, kpi, org.region_1, start, end, value)
    client = client_of(head)
    html = client.get(f"/emulation/kpis/units/{org.region_1.pk}/").content.decode()
    assert "Half-year 1/2025" in html
    assert "+50%" in html and "1.50×" in html  # the same half a year earlier
    rows = rows_of(client.get(f"/emulation/kpis/units/{org.region_1.pk}/?format=xlsx"))
    assert rows[0][:3] == ["Indicator", "Unit of measure", "Period"]
    assert rows[3][2:] == [
        "Half-year 1/2025",
        "01/01/2025",
        "30/06/2025",
        150.0,
        None,  # after a value of 0: no change
        None,
        50.0,
        1.5,
        "Báo cáo",
    ]


def test_one_indicator_across_the_units_the_user_sees(org, secretariat, head):
    kpi = make(secretariat, "ho-so", "Hồ sơ trực tuyến")
    head_2 = account("truongkv2", ("unit_head", org.region_2))
    report(head, kpi, org.region_1, D(2024, 1, 1), D(2024, 12, 31), 80)
    report(head, kpi, org.region_1, D(2025, 1, 1), D(2025, 12, 31), 100)
    report(head_2, kpi, org.region_2, D(2025, 1, 1), D(2025, 12, 31), 70)
    seen = client_of(secretariat).get(f"/emulation/kpis/{kpi.pk}/").content.decode()
    assert seen.index("khu vực I<") < seen.index("khu vực II<")
    assert "+25" in seen
    own = client_of(head).get(f"/emulation/kpis/{kpi.pk}/").content.decode()
    assert "khu vực II" not in own
    rows = rows_of(client_of(secretariat).get(f"/emulation/kpis/{kpi.pk}/?format=xlsx"))
    assert [r[:5] for r in rows[1:]] == [
        ["Chi cục Hải quan khu vực I", "Year 2025", 100.0, 25.0, 1.25],
        ["Chi cục Hải quan khu vực II", "Year 2025", 70.0, None, None],
    ]


def test_the_menu_shows_unit_kpis_to_those_who_see_emulation(org, head):
    html = client_of(head).get("/emulation/kpis/").content.decode()
    assert 'href="/emulation/kpis/"' in html
    officer = client_of(account("canbo", ("officer", org.region_1)))
    assert 'href="/emulation/kpis/"' not in officer.get("/").content.decode()
