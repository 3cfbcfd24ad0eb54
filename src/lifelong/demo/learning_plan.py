"""Plan the demo's learning: catalogue, instructors, classes and 2024-2026 history, as plain data.

Pure generation (standard library only, no database): the same seed and officers give the same
catalogue, classes, enrolments, e-learning attempts, self-study and certificates, drawn from
one `random.Random`. `learning_builder.py` writes the plan: the catalogue as rows, every
learning event as an xAPI statement through the store's bulk path.

Each officer gets a yearly engagement: most come near the 30-hour target, some far below, some
above; 2026 (the current year, up to `HISTORY_UNTIL`) is partly done. `--history full` adds
the fine-grained statements an LMS sends besides completions (launched, experienced,
answered, terminated): stored, never counted.
"""

import datetime
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "COURSES",
    "HISTORY_UNTIL",
    "HISTORY_YEARS",
    "LMS_CLIENT_NAME",
    "LMS_HOME",
    "PROGRAMMES",
    "TOPICS",
    "ClassSpec",
    "CourseSpec",
    "ElearningSpec",
    "EnrolmentSpec",
    "ExternalCertificateSpec",
    "InstructorSpec",
    "OfficerFacts",
    "OfficerHistory",
    "SelfStudySpec",
    "plan_classes",
    "plan_history",
    "plan_instructors",
]

HISTORY_YEARS = (2024, 2025, 2026)
# "Today" of the demo's history: a fixed day, so a seed gives the same demo whatever day it is
# built. 2026 is done up to here.
HISTORY_UNTIL = datetime.date(2026, 11, 22)
TARGET_HOURS = 30.0
LMS_CLIENT_NAME = "Trường Hải quan LMS"
LMS_HOME = "https://lms.truonghaiquan.demo.test"
CLIKC_HOME = "https://clikc.wco.demo.test"
HUNDREDTH = Decimal("0.01")

#
# The catalogue
#

# code, name, English name
TOPICS: tuple[tuple[str, str, str], ...] = (
    ("hs", "Phân loại hàng hóa (HS)", "HS classification"),
    ("valuation", "Trị giá hải quan", "Customs valuation"),
    ("origin", "Xuất xứ hàng hóa", "Rules of origin"),
    ("pca", "Kiểm tra sau thông quan", "Post-clearance audit"),
    ("risk", "Quản lý rủi ro", "Risk management"),
    ("emanifest", "Manifest điện tử", "E-manifest"),
    ("vnaccs", "VNACCS/VCIS", "VNACCS/VCIS"),
    ("data", "Phân tích dữ liệu", "Data analysis"),
    ("ai", "Trí tuệ nhân tạo", "Artificial intelligence"),
    ("english", "Tiếng Anh chuyên ngành", "English for customs"),
    ("ethics", "Đạo đức công vụ", "Public-service ethics"),
    ("party", "Lý luận chính trị", "Political theory"),
    ("management", "Quản lý nhà nước", "State management"),
    ("law", "Pháp luật hải quan", "Customs law"),
    ("tax", "Thuế xuất nhập khẩu", "Import and export duties"),
    ("smuggling", "Chống buôn lậu", "Anti-smuggling"),
    ("drugs", "Phòng, chống ma túy", "Drug control"),
    ("ipr", "Sở hữu trí tuệ", "Intellectual property"),
    ("cyber", "An toàn thông tin", "Information security"),
    ("defence", "Quốc phòng và an ninh", "Defence and security"),
    ("digital", "Chuyển đổi số", "Digital transformation"),
    ("skills", "Kỹ năng mềm", "Soft skills"),
)

CS, UN, WCO, EXT = "customs_school", "unit", "wco_clikc", "external"
ROOM, ELN, MIX, SEM, SELF, OUT = (
    "classroom",
    "elearning",
    "blended",
    "seminar",
    "self_study",
    "external",
)


@dataclass(frozen=True)
class CourseSpec:
    """A catalogue course; `lms` courses are taken on the school's LMS (e-learning)."""

    code: str
    title: str
    title_en: str
    periods: int
    level: str
    provider: str
    delivery: str
    category: str
    contents: tuple[str, ...]
    topics: tuple[str, ...]
    certificate_months: int | None = None
    provider_name: str = ""

    @property
    def hours(self) -> Decimal:
        """Return the course's clock hours (1 period = 45 minutes)."""
        return (Decimal(self.periods) * 45 / 60).quantize(HUNDREDTH, ROUND_HALF_UP)

    @property
    def lms(self) -> bool:
        """Whether the course is taken on an e-learning platform."""
        return self.delivery == ELN

    @property
    def taught(self) -> bool:
        """Whether the course runs as classes."""
        return self.delivery in {ROOM, MIX, SEM}


def _course(
    code: str,
    title: str,
    title_en: str,
    periods: int,
    level: str,
    provider: str,
    delivery: str,
    category: str,
    contents: str,
    topics: str,
    certificate_months: int | None = None,
) -> CourseSpec:
    names = {CS: "Trường Hải quan Việt Nam", WCO: "WCO CLiKC!", EXT: "Học viện Hành chính Quốc gia"}
    return CourseSpec(
        code=code,
        title=title,
        title_en=title_en,
        periods=periods,
        level=level,
        provider=provider,
        delivery=delivery,
        category=category,
        contents=tuple(contents.split()),
        topics=tuple(topics.split()),
        certificate_months=certificate_months,
        provider_name=names.get(provider, ""),
    )


B, I, A = "basic", "intermediate", "advanced"  # noqa: E741 - the levels' initials
JOB, DIG, STATE, POL, DEF, OTH = (
    "job_skills",
    "digital_skills",
    "state_management",
    "political_theory",
    "defence_security",
    "other",
)

COURSES: tuple[CourseSpec, ...] = (
    # Training tied to job positions (classroom and blended, the customs school and units).
    _course(
        "NV-HS01",
        "Phân loại hàng hóa theo Danh mục HS 2022",
        "HS 2022 classification",
        32,
        B,
        CS,
        ROOM,
        JOB,
        "job_position law_policy",
        "hs",
        36,
    ),
    _course(
        "NV-HS02",
        "Phân loại hàng hóa nâng cao: máy móc, thiết bị và hóa chất",
        "Advanced HS: machinery and chemicals",
        24,
        A,
        CS,
        MIX,
        JOB,
        "job_position",
        "hs",
    ),
    _course(
        "NV-TG01",
        "Xác định trị giá hải quan theo Hiệp định GATT/WTO",
        "Customs valuation under the WTO agreement",
        32,
        I,
        CS,
        ROOM,
        JOB,
        "job_position law_policy",
        "valuation",
        36,
    ),
    _course(
        "NV-TG02",
        "Tham vấn trị giá và kiểm tra trị giá khai báo",
        "Valuation consultation and control",
        16,
        A,
        UN,
        ROOM,
        JOB,
        "job_position",
        "valuation",
    ),
    _course(
        "NV-XX01",
        "Quy tắc xuất xứ trong các FTA thế hệ mới (CPTPP, EVFTA, RCEP)",
        "Rules of origin in new FTAs",
        24,
        I,
        CS,
        MIX,
        JOB,
        "job_position international",
        "origin",
    ),
    _course(
        "NV-XX02",
        "Kiểm tra, xác minh chứng từ chứng nhận xuất xứ",
        "Verifying proofs of origin",
        16,
        I,
        UN,
        SEM,
        JOB,
        "job_position",
        "origin",
    ),
    _course(
        "NV-KT01",
        "Kiểm tra sau thông quan: quy trình và kỹ năng",
        "Post-clearance audit: procedure and skills",
        40,
        I,
        CS,
        ROOM,
        JOB,
        "job_position",
        "pca",
        36,
    ),
    _course(
        "NV-KT02",
        "Kiểm tra sau thông quan tại trụ sở doanh nghiệp",
        "On-site post-clearance audit",
        24,
        A,
        UN,
        ROOM,
        JOB,
        "job_position",
        "pca",
    ),
    _course(
        "NV-RR01",
        "Quản lý rủi ro trong thủ tục hải quan",
        "Risk management in customs procedures",
        24,
        I,
        CS,
        ROOM,
        JOB,
        "job_position digital_data",
        "risk",
    ),
    _course(
        "NV-RR02",
        "Xây dựng hồ sơ rủi ro và tiêu chí phân luồng",
        "Risk profiles and selectivity criteria",
        16,
        A,
        UN,
        SEM,
        JOB,
        "job_position digital_data",
        "risk",
    ),
    _course(
        "NV-GS01",
        "Giám sát hải quan đối với hàng hóa quá cảnh, chuyển cảng",
        "Customs control of goods in transit",
        16,
        I,
        UN,
        ROOM,
        JOB,
        "job_position",
        "law",
    ),
    _course(
        "NV-KS01",
        "Nghiệp vụ kiểm soát hải quan và chống buôn lậu",
        "Customs enforcement and anti-smuggling",
        40,
        I,
        CS,
        ROOM,
        JOB,
        "job_position",
        "smuggling",
        36,
    ),
    _course(
        "NV-KS02",
        "Phòng, chống ma túy qua biên giới",
        "Cross-border drug control",
        24,
        A,
        UN,
        ROOM,
        JOB,
        "job_position international",
        "drugs",
    ),
    _course(
        "NV-SH01",
        "Kiểm soát hàng giả và bảo vệ quyền sở hữu trí tuệ",
        "Counterfeits and IPR border measures",
        16,
        I,
        UN,
        SEM,
        JOB,
        "job_position law_policy",
        "ipr",
    ),
    _course(
        "NV-TH01",
        "Quản lý thuế xuất khẩu, nhập khẩu",
        "Import and export duty administration",
        32,
        B,
        CS,
        ROOM,
        JOB,
        "job_position law_policy",
        "tax",
    ),
    _course(
        "NV-TH02",
        "Miễn, giảm, hoàn thuế và không thu thuế",
        "Duty relief, refunds and exemptions",
        16,
        I,
        UN,
        SEM,
        JOB,
        "job_position law_policy",
        "tax",
    ),
    _course(
        "NV-TT01",
        "Thủ tục hải quan điện tử cho công chức mới",
        "E-customs procedures for new officers",
        40,
        B,
        CS,
        ROOM,
        JOB,
        "job_position",
        "vnaccs law",
        24,
    ),
    _course(
        "NV-KD01",
        "Kiểm định, phân tích, phân loại hàng hóa",
        "Laboratory analysis for classification",
        24,
        A,
        UN,
        ROOM,
        JOB,
        "job_position",
        "hs",
    ),
    # Law and policy.
    _course(
        "PL-LHQ01",
        "Luật Hải quan và các văn bản hướng dẫn mới",
        "The Customs Law and new regulations",
        16,
        B,
        CS,
        MIX,
        JOB,
        "law_policy",
        "law",
    ),
    _course(
        "PL-TT01",
        "Thông tư 121/2025/TT-BTC về thủ tục hải quan",
        "Circular 121/2025 on customs procedures",
        8,
        B,
        UN,
        SEM,
        JOB,
        "law_policy",
        "law",
    ),
    _course(
        "PL-XL01",
        "Xử phạt vi phạm hành chính trong lĩnh vực hải quan",
        "Administrative penalties in customs",
        16,
        I,
        CS,
        ROOM,
        STATE,
        "law_policy",
        "law",
    ),
    _course(
        "PL-KN01",
        "Giải quyết khiếu nại, tố cáo trong ngành Hải quan",
        "Handling complaints and denunciations",
        12,
        I,
        UN,
        SEM,
        STATE,
        "law_policy",
        "law management",
    ),
    _course(
        "PL-PC01",
        "Phòng, chống tham nhũng, tiêu cực",
        "Preventing corruption",
        8,
        B,
        UN,
        SEM,
        STATE,
        "law_policy",
        "ethics",
    ),
    # Digital transformation and data (e-learning on the LMS, some classroom).
    _course(
        "CS-VN01",
        "Hệ thống VNACCS/VCIS: khai báo và xử lý tờ khai",
        "VNACCS/VCIS: declarations",
        12,
        B,
        CS,
        ELN,
        DIG,
        "digital_data job_position",
        "vnaccs",
    ),
    _course(
        "CS-MF01",
        "Manifest điện tử và Cơ chế một cửa quốc gia",
        "E-manifest and the National Single Window",
        8,
        B,
        CS,
        ELN,
        DIG,
        "digital_data",
        "emanifest vnaccs",
    ),
    _course(
        "CS-DL01",
        "Phân tích dữ liệu với Excel và Power BI",
        "Data analysis with Excel and Power BI",
        16,
        B,
        CS,
        ELN,
        DIG,
        "digital_data",
        "data",
    ),
    _course(
        "CS-DL02",
        "Phân tích dữ liệu hải quan với SQL và Python",
        "Customs data analysis with SQL and Python",
        32,
        I,
        CS,
        MIX,
        DIG,
        "digital_data",
        "data",
        24,
    ),
    _course(
        "CS-DL03",
        "Thống kê hải quan và chất lượng dữ liệu",
        "Customs statistics and data quality",
        12,
        I,
        UN,
        ELN,
        DIG,
        "digital_data job_position",
        "data",
    ),
    _course(
        "CS-AI01",
        "Ứng dụng trí tuệ nhân tạo trong công việc",
        "AI at work",
        8,
        B,
        CS,
        ELN,
        DIG,
        "digital_data self_study",
        "ai",
    ),
    _course(
        "CS-AI02",
        "Trí tuệ nhân tạo trong quản lý rủi ro hải quan",
        "AI in customs risk management",
        16,
        A,
        CS,
        SEM,
        DIG,
        "digital_data job_position",
        "ai risk",
    ),
    _course(
        "CS-ATTT01",
        "An toàn thông tin cho công chức",
        "Information security for officers",
        6,
        B,
        UN,
        ELN,
        DIG,
        "digital_data",
        "cyber",
    ),
    _course(
        "CS-CDS01",
        "Chuyển đổi số ngành Hải quan: Hải quan số, Hải quan thông minh",
        "Digital and smart customs",
        8,
        B,
        CS,
        ELN,
        DIG,
        "digital_data",
        "digital",
    ),
    _course(
        "CS-VP01",
        "Kỹ năng số văn phòng: văn bản điện tử và chữ ký số",
        "Digital office skills",
        6,
        B,
        UN,
        ELN,
        DIG,
        "digital_data",
        "digital",
    ),
    _course(
        "CS-KHO01",
        "Hệ thống giám sát kho, bãi, cảng (VASSCM)",
        "Automated warehouse and port control (VASSCM)",
        8,
        I,
        CS,
        ELN,
        DIG,
        "digital_data job_position",
        "vnaccs",
    ),
    # International practice and rotation.
    _course(
        "QT-EN01",
        "Tiếng Anh chuyên ngành hải quan (B1)",
        "English for customs (B1)",
        60,
        I,
        CS,
        MIX,
        JOB,
        "international",
        "english",
        24,
    ),
    _course(
        "QT-EN02",
        "Tiếng Anh chuyên ngành hải quan (B2)",
        "English for customs (B2)",
        60,
        A,
        CS,
        MIX,
        JOB,
        "international",
        "english",
        24,
    ),
    _course(
        "QT-WCO01",
        "Công ước Kyoto sửa đổi",
        "The Revised Kyoto Convention",
        8,
        I,
        WCO,
        ELN,
        JOB,
        "international law_policy",
        "law",
    ),
    _course(
        "QT-WCO02",
        "Khung tiêu chuẩn SAFE của WCO",
        "The WCO SAFE Framework of Standards",
        6,
        I,
        WCO,
        ELN,
        JOB,
        "international",
        "risk",
    ),
    _course(
        "QT-WCO03",
        "Hệ thống hài hòa (HS) - khóa học trực tuyến của WCO",
        "Harmonized System (WCO e-learning)",
        10,
        B,
        WCO,
        ELN,
        JOB,
        "international job_position",
        "hs",
    ),
    _course(
        "QT-WCO04",
        "Trị giá hải quan - khóa học trực tuyến của WCO",
        "Customs valuation (WCO e-learning)",
        10,
        B,
        WCO,
        ELN,
        JOB,
        "international job_position",
        "valuation",
    ),
    _course(
        "QT-WCO05",
        "Xuất xứ hàng hóa - khóa học trực tuyến của WCO",
        "Rules of origin (WCO e-learning)",
        8,
        B,
        WCO,
        ELN,
        JOB,
        "international job_position",
        "origin",
    ),
    _course(
        "QT-WCO06",
        "Chương trình Doanh nghiệp ưu tiên (AEO)",
        "Authorised Economic Operators",
        6,
        I,
        WCO,
        ELN,
        JOB,
        "international",
        "risk",
    ),
    _course(
        "QT-HT01",
        "Hội nhập quốc tế và hợp tác hải quan ASEAN",
        "ASEAN customs cooperation",
        12,
        I,
        CS,
        SEM,
        JOB,
        "international",
        "law",
    ),
    _course(
        "QT-LC01",
        "Chuẩn bị luân chuyển, biệt phái công chức",
        "Preparing for rotation and secondment",
        8,
        B,
        UN,
        SEM,
        STATE,
        "international job_position",
        "management",
    ),
    # Political theory, state management, defence and security.
    _course(
        "CT-NQ01",
        "Học tập, quán triệt Nghị quyết Đại hội XIV của Đảng",
        "The 14th Party Congress resolutions",
        16,
        B,
        UN,
        SEM,
        POL,
        "law_policy",
        "party",
    ),
    _course(
        "CT-NQ02",
        "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số",
        "Resolution 57 on science, innovation and digital transformation",
        8,
        B,
        UN,
        SEM,
        POL,
        "law_policy digital_data",
        "party digital",
    ),
    _course(
        "CT-NQ03",
        "Nghị quyết 18-NQ/TW về sắp xếp tổ chức bộ máy",
        "Resolution 18 on streamlining the apparatus",
        8,
        B,
        UN,
        SEM,
        POL,
        "law_policy",
        "party",
    ),
    _course(
        "CT-TC01",
        "Trung cấp lý luận chính trị - hành chính",
        "Intermediate political theory",
        120,
        I,
        EXT,
        OUT,
        POL,
        "law_policy",
        "party",
        0,
    ),
    _course(
        "CT-DV01",
        "Bồi dưỡng kết nạp Đảng",
        "Party-awareness course",
        24,
        B,
        UN,
        ROOM,
        POL,
        "law_policy",
        "party",
    ),
    _course(
        "QL-LD01",
        "Bồi dưỡng lãnh đạo, quản lý cấp phòng",
        "Leadership for heads of division",
        80,
        A,
        EXT,
        OUT,
        STATE,
        "job_position",
        "management",
        0,
    ),
    _course(
        "QL-LD02",
        "Quản lý nhà nước cho lãnh đạo cấp Chi cục, Ban",
        "State management for heads of department",
        40,
        A,
        CS,
        ROOM,
        STATE,
        "job_position law_policy",
        "management",
        36,
    ),
    _course(
        "QL-CV01",
        "Bồi dưỡng ngạch chuyên viên",
        "Officer grade course",
        160,
        I,
        EXT,
        OUT,
        STATE,
        "job_position",
        "management",
        0,
    ),
    _course(
        "QL-CV02",
        "Bồi dưỡng ngạch chuyên viên chính",
        "Principal officer grade course",
        200,
        A,
        EXT,
        OUT,
        STATE,
        "job_position",
        "management",
        0,
    ),
    _course(
        "QL-DD01",
        "Đạo đức công vụ và văn hóa công sở",
        "Public-service ethics",
        8,
        B,
        CS,
        ELN,
        STATE,
        "law_policy self_study",
        "ethics",
    ),
    _course(
        "QL-KN01",
        "Kỹ năng soạn thảo văn bản hành chính",
        "Drafting administrative documents",
        12,
        B,
        CS,
        ELN,
        STATE,
        "job_position",
        "skills",
    ),
    _course(
        "QL-KN02",
        "Kỹ năng giao tiếp và phục vụ doanh nghiệp",
        "Communication and service to traders",
        8,
        B,
        CS,
        ELN,
        STATE,
        "self_study",
        "skills",
    ),
    _course(
        "QP-AN01",
        "Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4",
        "Defence and security knowledge (group 4)",
        40,
        B,
        EXT,
        OUT,
        DEF,
        "law_policy",
        "defence",
        0,
    ),
    _course(
        "QP-AN02",
        "Bảo vệ bí mật nhà nước trong ngành Hải quan",
        "Protecting state secrets",
        6,
        B,
        UN,
        ELN,
        DEF,
        "law_policy",
        "cyber defence",
    ),
    # Self-study and learning culture.
    _course(
        "TH-KN01",
        "Kỹ năng tự học và học tập suốt đời",
        "Self-directed and lifelong learning",
        6,
        B,
        CS,
        ELN,
        OTH,
        "self_study",
        "skills",
    ),
    _course(
        "TH-KN02",
        "Quản lý thời gian và làm việc nhóm",
        "Time management and teamwork",
        6,
        B,
        CS,
        ELN,
        OTH,
        "self_study",
        "skills",
    ),
)

# code, title, English title, course codes in order
PROGRAMMES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "CT-CCM",
        "Chương trình bồi dưỡng công chức mới",
        "New officers' programme",
        ("NV-TT01", "PL-LHQ01", "CS-VN01", "QL-DD01", "QL-KN01"),
    ),
    (
        "CT-TGXX",
        "Chuyên gia trị giá và xuất xứ",
        "Valuation and origin specialist",
        ("NV-TG01", "NV-TG02", "NV-XX01", "NV-XX02", "QT-WCO04", "QT-WCO05"),
    ),
    (
        "CT-PTDL",
        "Phân tích dữ liệu cho công chức hải quan",
        "Data analysis for customs officers",
        ("CS-DL01", "CS-DL03", "CS-DL02", "CS-AI01", "CS-AI02"),
    ),
    (
        "CT-KTSTQ",
        "Kiểm tra sau thông quan",
        "Post-clearance audit",
        ("NV-KT01", "NV-KT02", "NV-RR01", "NV-TG01"),
    ),
    ("CT-LDQL", "Lãnh đạo, quản lý", "Leadership", ("QL-LD02", "QL-LD01", "PL-KN01", "PL-PC01")),
)

SELF_STUDY_TOPICS: tuple[tuple[str, str, str, str], ...] = (
    # topic, method, training category, movement content
    ('Đọc sách "Hải quan số - xu hướng và kinh nghiệm quốc tế"', "book", DIG, "digital_data"),
    ("Nghiên cứu Nghị định 167/2025/NĐ-CP sửa đổi thủ tục hải quan", "book", JOB, "law_policy"),
    ('Khóa học trực tuyến "Data Analytics" trên Coursera', "online_course", DIG, "digital_data"),
    ("Khóa học trực tuyến tiếng Anh giao tiếp", "online_course", JOB, "international"),
    ("Hội thảo về Hiệp định RCEP và quy tắc xuất xứ", "seminar", JOB, "international"),
    ("Tọa đàm chuyển đổi số trong kiểm tra hàng hóa", "seminar", DIG, "digital_data"),
    ("Khảo sát học tập kinh nghiệm Hải quan Hàn Quốc", "study_tour", JOB, "international"),
    ("Nghiên cứu tài liệu Công ước HS và chú giải", "book", JOB, "job_position"),
    ("Tự học Python qua tài liệu trực tuyến", "online_course", DIG, "digital_data"),
    ("Nghiên cứu chuyên đề quản lý rủi ro theo chuẩn mực WCO", "book", JOB, "job_position"),
    (
        "Sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức Hồ Chí Minh",
        "seminar",
        POL,
        "self_study",
    ),
    ("Đọc tài liệu hướng dẫn nghiệp vụ kiểm tra sau thông quan", "book", JOB, "job_position"),
    ("Khóa học trực tuyến về trí tuệ nhân tạo tạo sinh", "online_course", DIG, "digital_data"),
    ("Trao đổi kinh nghiệm nghiệp vụ với đơn vị bạn", "other", JOB, "self_study"),
)

CERTIFICATES: tuple[tuple[str, str, str, tuple[str, ...], int | None], ...] = (
    # field, title, issuer, levels, months valid
    (
        "language",
        "Chứng chỉ tiếng Anh theo Khung năng lực ngoại ngữ 6 bậc",
        "Trường Đại học Ngoại ngữ - ĐHQGHN",
        ("B1", "B1", "B2", "B2", "C1"),
        24,
    ),
    ("language", "IELTS Academic", "British Council", ("B2", "C1", "B1"), 24),
    ("language", "TOEIC Listening and Reading", "IIG Việt Nam", ("B1", "B2"), 24),
    ("language", "Chứng chỉ tiếng Trung HSK 4", "Viện Khổng Tử", ("B2",), 24),
    (
        "it",
        "Chứng chỉ Ứng dụng công nghệ thông tin cơ bản",
        "Trung tâm Tin học - Đại học Bách khoa",
        ("cơ bản",),
        None,
    ),
    (
        "it",
        "Chứng chỉ Ứng dụng công nghệ thông tin nâng cao",
        "Trung tâm Tin học - Đại học Bách khoa",
        ("nâng cao",),
        None,
    ),
    (
        "data",
        "Google Data Analytics Professional Certificate",
        "Coursera",
        ("chuyên nghiệp",),
        None,
    ),
    (
        "data",
        "Microsoft Certified: Power BI Data Analyst Associate",
        "Microsoft",
        ("associate",),
        12,
    ),
)


#
# Plain data of the plan
#


@dataclass(frozen=True)
class OfficerFacts:
    """What the history needs to know of one officer (read from the organisation)."""

    code: str
    unit: str
    email: str
    position: str
    leader: bool
    hire_date: datetime.date


@dataclass(frozen=True)
class InstructorSpec:
    """An instructor: an officer (by code) or an external person, with WCO accreditations."""

    key: str
    kind: str
    officer: str | None
    full_name: str
    organisation: str
    topics: tuple[str, ...]
    accreditations: tuple[tuple[str, str, datetime.date, datetime.date | None], ...] = ()


@dataclass(frozen=True)
class SessionSpec:
    """One session of a class."""

    date: datetime.date
    hours: Decimal
    title: str


@dataclass
class ClassSpec:
    """A class of a taught course, with the number of places taken so far while planning."""

    code: str
    course: str
    organiser: str
    start: datetime.date
    end: datetime.date
    capacity: int
    venue: str
    sessions: tuple[SessionSpec, ...]
    instructors: tuple[str, ...]
    taken: int = 0

    @property
    def status(self) -> str:
        """Return where the class stands on HISTORY_UNTIL."""
        if self.end < HISTORY_UNTIL:
            return "finished"
        if self.start <= HISTORY_UNTIL:
            return "running"
        return "open"


@dataclass(frozen=True)
class EnrolmentSpec:
    """An officer's enrolment in a class: sessions attended, result, completion."""

    class_code: str
    officer: str
    registration: uuid.UUID
    source: str
    attended: tuple[bool, ...]  # per session held by HISTORY_UNTIL
    score: Decimal | None
    passed: bool | None
    completed: bool


@dataclass(frozen=True)
class ElearningSpec:
    """An attempt at an e-learning course on the school's LMS (or an unmapped module)."""

    officer: str
    course: str | None  # None: a module the catalogue does not know
    iri: str
    name: str
    finished_at: datetime.datetime
    registration: uuid.UUID
    hours: Decimal | None  # the duration sent, None when the LMS sends none
    score: Decimal | None  # a passed test, when the course has one
    actor: str  # "account", "mbox" or "unknown"
    modules: int = 0  # full history: modules experienced before completion
    voided: bool = False  # the LMS voided the completion (and sent nothing else)


@dataclass(frozen=True)
class SelfStudySpec:
    """An approved self-study declaration (`corrected_from`: hours before an edit)."""

    officer: str
    topic: str
    method: str
    learned_on: datetime.date
    hours: Decimal
    category: str
    content: str
    learned: str
    corrected_from: Decimal | None = None


@dataclass(frozen=True)
class ExternalCertificateSpec:
    """An external certificate (language on the CEFR scale, IT, data)."""

    officer: str
    field: str
    title: str
    issuer: str
    level: str
    issued_on: datetime.date
    expires_on: datetime.date | None


@dataclass
class OfficerHistory:
    """Everything one officer learned in 2024-2026."""

    officer: OfficerFacts
    enrolments: list[EnrolmentSpec] = field(default_factory=list)
    elearning: list[ElearningSpec] = field(default_factory=list)
    self_study: list[SelfStudySpec] = field(default_factory=list)
    certificates: list[ExternalCertificateSpec] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _hours(value: float) -> Decimal:
    return Decimal(str(value)).quantize(HUNDREDTH, ROUND_HALF_UP)


def _day(rng: random.Random, year: int, until: datetime.date | None = None) -> datetime.date:
    start = datetime.date(year, 1, 5)
    end = min(datetime.date(year, 12, 20), until or datetime.date(year, 12, 20))
    day = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
    # Learning happens on working days.
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


#
# Instructors
#

_EXTERNAL_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_EXTERNAL_MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Đức", "Thu", "Hải")
_EXTERNAL_GIVEN = tuple(
    [
        "An",
        "Bình",
        "Châu",
        "Dũng",
        "Giang",
        "Hà",
        "Khánh",
        "Lan",
        "Long",
        "Mai",
        "Nam",
        "Ngân",
        "Phong",
        "Quang",
        "Sơn",
        "Thảo",
        "Trung",
        "Tuấn",
        "Vân",
        "Yến",
    ]
)
_EXTERNAL_ORGS = (
    "Học viện Tài chính",
    "Trường Đại học Ngoại thương",
    "Học viện Hành chính Quốc gia",
    "Trường Đại học Kinh tế Quốc dân",
    "Viện Chiến lược và Chính sách tài chính",
    "Phòng Thương mại và Công nghiệp Việt Nam",
    "Tổ chức Hải quan Thế giới (WCO)",
    "Học viện Chính trị khu vực I",
)
_WCO_AREAS = ("hs", "valuation", "origin", "pca", "risk")
_AREA_TOPIC = {
    "hs": "hs",
    "valuation": "valuation",
    "origin": "origin",
    "pca": "pca",
    "risk": "risk",
}


def plan_instructors(
    rng: random.Random, in_house: Sequence[str], part_time: Sequence[str], external: int = 30
) -> list[InstructorSpec]:
    """Plan the instructor registry: the school's teachers, part-time officers, outsiders.

    About one in five in-house instructors is WCO-accredited (or pre-accredited) in one or two
    areas, with dates.
    """
    topic_codes = [code for code, _n, _e in TOPICS]
    specs: list[InstructorSpec] = []
    for kind, codes in (("in_house", in_house), ("part_time", part_time)):
        for code in codes:
            accreditations = []
            if rng.random() < (0.3 if kind == "in_house" else 0.12):
                for area in rng.sample(_WCO_AREAS, rng.choice((1, 1, 2))):
                    start = datetime.date(rng.choice((2019, 2020, 2021, 2022, 2023, 2024)), 1, 1)
                    start += datetime.timedelta(days=rng.randrange(300))
                    accredited = rng.random() < 0.7
                    until = start.replace(year=start.year + 4) if accredited else None
                    status = "accredited" if accredited else "pre_accredited"
                    accreditations.append((area, status, start, until))
            topics = {_AREA_TOPIC[a[0]] for a in accreditations}
            topics.update(rng.sample(topic_codes, rng.choice((1, 2, 3))))
            specs.append(
                InstructorSpec(
                    key=f"{kind}:{code}",
                    kind=kind,
                    officer=code,
                    full_name="",
                    organisation="",
                    topics=tuple(sorted(topics)),
                    accreditations=tuple(accreditations),
                )
            )
    for number in range(1, external + 1):
        family = rng.choice(_EXTERNAL_FAMILY)
        middle = rng.choice(_EXTERNAL_MIDDLE)
        given = rng.choice(_EXTERNAL_GIVEN)
        title = rng.choice(("TS.", "ThS.", "PGS.TS.", ""))
        specs.append(
            InstructorSpec(
                key=f"external:{number}",
                kind="external",
                officer=None,
                full_name=" ".join(p for p in (title, family, middle, given) if p),
                organisation=rng.choice(_EXTERNAL_ORGS),
                topics=tuple(sorted(rng.sample(topic_codes, rng.choice((1, 2))))),
            )
        )
    return specs


#
# Classes
#

_VENUES = {
    "THQ": "Trường Hải quan Việt Nam, cơ sở Hà Nội",
}


def plan_classes(
    rng: random.Random,
    officers: int,
    organisers: Sequence[str],
    instructors: Sequence[InstructorSpec],
) -> list[ClassSpec]:
    """Plan the classes of 2024-2026: about one class place a year for each officer.

    The customs school runs half of them for everybody; each regional sub-department runs the
    other half for its own officers. Sessions are working days of 4 to 8 hours.
    """
    taught = [c for c in COURSES if c.taught]
    per_year = max(len(organisers) + 2, round(officers / 32))
    by_topic: dict[str, list[str]] = {}
    for spec in instructors:
        for topic in spec.topics:
            by_topic.setdefault(topic, []).append(spec.key)
    everyone = [s.key for s in instructors]
    classes: list[ClassSpec] = []
    for year in HISTORY_YEARS:
        for number in range(1, per_year + 1):
            course = rng.choice(taught)
            organiser = "THQ" if number % 2 else organisers[(number // 2) % len(organisers)]
            start = _day(rng, year)
            # A 2026 class may still be running or planned after today.
            hours_left = course.hours
            sessions: list[SessionSpec] = []
            day = start
            while hours_left > 0:
                hours = min(hours_left, Decimal(rng.choice((4, 8, 8))))
                sessions.append(SessionSpec(day, hours, f"Buổi {len(sessions) + 1}"))
                hours_left -= hours
                day += datetime.timedelta(days=3 if day.weekday() == 4 else 1)
            pool = [k for t in course.topics for k in by_topic.get(t, [])] or everyone
            chosen = tuple(dict.fromkeys(rng.sample(pool, min(len(pool), rng.choice((1, 2))))))
            classes.append(
                ClassSpec(
                    code=f"{course.code}-{year}-{number:03d}",
                    course=course.code,
                    organiser=organiser,
                    start=start,
                    end=sessions[-1].date,
                    capacity=rng.choice((30, 35, 40, 45)),
                    venue=_VENUES.get(organiser, f"Hội trường {organiser}"),
                    sessions=tuple(sessions),
                    instructors=chosen,
                )
            )
    return classes


#
# History
#


def _engagement(rng: random.Random) -> float:
    draw = rng.random()
    if draw < 0.08:
        return rng.uniform(0.05, 0.45)  # far below
    if draw < 0.22:
        return rng.uniform(0.55, 0.95)  # behind
    if draw < 0.86:
        return rng.uniform(0.9, 1.15)  # near the target
    return rng.uniform(1.3, 2.2)  # above


def _region(unit: str) -> str:
    return unit.split("-")[0] if unit.startswith("KV") else ""


@dataclass
class _Pools:
    lms: list[CourseSpec]
    classes: dict[int, dict[str, list[ClassSpec]]]


def _pools(classes: Sequence[ClassSpec]) -> _Pools:
    by_year: dict[int, dict[str, list[ClassSpec]]] = {}
    for spec in classes:
        by_year.setdefault(spec.start.year, {}).setdefault(spec.organiser, []).append(spec)
    return _Pools(lms=[c for c in COURSES if c.lms], classes=by_year)


def _enrol(
    rng: random.Random, officer: OfficerFacts, year: int, pools: _Pools, mine: set[str]
) -> tuple[EnrolmentSpec, Decimal] | None:
    organisers = pools.classes.get(year, {})
    region = _region(officer.unit)
    candidates = organisers.get(region, []) if region and rng.random() < 0.5 else []
    candidates = candidates or organisers.get("THQ", [])
    open_classes = [c for c in candidates if c.taken < c.capacity and c.code not in mine]
    if not open_classes:
        return None
    spec = rng.choice(open_classes)
    spec.taken += 1
    mine.add(spec.code)
    held = [s for s in spec.sessions if s.date <= HISTORY_UNTIL]
    attended = tuple(rng.random() > 0.06 for _ in held)
    hours = sum((s.hours for s, here in zip(held, attended, strict=True) if here), Decimal(0))
    finished = spec.status == "finished"
    share = sum(attended) / len(spec.sessions)
    completed = finished and share >= 0.8
    course = _COURSE[spec.course]
    score = _hours(rng.uniform(6.0, 9.8)) if completed and course.level != "basic" else None
    enrolment = EnrolmentSpec(
        class_code=spec.code,
        officer=officer.code,
        registration=_uuid(rng),
        source=rng.choice(("self", "unit_head", "unit_head", "training_office")),
        attended=attended,
        score=score,
        passed=(score >= 5) if score is not None else None,
        completed=completed,
    )
    return enrolment, hours


def _elearning(
    rng: random.Random, officer: OfficerFacts, year: int, pools: _Pools, actor: str, full: bool
) -> ElearningSpec:
    when = _day(rng, year, HISTORY_UNTIL - datetime.timedelta(days=1))
    finished = datetime.datetime(
        when.year, when.month, when.day, rng.randrange(8, 17), rng.randrange(60), tzinfo=_ICT
    )
    if rng.random() < 0.015:
        # A module the catalogue does not know, sent without a duration: "no hours".
        module = rng.randrange(1, 40)
        return ElearningSpec(
            officer=officer.code,
            course=None,
            iri=f"{LMS_HOME}/modules/bai-giang-{module:03d}",
            name=f"Bài giảng bổ trợ số {module}",
            finished_at=finished,
            registration=_uuid(rng),
            hours=None,
            score=None,
            actor=actor,
        )
    course = rng.choice(pools.lms)
    home = CLIKC_HOME if course.provider == WCO else LMS_HOME
    sent = rng.random()
    # One attempt in five comes without a duration: the course's hours count.
    hours = None if sent < 0.2 else _hours(float(course.hours) * rng.uniform(0.7, 1.15))
    score = _hours(rng.uniform(5.0, 10.0)) if rng.random() < 0.5 else None
    return ElearningSpec(
        officer=officer.code,
        course=course.code,
        iri=f"{home}/courses/{course.code.lower()}",
        name=course.title,
        finished_at=finished,
        registration=_uuid(rng),
        hours=hours,
        score=score,
        actor=actor,
        modules=rng.randrange(4, 9) if full else 0,
        voided=rng.random() < 0.004,
    )


def _self_study(rng: random.Random, officer: OfficerFacts, year: int) -> SelfStudySpec:
    topic, method, category, content = rng.choice(SELF_STUDY_TOPICS)
    hours = _hours(rng.choice((2, 3, 4, 4, 6, 8)))
    corrected = _hours(float(hours) + 2) if rng.random() < 0.02 else None
    return SelfStudySpec(
        officer=officer.code,
        topic=topic,
        method=method,
        learned_on=_day(rng, year, HISTORY_UNTIL - datetime.timedelta(days=2)),
        hours=hours,
        category=category,
        content=content,
        learned="Nắm được nội dung chính và vận dụng vào công việc được giao.",
        corrected_from=corrected,
    )


def _certificate(rng: random.Random, officer: OfficerFacts) -> ExternalCertificateSpec:
    fld, title, issuer, levels, months = rng.choice(CERTIFICATES)
    issued = _day(rng, rng.choice((2022, 2023, 2024, 2025, 2026)), HISTORY_UNTIL)
    expires = None
    if months:
        expires = issued + datetime.timedelta(days=round(months * 30.44))
    return ExternalCertificateSpec(
        officer=officer.code,
        field=fld,
        title=title,
        issuer=issuer,
        level=rng.choice(levels),
        issued_on=issued,
        expires_on=expires,
    )


_ICT = datetime.timezone(datetime.timedelta(hours=7))
_COURSE = {c.code: c for c in COURSES}


def plan_history(
    rng: random.Random,
    officers: Sequence[OfficerFacts],
    classes: Sequence[ClassSpec],
    *,
    full: bool = False,
) -> Iterator[OfficerHistory]:
    """Yield each officer's 2024-2026 learning, one officer at a time (flat memory).

    Each year an officer learns until their engaged share of the 30-hour target is reached:
    a class place now and then, e-learning courses, approved self-study. Hours of 2026 are
    those of the year so far. An officer hired after a year began learns from the hire date.
    """
    pools = _pools(classes)
    year_end = datetime.date(HISTORY_UNTIL.year, 12, 31)
    elapsed_2026 = (HISTORY_UNTIL - datetime.date(HISTORY_UNTIL.year, 1, 1)).days / (
        year_end - datetime.date(HISTORY_UNTIL.year, 1, 1)
    ).days
    for officer in officers:
        history = OfficerHistory(officer=officer)
        mine: set[str] = set()
        base = _engagement(rng)
        draw = rng.random()
        actor = "account" if draw < 0.82 else "mbox" if draw < 0.995 else "unknown"
        for year in HISTORY_YEARS:
            if officer.hire_date.year > year:
                continue
            budget = TARGET_HOURS * base * rng.uniform(0.85, 1.15)
            if year == HISTORY_UNTIL.year:
                budget *= elapsed_2026 * rng.uniform(0.55, 1.05)
            done = Decimal(0)
            tries = 0
            while float(done) < budget and tries < 40:
                tries += 1
                kind = rng.random()
                if kind < (0.45 if tries == 1 else 0.08):
                    taken = _enrol(rng, officer, year, pools, mine)
                    if taken is not None:
                        history.enrolments.append(taken[0])
                        done += taken[1]
                        continue
                if kind < 0.75:
                    attempt = _elearning(rng, officer, year, pools, actor, full)
                    history.elearning.append(attempt)
                    course = _COURSE.get(attempt.course or "")
                    if not attempt.voided:
                        done += attempt.hours or (course.hours if course else Decimal(0))
                else:
                    study = _self_study(rng, officer, year)
                    history.self_study.append(study)
                    done += study.hours
        if rng.random() < 0.18:
            history.certificates.append(_certificate(rng, officer))
        yield history
