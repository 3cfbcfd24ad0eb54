"""Vocabulary of the synthetic customs administration: names of units, people, ranks, positions.

Pure data, no Django. Every person's name is a random combination of a family name, a middle
name and a given name drawn from these lists; none names a real official (product.md: "no real
person appears anywhere"), and `BLOCKED_FULL_NAMES` keeps known public figures out even by
chance. The 35 former provincial departments carry their historical names; their grouping into
the 20 regional sub-departments is illustrative, not the official mapping (domain-vn.md §9).
"""


def _words(text: str) -> tuple[str, ...]:
    """Return the words of `text`: long word lists read best as one string."""
    return tuple(text.split())


#
# People
#

# Family names (họ) with weights close to their share of the population.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.1),
    ("Huỳnh", 2.0),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trịnh", 0.5),
    ("Đoàn", 0.5),
    ("Trương", 0.5),
    ("Lâm", 0.4),
    ("Mai", 0.4),
    ("Cao", 0.3),
    ("Lương", 0.3),
    ("Tạ", 0.2),
    ("Hà", 0.3),
    ("Kiều", 0.1),
    ("Tô", 0.1),
    ("Chu", 0.1),
    ("Quách", 0.1),
)

# Middle names (tên đệm) by gender, with weights; "Văn" and "Thị" dominate older generations.
MALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Văn", 30.0),
    ("Đức", 8.0),
    ("Minh", 8.0),
    ("Quang", 6.0),
    ("Hữu", 5.0),
    ("Công", 4.0),
    ("Thành", 4.0),
    ("Xuân", 3.0),
    ("Ngọc", 3.0),
    ("Anh", 3.0),
    ("Hoàng", 3.0),
    ("Thanh", 4.0),
    ("Quốc", 4.0),
    ("Tuấn", 2.0),
    ("Mạnh", 2.0),
    ("Trọng", 2.0),
    ("Đình", 3.0),
    ("Việt", 2.0),
    ("Duy", 2.0),
    ("Văn Minh", 1.0),
    ("Đức Anh", 1.0),
)
FEMALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Thị", 35.0),
    ("Thu", 6.0),
    ("Ngọc", 7.0),
    ("Thanh", 6.0),
    ("Minh", 5.0),
    ("Hồng", 4.0),
    ("Phương", 3.0),
    ("Kim", 3.0),
    ("Thúy", 3.0),
    ("Bích", 2.0),
    ("Diệu", 2.0),
    ("Mỹ", 2.0),
    ("Hải", 2.0),
    ("Khánh", 2.0),
    ("Thị Thu", 2.0),
    ("Thị Ngọc", 1.5),
    ("Thị Minh", 1.0),
)

# Given names (tên). "Thọ" is left out on purpose: with "Nguyễn Văn" it would name the
# real director cited in domain-vn.md §9.
MALE_GIVEN_NAMES: tuple[str, ...] = _words(
    "An Anh Bảo Bình Cường Chiến Công Dũng Duy Dương Đạt Đức Giang Hải Hiếu Hiệp Hòa "
    "Hoàng Hùng Huy Hưng Khang Khánh Khoa Kiên Lâm Lộc Long Lực Mạnh Minh Nam Nghĩa Nhân "
    "Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Thiện Thịnh Toàn Trí Trung Tú Tuấn "
    "Tùng Việt Vinh Vũ Hậu Hoan Khải Tiến Tân Định"
)
FEMALE_GIVEN_NAMES: tuple[str, ...] = _words(
    "An Anh Bích Châu Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Huyền Lan "
    "Liên Linh Loan Mai My Nga Ngân Ngọc Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang "
    "Trinh Uyên Vân Yến Thư Thoa Hậu Lý Nhàn Vy"
)

# Full names never generated, whatever the draw: public figures, e.g. the director named in
# domain-vn.md §9.
BLOCKED_FULL_NAMES: frozenset[str] = frozenset({"Nguyễn Văn Thọ"})

#
# Ranks and job positions
#

# Civil-service ranks (ngạch): code, name, level (higher is more senior). The customs ranks
# are domain-vn.md §9 (codes unverified there); the last two are the general support ranks.
RANKS: tuple[tuple[str, str, int], ...] = (
    ("08.049", "Kiểm tra viên cao cấp hải quan", 8),
    ("08.050", "Kiểm tra viên chính hải quan", 7),
    ("08.051", "Kiểm tra viên hải quan", 6),
    ("08.052", "Kiểm tra viên trung cấp hải quan", 5),
    ("08.053", "Nhân viên hải quan", 4),
    ("01.004", "Cán sự", 2),
    ("01.005", "Nhân viên", 1),
)

# Job positions (vị trí việc làm): code, name, group, the rank it calls for.
POSITIONS: tuple[tuple[str, str, str, str], ...] = (
    # Leadership and management
    ("LD-CT", "Cục trưởng", "leadership", "08.049"),
    ("LD-PCT", "Phó Cục trưởng", "leadership", "08.049"),
    ("LD-TB", "Trưởng ban", "leadership", "08.049"),
    ("LD-PTB", "Phó Trưởng ban", "leadership", "08.050"),
    ("LD-CVP", "Chánh Văn phòng", "leadership", "08.049"),
    ("LD-PCVP", "Phó Chánh Văn phòng", "leadership", "08.050"),
    ("LD-CCT", "Chi cục trưởng", "leadership", "08.050"),
    ("LD-PCCT", "Phó Chi cục trưởng", "leadership", "08.050"),
    ("LD-HT", "Hiệu trưởng", "leadership", "08.049"),
    ("LD-PHT", "Phó Hiệu trưởng", "leadership", "08.050"),
    ("LD-DT", "Đội trưởng", "leadership", "08.051"),
    ("LD-PDT", "Phó Đội trưởng", "leadership", "08.051"),
    # Professional
    ("NV-TTHQ", "Kiểm tra viên thủ tục hải quan", "professional", "08.051"),
    ("NV-GSHQ", "Công chức giám sát hải quan", "professional", "08.051"),
    ("NV-KSHQ", "Công chức kiểm soát hải quan", "professional", "08.051"),
    ("NV-THUE", "Công chức quản lý thuế xuất nhập khẩu", "professional", "08.051"),
    ("NV-QLRR", "Chuyên viên quản lý rủi ro", "professional", "08.050"),
    ("NV-KTSTQ", "Công chức kiểm tra sau thông quan", "professional", "08.050"),
    ("NV-DTCBL", "Điều tra viên chống buôn lậu", "professional", "08.050"),
    ("NV-KDHQ", "Kiểm định viên hải quan", "professional", "08.051"),
    ("NV-CNTT", "Chuyên viên công nghệ thông tin", "professional", "08.051"),
    ("NV-TKHQ", "Chuyên viên thống kê hải quan", "professional", "08.051"),
    ("NV-PC", "Chuyên viên pháp chế", "professional", "08.050"),
    ("NV-TCCB", "Chuyên viên tổ chức cán bộ", "professional", "08.050"),
    ("NV-TTKT", "Thanh tra viên", "professional", "08.050"),
    ("NV-TVQT", "Chuyên viên tài vụ", "professional", "08.051"),
    ("NV-TDKT", "Chuyên viên thi đua khen thưởng", "professional", "08.051"),
    ("NV-GV", "Giảng viên", "professional", "08.050"),
    # Support and service
    ("HT-VT", "Văn thư", "support", "01.004"),
    ("HT-KT", "Kế toán", "support", "01.004"),
    ("HT-LX", "Lái xe", "support", "01.005"),
    ("HT-BV", "Bảo vệ", "support", "01.005"),
)

#
# Units
#

ROOT = ("CHQ", "Cục Hải quan")

# The twelve headquarters units of domain-vn.md §9: code, name, head position, deputy position,
# the professional positions of their staff.
HQ_DEPARTMENTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("CHQ-VP", "Văn phòng", "LD-CVP", "LD-PCVP", ("NV-TDKT", "NV-TCCB", "NV-PC")),
    ("CHQ-PC", "Ban Pháp chế", "LD-TB", "LD-PTB", ("NV-PC",)),
    ("CHQ-TCCB", "Ban Tổ chức cán bộ", "LD-TB", "LD-PTB", ("NV-TCCB",)),
    ("CHQ-TTKT", "Ban Thanh tra - Kiểm tra", "LD-TB", "LD-PTB", ("NV-TTKT",)),
    ("CHQ-TVQT", "Ban Tài vụ - Quản trị", "LD-TB", "LD-PTB", ("NV-TVQT",)),
    ("CHQ-GSQL", "Ban Nghiệp vụ quản lý hải quan", "LD-TB", "LD-PTB", ("NV-GSHQ", "NV-TTHQ")),
    ("CHQ-TXNK", "Ban Nghiệp vụ thuế hải quan", "LD-TB", "LD-PTB", ("NV-THUE",)),
    ("CHQ-QLRR", "Ban Quản lý rủi ro", "LD-TB", "LD-PTB", ("NV-QLRR",)),
    (
        "CHQ-CNTT",
        "Ban Công nghệ thông tin và Thống kê hải quan",
        "LD-TB",
        "LD-PTB",
        ("NV-CNTT", "NV-TKHQ"),
    ),
    ("CHQ-KDHQ", "Chi cục Kiểm định hải quan", "LD-CCT", "LD-PCCT", ("NV-KDHQ",)),
    ("CHQ-DTCBL", "Chi cục Điều tra chống buôn lậu", "LD-CCT", "LD-PCCT", ("NV-DTCBL",)),
    ("CHQ-KTSTQ", "Chi cục Kiểm tra sau thông quan", "LD-CCT", "LD-PCCT", ("NV-KTSTQ",)),
)
IT_DEPARTMENT = "CHQ-CNTT"
SECRETARIAT_DEPARTMENT = "CHQ-VP"
SCHOOL = ("THQ", "Trường Hải quan Việt Nam")

ROMAN: tuple[str, ...] = _words(
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX"
)

# Relative size of each regional sub-department (I: the capital, II: the largest port city).
REGION_WEIGHTS: tuple[float, ...] = tuple(
    float(w)
    for w in _words(
        "1.7 2.4 1.5 0.8 1.0 0.9 0.9 1.1 0.6 0.7 0.7 0.9 0.6 0.6 0.5 1.0 0.8 1.1 0.7 0.6"
    )
)

# The 35 provincial departments that existed until 28/02/2025 (code suffix, name), grouped by
# the regional sub-department (index into ROMAN) that took over their history. Illustrative.
FORMER_DEPARTMENTS: tuple[tuple[int, str, str], ...] = (
    (0, "HN", "Cục Hải quan thành phố Hà Nội"),
    (1, "HCM", "Cục Hải quan Thành phố Hồ Chí Minh"),
    (2, "HP", "Cục Hải quan thành phố Hải Phòng"),
    (3, "HNN", "Cục Hải quan tỉnh Hà Nam Ninh"),
    (4, "BN", "Cục Hải quan tỉnh Bắc Ninh"),
    (5, "LS", "Cục Hải quan tỉnh Lạng Sơn"),
    (5, "CB", "Cục Hải quan tỉnh Cao Bằng"),
    (6, "HG", "Cục Hải quan tỉnh Hà Giang"),
    (6, "LC", "Cục Hải quan tỉnh Lào Cai"),
    (6, "DB", "Cục Hải quan tỉnh Điện Biên"),
    (7, "QN", "Cục Hải quan tỉnh Quảng Ninh"),
    (8, "TH", "Cục Hải quan tỉnh Thanh Hóa"),
    (9, "NA", "Cục Hải quan tỉnh Nghệ An"),
    (9, "HT", "Cục Hải quan tỉnh Hà Tĩnh"),
    (10, "QB", "Cục Hải quan tỉnh Quảng Bình"),
    (10, "QT", "Cục Hải quan tỉnh Quảng Trị"),
    (10, "TTH", "Cục Hải quan tỉnh Thừa Thiên Huế"),
    (11, "DN", "Cục Hải quan thành phố Đà Nẵng"),
    (11, "QNA", "Cục Hải quan tỉnh Quảng Nam"),
    (12, "QNG", "Cục Hải quan tỉnh Quảng Ngãi"),
    (12, "BD", "Cục Hải quan tỉnh Bình Định"),
    (13, "KH", "Cục Hải quan tỉnh Khánh Hòa"),
    (14, "GLKT", "Cục Hải quan tỉnh Gia Lai - Kon Tum"),
    (14, "DL", "Cục Hải quan tỉnh Đắk Lắk"),
    (15, "BDG", "Cục Hải quan tỉnh Bình Dương"),
    (15, "BP", "Cục Hải quan tỉnh Bình Phước"),
    (16, "TN", "Cục Hải quan tỉnh Tây Ninh"),
    (16, "LA", "Cục Hải quan tỉnh Long An"),
    (17, "DNA", "Cục Hải quan tỉnh Đồng Nai"),
    (17, "BRVT", "Cục Hải quan tỉnh Bà Rịa - Vũng Tàu"),
    (18, "CT", "Cục Hải quan thành phố Cần Thơ"),
    (18, "CM", "Cục Hải quan tỉnh Cà Mau"),
    (19, "AG", "Cục Hải quan tỉnh An Giang"),
    (19, "KG", "Cục Hải quan tỉnh Kiên Giang"),
    (19, "DT", "Cục Hải quan tỉnh Đồng Tháp"),
)

# Generic teams and border-gate offices of a regional sub-department (name, professional
# positions of its staff). A region draws 5-8 of them; the numbering keeps names generic.
TEAM_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hải quan cửa khẩu quốc tế số {n}", ("NV-TTHQ", "NV-GSHQ", "NV-KSHQ")),
    ("Hải quan cửa khẩu đường bộ số {n}", ("NV-TTHQ", "NV-GSHQ")),
    ("Hải quan cảng biển khu vực {n}", ("NV-TTHQ", "NV-GSHQ", "NV-THUE")),
    ("Hải quan cảng cạn số {n}", ("NV-TTHQ", "NV-GSHQ")),
    ("Hải quan sân bay quốc tế", ("NV-TTHQ", "NV-GSHQ", "NV-KSHQ")),
    ("Hải quan khu công nghiệp số {n}", ("NV-TTHQ", "NV-THUE")),
    ("Hải quan khu chế xuất", ("NV-TTHQ", "NV-THUE")),
    ("Hải quan Bưu điện", ("NV-TTHQ", "NV-GSHQ")),
    ("Hải quan quản lý hàng đầu tư", ("NV-TTHQ", "NV-THUE")),
    ("Hải quan ngoài cửa khẩu số {n}", ("NV-TTHQ", "NV-THUE")),
    ("Đội Kiểm soát hải quan", ("NV-KSHQ",)),
    ("Đội Kiểm soát phòng, chống ma túy", ("NV-KSHQ",)),
    ("Đội Kiểm tra sau thông quan", ("NV-KTSTQ",)),
)

# Professional positions in a regional sub-department's own office and in the school.
REGION_OFFICE_POSITIONS: tuple[str, ...] = ("NV-THUE", "NV-QLRR", "NV-TCCB", "NV-TDKT", "NV-CNTT")
ROOT_OFFICE_POSITIONS: tuple[str, ...] = ("NV-TCCB", "NV-TDKT", "NV-PC")
SCHOOL_POSITIONS: tuple[str, ...] = ("NV-GV", "NV-GV", "NV-GV", "NV-TCCB")
SUPPORT_POSITIONS: tuple[str, ...] = ("HT-VT", "HT-KT", "HT-LX", "HT-BV")

#
# Sensitive records
#

DISCIPLINE_REASONS: tuple[str, ...] = (
    "Vi phạm quy định về thời gian làm việc",
    "Chậm thực hiện nhiệm vụ được giao",
    "Vi phạm quy trình thủ tục hải quan",
    "Vi phạm quy chế văn hóa công sở",
    "Thiếu trách nhiệm trong kiểm tra hồ sơ",
)
