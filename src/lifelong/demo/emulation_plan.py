"""The demo's emulation campaign, decided from the seed and the organisation: pure data.

The campaign of the customs administration's 2024-2030 learning-society plan, with its two
phases and five contents; the regional sub-departments compete in two clusters, the
headquarters departments and the customs school in a block. Criteria use every metric the
system measures, and one evidence criterion in two contents; phase 2 raises the targets.
KPIs are reported by every competing unit (quarterly dossiers, half-yearly procedures,
yearly enterprises), growing over time with noise; units register every year (one regional
sub-department did not in 2025), a few officers in each unit register too; units assess
themselves on the evidence criteria, and the secretariat reviews most of them.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CAMPAIGN_NAME",
    "CONTENTS",
    "CRITERIA",
    "KPIS",
    "PHASES",
    "AssessmentSpec",
    "CompetitorFacts",
    "CriterionSpec",
    "KpiSpec",
    "KpiValueSpec",
    "RegistrationSpec",
    "clusters_of",
    "plan_assessments",
    "plan_kpi_values",
    "plan_registrations",
]

CAMPAIGN_NAME = "Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2024-2030"
CAMPAIGN_DESCRIPTION = (
    "Phong trào thi đua của ngành Hải quan hưởng ứng Kế hoạch xây dựng xã hội học tập giai "
    "đoạn 2024-2030: mỗi công chức học tập thường xuyên, mỗi đơn vị là một tổ chức học tập."
)
# (name, first day, last day)
PHASES = (
    ("Giai đoạn 2024-2025", datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),
    ("Giai đoạn 2026-2030", datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)),
)
# (movement content code, name, weight)
CONTENTS = (
    ("law_policy", "Học tập, phổ biến pháp luật và chính sách", Decimal(20)),
    ("digital_data", "Chuyển đổi số và khai thác dữ liệu", Decimal(20)),
    ("job_position", "Đào tạo, bồi dưỡng gắn với vị trí việc làm", Decimal(25)),
    ("international", "Hội nhập quốc tế và luân chuyển, học tập kinh nghiệm", Decimal(15)),
    ("self_study", "Tự học, sáng kiến và văn hóa học tập", Decimal(20)),
)


@dataclass(frozen=True)
class KpiSpec:
    """An indicator the units report."""

    code: str
    name: str
    measure: str
    period_kind: str
    aggregation: str
    per_head: float  # a unit's value per officer and period at the start (2024)
    growth: float  # growth per year


KPIS = (
    KpiSpec(
        "ho-so-dvc-truc-tuyen",
        "Hồ sơ dịch vụ công trực tuyến đã xử lý",
        "hồ sơ",
        "quarter",
        "sum",
        55.0,
        0.18,
    ),
    KpiSpec(
        "thu-tuc-mot-cua-quoc-gia",
        "Thủ tục hành chính kết nối Cơ chế một cửa quốc gia",
        "thủ tục",
        "half",
        "latest",
        0.0,
        0.12,
    ),
    KpiSpec(
        "doanh-nghiep-duoc-phuc-vu",
        "Doanh nghiệp được phục vụ",
        "doanh nghiệp",
        "year",
        "sum",
        9.0,
        0.06,
    ),
)


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion of the demo, with its targets in phase 1 and phase 2."""

    content: int  # index in CONTENTS
    code: str
    name: str
    metric: str
    kind: str
    weight: Decimal
    subject: str = "units"
    targets: tuple[Decimal | None, Decimal | None] = (None, None)
    steps: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]] = ((), ())
    normalisation: str = "none"
    kpi: str = ""


CRITERIA = (
    CriterionSpec(
        0,
        "gio-hoc-binh-quan",
        "Số giờ học bình quân mỗi công chức mỗi năm",
        "hours_per_head",
        "linear",
        Decimal(60),
        "both",
        (Decimal(30), Decimal(35)),
    ),
    CriterionSpec(
        0,
        "pho-bien-phap-luat",
        "Tổ chức quán triệt, phổ biến văn bản pháp luật mới (minh chứng)",
        "evidence",
        "assessed",
        Decimal(40),
    ),
    CriterionSpec(
        1,
        "ngoai-ngu-du-lieu",
        "Tỷ lệ công chức có ngoại ngữ B1 trở lên hoặc kỹ năng dữ liệu",
        "language_or_data_share",
        "thresholds",
        Decimal(50),
        steps=(((10, 50), (25, 80), (40, 100)), ((15, 50), (30, 80), (50, 100))),
    ),
    CriterionSpec(
        1,
        "ho-so-dvc",
        "Hồ sơ dịch vụ công trực tuyến trên 100 công chức",
        "kpi",
        "linear",
        Decimal(50),
        targets=(Decimal(45000), Decimal(150000)),
        normalisation="per_100",
        kpi="ho-so-dvc-truc-tuyen",
    ),
    CriterionSpec(
        2,
        "dat-chi-tieu-nam",
        "Tỷ lệ công chức đạt chỉ tiêu học tập năm",
        "target_share",
        "thresholds",
        Decimal(60),
        "both",
        steps=(((40, 50), (60, 80), (80, 100)), ((50, 50), (70, 80), (90, 100))),
    ),
    CriterionSpec(
        2,
        "chung-chi",
        "Chứng chỉ đạt được trên 100 công chức",
        "certificates",
        "linear",
        Decimal(40),
        targets=(Decimal(8), Decimal(12)),
        normalisation="per_100",
    ),
    CriterionSpec(
        3,
        "giang-vien-wco",
        "Giảng viên được WCO công nhận (xếp hạng trong cụm)",
        "wco_instructors",
        "rank",
        Decimal(50),
    ),
    CriterionSpec(
        3,
        "mot-cua-quoc-gia",
        "Thủ tục kết nối Cơ chế một cửa quốc gia",
        "kpi",
        "linear",
        Decimal(50),
        targets=(Decimal(40), Decimal(60)),
        kpi="thu-tuc-mot-cua-quoc-gia",
    ),
    CriterionSpec(
        4,
        "sang-kien",
        "Sáng kiến được công nhận trên 100 công chức",
        "initiatives",
        "linear",
        Decimal(40),
        targets=(Decimal(2), Decimal(3)),
        normalisation="per_100",
    ),
    CriterionSpec(
        4,
        "van-hoa-hoc-tap",
        "Xây dựng văn hóa học tập, thư viện số tại đơn vị (minh chứng)",
        "evidence",
        "assessed",
        Decimal(30),
    ),
    CriterionSpec(
        4,
        "sang-kien-ca-nhan",
        "Sáng kiến của cá nhân được công nhận",
        "initiatives",
        "thresholds",
        Decimal(30),
        "people",
        steps=(((1, 100),), ((1, 100),)),
    ),
)


@dataclass(frozen=True)
class CompetitorFacts:
    """A competing unit as the plan sees it."""

    code: str
    kind: str
    headcount: int


def clusters_of(competitors: list[CompetitorFacts]) -> list[tuple[str, str, list[str]]]:
    """Return (name, kind, unit codes) of the clusters: regions in two, the rest in a block."""
    regions = sorted(c.code for c in competitors if c.kind == "regional")
    others = sorted(c.code for c in competitors if c.kind != "regional")
    half = (len(regions) + 1) // 2
    clusters = [
        ("Cụm thi đua số 1 - các chi cục hải quan khu vực", "cluster", regions[:half]),
        ("Cụm thi đua số 2 - các chi cục hải quan khu vực", "cluster", regions[half:]),
        ("Khối các đơn vị tham mưu và đào tạo", "block", others),
    ]
    return [c for c in clusters if c[2]]


@dataclass(frozen=True)
class KpiValueSpec:
    """A unit's value of an indicator for one period."""

    kpi: str
    unit: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    source: str


def _periods(kind: str, today: datetime.date) -> list[tuple[datetime.date, datetime.date, str]]:
    """Return the periods of `kind` from 2024 ended before `today`, with their reports' names."""
    months = {"quarter": 3, "half": 6, "year": 12}[kind]
    found: list[tuple[datetime.date, datetime.date, str]] = []
    year, month = 2024, 1
    while True:
        start = datetime.date(year, month, 1)
        end_month = month + months - 1
        end = (
            datetime.date(year, 12, 31)
            if end_month == 12
            else (datetime.date(year, end_month + 1, 1) - datetime.timedelta(days=1))
        )
        if end >= today:
            return found
        number = (month - 1) // months + 1
        name = {
            "quarter": f"quý {number} năm {year}",
            "half": f"{'sơ kết 6 tháng đầu' if number == 1 else '6 tháng cuối'} năm {year}",
            "year": f"tổng kết năm {year}",
        }[kind]
        found.append((start, end, name))
        month += months
        if month > 12:
            year, month = year + 1, 1


def plan_kpi_values(
    rng: random.Random, competitors: list[CompetitorFacts], today: datetime.date
) -> list[KpiValueSpec]:
    """Return every competing unit's KPI values for the closed periods since 2024."""
    values = []
    for spec in KPIS:
        for unit in competitors:
            level = rng.uniform(0.7, 1.3)
            procedures = rng.randint(18, 45)
            for start, end, name in _periods(spec.period_kind, today):
                years = (start - datetime.date(2024, 1, 1)).days / 365.25
                growth = (1 + spec.growth) ** years
                if spec.per_head:
                    amount = spec.per_head * max(unit.headcount, 1) * level * growth
                    amount *= rng.uniform(0.9, 1.1)
                else:  # procedures connected: a count that grows, not per head
                    amount = procedures * growth + rng.randint(0, 3)
                values.append(
                    KpiValueSpec(
                        spec.code,
                        unit.code,
                        start,
                        end,
                        Decimal(round(amount)),
                        f"Báo cáo {name} của đơn vị",
                    )
                )
    return values


@dataclass(frozen=True)
class RegistrationSpec:
    """A registration: of a unit (code) or of an officer (officer code)."""

    year: int
    unit: str
    officer: str
    status: str
    commitments: str


UNIT_COMMITMENTS = (
    "Đơn vị cam kết 100% công chức xây dựng kế hoạch học tập năm; bình quân mỗi công chức học "
    "tập ít nhất {hours} giờ; mỗi phòng, đội có ít nhất một sáng kiến hoặc cách làm hay."
)
PERSON_COMMITMENTS = (
    "Tôi cam kết hoàn thành kế hoạch học tập năm, tối thiểu {hours} giờ, và chia sẻ kiến thức "
    "đã học với đồng nghiệp trong đội."
)


def plan_registrations(
    rng: random.Random,
    competitors: list[CompetitorFacts],
    officers: dict[str, list[str]],
    today: datetime.date,
) -> list[RegistrationSpec]:
    """Return the units' and some officers' registrations for 2024 up to this year.

    `officers` maps a competing unit's code to its officers' codes. One regional
    sub-department did not register for 2025 (recorded); this year's are partly awaiting
    approval.
    """
    regions = sorted(c.code for c in competitors if c.kind == "regional")
    missed = regions[rng.randrange(len(regions))] if regions else ""
    found = []
    for year in range(2024, today.year + 1):
        hours = 30 if year < 2026 else 35
        for unit in competitors:
            if year == 2025 and unit.code == missed:
                found.append(RegistrationSpec(year, unit.code, "", "not_registered", ""))
                continue
            status = "approved" if year < today.year or rng.random() < 0.7 else "submitted"
            found.append(
                RegistrationSpec(year, unit.code, "", status, UNIT_COMMITMENTS.format(hours=hours))
            )
        if year < 2025:
            continue
        for _unit, codes in sorted(officers.items()):
            for code in codes:
                if rng.random() < 0.04:
                    found.append(
                        RegistrationSpec(
                            year, "", code, "approved", PERSON_COMMITMENTS.format(hours=hours)
                        )
                    )
    return found


@dataclass(frozen=True)
class AssessmentSpec:
    """A unit's self-assessment on an evidence criterion and its review."""

    phase: int  # index in PHASES
    code: str
    unit: str
    self_points: Decimal
    explanation: str
    link: str
    status: str
    reviewed_points: Decimal | None
    review_reason: str


EXPLANATIONS = {
    "pho-bien-phap-luat": (
        "Tổ chức {n} hội nghị quán triệt Luật Hải quan sửa đổi và các nghị định hướng dẫn; "
        "100% công chức tham dự, có biên bản và danh sách ký."
    ),
    "van-hoa-hoc-tap": (
        "Duy trì tủ sách pháp luật và thư viện số với {n} đầu tài liệu; sinh hoạt chuyên đề "
        "hằng tháng 'Mỗi tháng một chủ đề'."
    ),
}
ADJUST_REASONS = (
    "Minh chứng chưa đầy đủ: thiếu biên bản của một số đội.",
    "Số liệu tự chấm cao hơn báo cáo tổng kết của đơn vị.",
    "Hoạt động thực hiện sau thời điểm kết thúc giai đoạn, chỉ tính một phần.",
)


def plan_assessments(
    rng: random.Random, competitors: list[CompetitorFacts]
) -> list[AssessmentSpec]:
    """Return the units' self-assessments on the evidence criteria of both phases."""
    codes = [c.code for c in CRITERIA if c.metric == "evidence"]
    found = []
    for unit in competitors:
        for phase in (0, 1):
            for code in codes:
                if rng.random() > (0.92 if phase == 0 else 0.4):
                    continue
                own = Decimal(rng.randint(70, 100))
                roll = rng.random()
                if phase == 1 or roll < 0.1:
                    status, reviewed, reason = "submitted", None, ""
                elif roll < 0.3:
                    status = "adjusted"
                    reviewed = own - Decimal(rng.randint(5, 25))
                    reason = ADJUST_REASONS[rng.randrange(len(ADJUST_REASONS))]
                else:
                    status, reviewed, reason = "accepted", own, ""
                found.append(
                    AssessmentSpec(
                        phase,
                        code,
                        unit.code,
                        own,
                        EXPLANATIONS[code].format(n=rng.randint(3, 40)),
                        f"https://vanban.example.vn/{unit.code.lower()}/{code}-{phase + 1}",
                        status,
                        reviewed,
                        reason,
                    )
                )
    return found
