"""Vocabulary of the demo's initiatives: customs improvements, councils' words, good models.

Pure data, no Django. A title is a theme's head, one of its objects and (sometimes) a purpose,
so a few dozen phrases give hundreds of distinct, natural titles; the texts of an initiative
are the theme's templates filled with its head and object. Every solution template lists the
heads it fits (`Theme.fits`), and so may the problems (`Theme.problem_fits`). Figures are
drawn within each metric's range.
"""

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ADOPTERS",
    "ADOPTION_OPENINGS",
    "ADOPTION_TOO_RECENT",
    "COMMENTS",
    "EXCLUSION_COMMENT",
    "GOOD_MODELS",
    "MODEL_ADOPTERS",
    "MODEL_UPKEEP",
    "NOVELTIES",
    "POSITION_THEMES",
    "REFUSAL_REASONS",
    "RETURN_REASONS",
    "THEMES",
    "Metric",
    "Theme",
]

# A measured effect: template with {n} (a count or a percentage) or {money} (tenths of a
# billion đồng), the range of the number, and whether a smaller figure still reads right when
# another unit reports its own results.
Metric = tuple[str, int, int, bool]


@dataclass(frozen=True)
class Theme:
    """A kind of customs improvement: its field, movement contents, phrases and figures."""

    key: str
    field: str
    contents: tuple[str, ...]
    heads: tuple[str, ...]
    objects: tuple[str, ...]
    purposes: tuple[str, ...]
    problems: tuple[str, ...]
    solutions: tuple[str, ...]
    # For each solution, the heads (indexes) it reads right after.
    fits: tuple[tuple[int, ...], ...]
    metrics: tuple[Metric, ...]
    scopes: tuple[str, ...]
    # For each problem, the heads it reads right with (empty: every problem fits every head).
    problem_fits: tuple[tuple[int, ...], ...] = ()

    def solutions_for(self, head: int) -> list[str]:
        """Return the solution templates that fit the head at index `head`."""
        return [s for s, heads in zip(self.solutions, self.fits, strict=True) if head in heads]

    def problems_for(self, head: int) -> list[str]:
        """Return the problem templates that fit the head at index `head`."""
        if not self.problem_fits:
            return list(self.problems)
        pairs = zip(self.problems, self.problem_fits, strict=True)
        return [p for p, heads in pairs if head in heads]


DIG, LAW, JOB, INTL, SELF = (
    "digital_data",
    "law_policy",
    "job_position",
    "international",
    "self_study",
)

THEMES: tuple[Theme, ...] = (
    Theme(
        key="risk",
        field="risk",
        contents=(DIG, JOB),
        heads=(
            "Xây dựng bộ tiêu chí phân tích rủi ro",
            "Ứng dụng mô hình chấm điểm rủi ro",
            "Lập hồ sơ rủi ro",
            "Tự động hóa cảnh báo rủi ro",
            "Phân tích dữ liệu lịch sử vi phạm để lựa chọn kiểm tra",
            "Chuẩn hóa quy trình thu thập, xử lý thông tin rủi ro",
            "Xây dựng danh mục hàng hóa trọng điểm",
        ),
        objects=(
            "đối với hàng hóa nhập khẩu theo loại hình gia công",
            "đối với doanh nghiệp mới thành lập",
            "đối với hàng hóa quá cảnh",
            "đối với hàng hóa nhập khẩu của doanh nghiệp chế xuất",
            "trong phân luồng tờ khai nhập khẩu",
            "đối với hàng hóa thương mại điện tử",
            "đối với hàng hóa tạm nhập tái xuất",
            "đối với hành lý của hành khách xuất nhập cảnh",
        ),
        purposes=(
            "",
            "",
            "nhằm nâng cao tỷ lệ phát hiện vi phạm",
            "phục vụ phân luồng trên hệ thống VCIS",
        ),
        problems=(
            (
                "Việc lựa chọn kiểm tra {object} chủ yếu dựa vào kinh nghiệm của công chức; tỷ lệ "
                "phát hiện vi phạm qua kiểm tra thực tế chỉ khoảng {k}%, trong khi tỷ lệ tờ khai "
                "phân luồng đỏ còn cao."
            ),
            (
                "Thông tin rủi ro {object} nằm rải rác ở nhiều nguồn (hệ thống VCIS, hồ sơ vi "
                "phạm, báo cáo nghiệp vụ), chưa được tổng hợp nên công chức mất nhiều thời gian "
                "tra cứu trước khi quyết định kiểm tra."
            ),
            (
                "Các tiêu chí phân luồng {object} chưa được cập nhật kịp thời theo diễn biến vi "
                "phạm, nhiều lô hàng của doanh nghiệp tuân thủ tốt vẫn bị kiểm tra thực tế."
            ),
        ),
        solutions=(
            (
                "{head} {object}: tổng hợp dữ liệu tờ khai {years} năm gần nhất từ hệ thống VCIS, "
                "chấm điểm theo {k} tiêu chí (lịch sử tuân thủ, mặt hàng, xuất xứ, tuyến vận "
                "chuyển) và đề xuất mức độ kiểm tra cho từng lô hàng."
            ),
            (
                "{head} {object} trên bảng tính dùng chung, cập nhật hằng tuần; công chức phân "
                "tích rủi ro xem được điểm rủi ro và lý do trước khi phân luồng."
            ),
            (
                "{head} {object}, kèm quy trình phối hợp giữa bộ phận quản lý rủi ro và bộ phận "
                "thủ tục để phản hồi kết quả kiểm tra trong vòng 24 giờ."
            ),
        ),
        fits=((0, 1, 3, 4), (0, 2, 6), (2, 3, 5, 6)),
        metrics=(
            ("giảm {n}% tỷ lệ tờ khai phân luồng đỏ", 10, 35, True),
            ("tỷ lệ phát hiện vi phạm qua kiểm tra thực tế tăng {n} điểm phần trăm", 2, 9, True),
            ("phát hiện {n} vụ vi phạm về khai báo hải quan", 12, 140, True),
            ("truy thu {money} tiền thuế", 5, 180, True),
        ),
        scopes=(
            "Các chi cục hải quan khu vực và đội thủ tục có lượng tờ khai lớn.",
            "Bộ phận quản lý rủi ro của các đơn vị trong toàn ngành.",
        ),
    ),
    Theme(
        key="manifest",
        field="procedures",
        contents=(DIG, JOB),
        heads=(
            "Kiểm tra tự động thông tin manifest điện tử",
            "Đối chiếu dữ liệu manifest với tờ khai hải quan",
            "Xây dựng công cụ cảnh báo sai lệch manifest",
            "Chuẩn hóa quy trình tiếp nhận manifest điện tử",
            "Giám sát hàng hóa bằng seal định vị điện tử",
            "Theo dõi trực tuyến trạng thái container",
        ),
        objects=(
            "đối với hàng container nhập khẩu qua cảng biển",
            "đối với hàng hóa vận chuyển chuyển cảng",
            "đối với hàng hóa qua cảng hàng không",
            "đối với hàng hóa vận chuyển độc lập",
            "tại cảng cạn và kho ngoại quan",
            "đối với hàng rời, hàng lỏng",
        ),
        purposes=(
            "",
            "",
            "nhằm rút ngắn thời gian giải phóng hàng",
            "trên Hệ thống quản lý, giám sát hải quan tự động (VASSCM)",
        ),
        problems=(
            (
                "Công chức giám sát phải đối chiếu thủ công manifest với tờ khai {object}; mỗi ca "
                "làm việc có hàng trăm vận đơn, sai lệch về số container, trọng lượng thường chỉ "
                "được phát hiện khi hàng đã vào khu vực giám sát."
            ),
            (
                "Dữ liệu manifest {object} do hãng tàu, đại lý gửi còn nhiều sai sót (mã cảng, số "
                "niêm phong, trọng lượng); việc sửa đổi, bổ sung mất nhiều thời gian và làm chậm "
                "việc giải phóng hàng."
            ),
            (
                "Việc theo dõi hàng hóa {object} từ khi đến cảng đến khi ra khỏi khu vực giám sát "
                "còn dựa vào sổ theo dõi và điện thoại, khó phát hiện kịp thời hàng lưu giữ quá "
                "thời hạn."
            ),
        ),
        solutions=(
            (
                "{head} {object}: công cụ đọc dữ liệu từ Cổng thông tin một cửa quốc gia, so khớp "
                "với tờ khai trên VNACCS theo số vận đơn và số container, tự động đánh dấu các "
                "trường hợp sai lệch để công chức xử lý."
            ),
            (
                "{head} {object}: vị trí, trạng thái hàng hóa hiển thị trên bảng điều khiển dùng "
                "chung giữa Hải quan và doanh nghiệp kinh doanh cảng, cảnh báo qua thư điện tử khi"
                " hàng lưu quá {k} ngày hoặc có sai lệch thông tin."
            ),
            (
                "{head} {object}, kèm bộ quy tắc kiểm tra {k} trường thông tin bắt buộc và hướng "
                "dẫn hãng tàu sửa đổi trước khi hàng đến."
            ),
        ),
        fits=((0, 1, 2), (4, 5), (0, 2, 3)),
        problem_fits=((0, 1, 2, 3), (0, 1, 2, 3), (4, 5)),
        metrics=(
            ("giảm {n}% thời gian giải phóng hàng", 15, 45, True),
            ("giảm {n}% số manifest phải sửa đổi, bổ sung", 20, 60, True),
            ("tiết kiệm khoảng {n} giờ công mỗi năm", 400, 3000, True),
            ("phát hiện {n} trường hợp sai lệch trọng lượng, số lượng container", 12, 180, True),
        ),
        scopes=(
            "Các đơn vị hải quan quản lý cảng biển, cảng cạn và kho ngoại quan.",
            "Các chi cục hải quan khu vực có hàng hóa vận chuyển chịu sự giám sát hải quan.",
        ),
    ),
    Theme(
        key="hs",
        field="classification",
        contents=(JOB, LAW),
        heads=(
            "Xây dựng cơ sở dữ liệu tra cứu phân loại",
            "Xây dựng bộ câu hỏi gợi ý mã HS",
            "Ứng dụng trí tuệ nhân tạo hỗ trợ phân loại",
            "Hệ thống hóa các vướng mắc về phân loại",
            "Lập sổ tay hướng dẫn phân loại",
            "Xây dựng thư viện hình ảnh và mẫu hàng phục vụ phân loại",
        ),
        objects=(
            "đối với máy móc, thiết bị thuộc Chương 84, 85",
            "đối với hóa chất và chế phẩm hóa học",
            "đối với linh kiện điện tử",
            "đối với thực phẩm chức năng và dược phẩm",
            "đối với phụ tùng ô tô",
            "đối với hàng dệt may và nguyên phụ liệu",
        ),
        purposes=(
            "",
            "",
            "theo Danh mục hàng hóa xuất khẩu, nhập khẩu Việt Nam",
            "nhằm giảm tranh chấp về mã số",
        ),
        problems=(
            (
                "Phân loại hàng hóa {object} phức tạp, cùng một mặt hàng được doanh nghiệp khai "
                "nhiều mã số khác nhau; trong năm trước có {big} trường hợp phải xác định lại mã "
                "số, ảnh hưởng đến số thuế phải nộp."
            ),
            (
                "Công chức mới thiếu kinh nghiệm phân loại hàng hóa {object}, phải tra cứu nhiều "
                "văn bản; các thông báo kết quả phân loại nằm rải rác trên nhiều hệ thống."
            ),
            (
                "Kết quả phân loại, phân tích hàng hóa {object} chưa được tập hợp thành tài liệu "
                "thống nhất; thời gian trả lời vướng mắc cho doanh nghiệp kéo dài {k} ngày."
            ),
        ),
        solutions=(
            (
                "{head} {object}: tập hợp {big} thông báo kết quả phân loại, phân tích và ý kiến "
                "hướng dẫn của cấp trên, có chỉ mục theo tên thương mại, công dụng và cấu tạo hàng"
                " hóa."
            ),
            (
                "{head} {object}, cho phép công chức nhập mô tả hàng hóa và nhận gợi ý {k} mã số "
                "phù hợp nhất kèm căn cứ chú giải."
            ),
            (
                "{head} {object} dưới dạng sổ tay điện tử có hình ảnh, tiêu chí phân biệt các nhóm"
                " dễ nhầm lẫn và ví dụ thực tế."
            ),
        ),
        fits=((0, 3), (1, 2), (4, 5)),
        metrics=(
            ("giảm {n}% số tờ khai phải xác định lại mã số", 20, 55, True),
            ("giảm {n}% thời gian phân loại mỗi lô hàng", 25, 60, True),
            ("truy thu {money} tiền thuế do khai sai mã số", 3, 150, True),
            ("giảm {n}% thời gian trả lời vướng mắc của doanh nghiệp", 25, 60, True),
        ),
        scopes=(
            ("Toàn ngành hải quan, nhất là các đơn vị làm thủ tục cho hàng hóa có mã số phức tạp."),
            (
                "Các đội thủ tục hàng hóa xuất nhập khẩu và bộ phận phân loại của chi cục hải quan"
                " khu vực."
            ),
        ),
    ),
    Theme(
        key="public",
        field="public_service",
        contents=(DIG, LAW),
        heads=(
            "Số hóa hồ sơ",
            "Triển khai dịch vụ công trực tuyến toàn trình cho",
            "Xây dựng chatbot giải đáp vướng mắc về",
            "Chuẩn hóa bộ câu hỏi thường gặp về",
            "Tổ chức đối thoại trực tuyến với doanh nghiệp về",
            "Rút ngắn thời gian giải quyết",
        ),
        objects=(
            "thủ tục hoàn thuế, không thu thuế",
            "thủ tục đăng ký danh mục hàng hóa miễn thuế",
            "thủ tục xác định trước mã số",
            "thủ tục công nhận doanh nghiệp ưu tiên",
            "thủ tục hải quan đối với hàng hóa của cư dân biên giới",
            "thủ tục xử lý phế liệu, phế phẩm của doanh nghiệp gia công",
        ),
        purposes=(
            "",
            "",
            "trên Cổng dịch vụ công quốc gia",
            "cho doanh nghiệp nhỏ và vừa",
        ),
        problems=(
            (
                "Doanh nghiệp thực hiện {object} vẫn phải nộp hồ sơ giấy và đến trụ sở hải quan "
                "nhiều lần; thời gian giải quyết trung bình {k} ngày làm việc."
            ),
            (
                "Các câu hỏi của doanh nghiệp về {object} lặp lại nhiều, được trả lời qua điện "
                "thoại, không lưu vết; nội dung trả lời giữa các công chức chưa thống nhất."
            ),
        ),
        solutions=(
            (
                "{head} {object}: doanh nghiệp nộp hồ sơ qua Cổng dịch vụ công, công chức tiếp "
                "nhận, xử lý và trả kết quả điện tử; tình trạng hồ sơ được thông báo tự động."
            ),
            (
                "{head} {object} với {big} câu hỏi - trả lời đã được chuẩn hóa, cập nhật theo văn "
                "bản mới, tra cứu được trên điện thoại."
            ),
            (
                "{head} {object} hằng quý: doanh nghiệp gửi câu hỏi trước, lãnh đạo và công chức "
                "trả lời trực tiếp, kết quả được đăng tải công khai."
            ),
        ),
        fits=((0, 1, 5), (2, 3), (4,)),
        problem_fits=((0, 1, 5), (2, 3, 4)),
        metrics=(
            ("giảm {n}% thời gian giải quyết thủ tục", 25, 60, True),
            ("{n}% hồ sơ được tiếp nhận và trả kết quả trực tuyến", 70, 98, False),
            ("trả lời {n} lượt câu hỏi của doanh nghiệp", 300, 4000, True),
            ("mức độ hài lòng của doanh nghiệp đạt {n}%", 88, 99, False),
        ),
        scopes=(
            "Các đơn vị hải quan tiếp nhận hồ sơ thủ tục hành chính của doanh nghiệp.",
            "Toàn ngành; có thể tích hợp vào Cổng thông tin điện tử Hải quan.",
        ),
    ),
    Theme(
        key="pca",
        field="post_clearance",
        contents=(JOB, LAW),
        heads=(
            "Xây dựng quy trình kiểm tra sau thông quan",
            "Ứng dụng phân tích dữ liệu lựa chọn doanh nghiệp kiểm tra sau thông quan",
            "Lập bộ chỉ số đánh giá tuân thủ",
            "Chuẩn hóa hồ sơ kiểm tra sau thông quan",
            "Xây dựng phương pháp đối chiếu định mức",
        ),
        objects=(
            "đối với doanh nghiệp gia công, sản xuất xuất khẩu",
            "đối với hàng hóa nhập khẩu hưởng ưu đãi thuế quan đặc biệt",
            "đối với doanh nghiệp có khoản phí bản quyền, phí giấy phép",
            "đối với hàng hóa được miễn thuế",
            "đối với doanh nghiệp kinh doanh thương mại điện tử",
            "tại trụ sở người khai hải quan",
        ),
        purposes=(
            "",
            "",
            "nhằm chống thất thu ngân sách",
        ),
        problems=(
            (
                "Việc lựa chọn doanh nghiệp kiểm tra sau thông quan {object} còn dàn trải; nhiều "
                "cuộc kiểm tra không phát hiện sai phạm, trong khi doanh nghiệp rủi ro cao chưa "
                "được kiểm tra kịp thời."
            ),
            (
                "Hồ sơ kiểm tra sau thông quan {object} chưa thống nhất về biểu mẫu và trình tự, "
                "mỗi đoàn kiểm tra một cách làm, khó tổng hợp và đánh giá kết quả."
            ),
        ),
        solutions=(
            (
                "{head} {object}: kết hợp dữ liệu tờ khai, báo cáo quyết toán và thông tin thuế "
                "nội địa, xếp hạng doanh nghiệp theo {k} chỉ số để lập kế hoạch kiểm tra."
            ),
            (
                "{head} {object}, gồm {k} bước, bộ biểu mẫu thống nhất và danh mục tài liệu cần "
                "yêu cầu doanh nghiệp cung cấp."
            ),
        ),
        fits=((1, 2), (0, 3, 4)),
        problem_fits=((1, 2), (0, 3, 4)),
        metrics=(
            ("truy thu {money} tiền thuế", 5, 300, True),
            ("tỷ lệ cuộc kiểm tra phát hiện sai phạm đạt {n}%", 55, 90, False),
            ("rút ngắn {n}% thời gian một cuộc kiểm tra", 20, 45, True),
        ),
        scopes=(
            "Các đơn vị kiểm tra sau thông quan trong toàn ngành.",
            (
                "Chi cục Kiểm tra sau thông quan và các đội kiểm tra sau thông quan của chi cục "
                "hải quan khu vực."
            ),
        ),
    ),
    Theme(
        key="smuggling",
        field="enforcement",
        contents=(DIG, JOB),
        heads=(
            "Ứng dụng phân tích dữ liệu phát hiện",
            "Xây dựng bản đồ số địa bàn trọng điểm về",
            "Xây dựng cơ sở dữ liệu đối tượng có dấu hiệu",
            "Phối hợp liên ngành trong đấu tranh phòng, chống",
            "Sử dụng thiết bị bay không người lái trong kiểm soát",
            "Nâng cao hiệu quả thu thập thông tin về",
        ),
        objects=(
            "ma túy qua đường hàng không",
            "hàng giả, hàng xâm phạm quyền sở hữu trí tuệ",
            "buôn lậu qua đường mòn, lối mở biên giới",
            "vận chuyển trái phép pháo nổ",
            "gian lận xuất xứ hàng hóa",
            "buôn lậu xăng dầu trên biển",
        ),
        purposes=(
            "",
            "",
            "trên địa bàn hoạt động hải quan",
        ),
        problems=(
            (
                "Các vụ việc {object} ngày càng tinh vi, phương thức thay đổi liên tục; thông tin "
                "nghiệp vụ nằm rải rác ở nhiều đơn vị nên việc xác lập chuyên án còn chậm."
            ),
            (
                "Lực lượng kiểm soát mỏng, địa bàn rộng; việc tuần tra, kiểm soát {object} chủ yếu"
                " thủ công, khó phát hiện sớm dấu hiệu vi phạm."
            ),
        ),
        solutions=(
            (
                "{head} {object}: tổng hợp dữ liệu hành khách, vận đơn, kết quả soi chiếu và vụ "
                "việc đã xử lý trong {years} năm, xây dựng {k} dấu hiệu nhận diện để cảnh báo sớm."
            ),
            (
                "{head} {object}, kèm quy chế trao đổi thông tin với Bộ đội Biên phòng, Công an và"
                " Quản lý thị trường trên địa bàn."
            ),
            (
                "{head} {object}: bố trí tổ bay theo lịch tuần tra, truyền hình ảnh trực tiếp về "
                "trung tâm chỉ huy của đơn vị để điều lực lượng kịp thời."
            ),
        ),
        fits=((0, 1, 2, 5), (1, 3, 5), (4,)),
        metrics=(
            ("phát hiện, bắt giữ {n} vụ vi phạm", 8, 120, True),
            ("thu giữ tang vật trị giá {money}", 5, 250, True),
            ("tăng {n}% số vụ phát hiện so với cùng kỳ", 15, 60, True),
        ),
        scopes=(
            (
                "Các đội kiểm soát hải quan, hải quan cửa khẩu biên giới đường bộ, cảng biển và "
                "sân bay quốc tế."
            ),
        ),
    ),
    Theme(
        key="vnaccs",
        field="digital",
        contents=(DIG,),
        heads=(
            "Xây dựng tiện ích khai thác dữ liệu",
            "Tự động hóa báo cáo thống kê",
            "Xây dựng công cụ kiểm tra chất lượng dữ liệu",
            "Ứng dụng chữ ký số và lưu trữ điện tử",
            "Xây dựng ứng dụng di động tra cứu",
            "Ứng dụng robot phần mềm (RPA) xử lý",
        ),
        objects=(
            "tờ khai trên hệ thống VNACCS/VCIS",
            "hồ sơ hải quan điện tử",
            "số liệu thống kê hàng hóa xuất nhập khẩu",
            "chứng từ thanh toán thuế",
            "thông tin doanh nghiệp và lịch sử tuân thủ",
            "hồ sơ công chức và kết quả học tập",
        ),
        purposes=(
            "",
            "",
            "phục vụ chỉ đạo, điều hành",
            "tại đơn vị",
        ),
        problems=(
            (
                "Việc tổng hợp, xử lý {object} còn làm thủ công trên nhiều tệp bảng tính; mỗi kỳ "
                "báo cáo mất {k} ngày công và dễ sai sót."
            ),
            (
                "Dữ liệu {object} có nhiều trường thông tin sai, thiếu; công chức phải rà soát "
                "từng bản ghi trước khi sử dụng."
            ),
        ),
        solutions=(
            (
                "{head} {object}: chương trình tự động lấy dữ liệu hằng ngày, kiểm tra {k} quy tắc"
                " hợp lệ và xuất báo cáo theo mẫu quy định."
            ),
            (
                "{head} {object} trên nền tảng dùng chung của đơn vị, phân quyền theo vị trí việc "
                "làm và ghi nhật ký truy cập."
            ),
        ),
        fits=((0, 1, 2, 5), (0, 3, 4)),
        metrics=(
            ("tiết kiệm khoảng {n} giờ công mỗi năm", 500, 4000, True),
            ("giảm {n}% sai sót dữ liệu", 40, 85, True),
            ("rút ngắn {n}% thời gian lập báo cáo định kỳ", 50, 90, True),
        ),
        scopes=(
            (
                "Toàn ngành hải quan; có thể tích hợp vào hệ thống dùng chung của Ban Công nghệ "
                "thông tin và Thống kê hải quan."
            ),
        ),
    ),
    Theme(
        key="single_window",
        field="procedures",
        contents=(DIG, INTL),
        heads=(
            "Đẩy mạnh kết nối Cơ chế một cửa quốc gia",
            "Hướng dẫn doanh nghiệp thực hiện thủ tục qua Cơ chế một cửa quốc gia",
            "Chuẩn hóa quy trình tiếp nhận giấy phép điện tử qua Cơ chế một cửa quốc gia",
            "Phối hợp với cơ quan kiểm tra chuyên ngành",
            "Rút ngắn thời gian kiểm tra chuyên ngành",
        ),
        objects=(
            "đối với hàng hóa nhập khẩu phải kiểm dịch thực vật",
            "đối với thực phẩm nhập khẩu",
            "đối với hàng hóa xuất khẩu sang các nước ASEAN",
            "đối với phương tiện vận tải xuất nhập cảnh",
            "đối với trang thiết bị y tế nhập khẩu",
        ),
        purposes=(
            "",
            "",
            "nhằm giảm thời gian lưu hàng tại cửa khẩu",
        ),
        problems=(
            (
                "Thủ tục {object} liên quan nhiều bộ, ngành; kết quả kiểm tra chuyên ngành còn gửi"
                " bản giấy, hàng hóa phải chờ tại cảng trung bình {k} ngày."
            ),
            (
                "Doanh nghiệp chưa quen khai hồ sơ {object} trên Cổng thông tin một cửa quốc gia; "
                "nhiều hồ sơ bị từ chối vì sai, thiếu thông tin."
            ),
        ),
        solutions=(
            (
                "{head} {object}: lập đầu mối tiếp nhận, theo dõi hồ sơ trên Cổng thông tin một "
                "cửa quốc gia, phối hợp với cơ quan kiểm tra chuyên ngành xử lý hồ sơ trong ngày."
            ),
            (
                "{head} {object}, kèm tài liệu hướng dẫn từng bước và {k} lỗi thường gặp khi khai "
                "báo."
            ),
        ),
        fits=((0, 2, 3, 4), (1, 2)),
        problem_fits=((0, 2, 3, 4), (0, 1, 2)),
        metrics=(
            ("giảm {n}% thời gian hàng hóa lưu tại cửa khẩu", 20, 50, True),
            ("{n}% hồ sơ kiểm tra chuyên ngành được xử lý trực tuyến", 75, 99, False),
            ("giảm {n}% số hồ sơ bị từ chối", 30, 70, True),
        ),
        scopes=("Các đơn vị hải quan làm thủ tục cho hàng hóa phải kiểm tra chuyên ngành.",),
    ),
    Theme(
        key="scanning",
        field="procedures",
        contents=(JOB, DIG),
        heads=(
            "Nâng cao hiệu quả phân tích hình ảnh máy soi",
            "Xây dựng thư viện ảnh soi mẫu",
            "Kết nối dữ liệu máy soi với hệ thống quản lý rủi ro",
            "Tổ chức ca soi chiếu tập trung",
            "Ứng dụng trí tuệ nhân tạo nhận diện hình ảnh soi chiếu",
        ),
        objects=(
            "đối với container hàng nhập khẩu",
            "đối với hàng hóa xuất khẩu qua cửa khẩu đường bộ",
            "đối với hành lý ký gửi tại sân bay quốc tế",
            "đối với bưu gửi, hàng chuyển phát nhanh",
            "đối với phương tiện vận tải qua cửa khẩu biên giới",
        ),
        purposes=(
            "",
            "",
            "nhằm giảm tỷ lệ kiểm tra thủ công",
        ),
        problems=(
            (
                "Hình ảnh soi chiếu {object} được phân tích riêng lẻ tại từng máy soi, chưa có ảnh"
                " mẫu để so sánh; nhiều trường hợp nghi vấn phải kiểm tra thủ công, mất {k} giờ "
                "mỗi lượt."
            ),
            (
                "Kết quả soi chiếu {object} chưa được kết nối với thông tin rủi ro của lô hàng; "
                "công chức soi chiếu thiếu dữ liệu để khoanh vùng nghi vấn."
            ),
        ),
        solutions=(
            (
                "{head} {object}: phân loại {big} ảnh soi theo nhóm hàng, đánh dấu dấu hiệu bất "
                "thường và chia sẻ cho các ca trực soi."
            ),
            (
                "{head} {object}, kèm quy trình luân phiên {k} công chức phân tích ảnh và phản hồi"
                " kết quả kiểm tra thực tế."
            ),
            (
                "{head} {object}: kết quả soi chiếu được gắn với tờ khai và hồ sơ rủi ro của lô "
                "hàng, công chức soi chiếu xem được thông tin nghi vấn trước khi phân tích ảnh."
            ),
        ),
        fits=((0, 1, 4), (0, 3), (2,)),
        problem_fits=((0, 1, 3, 4), (0, 2)),
        metrics=(
            ("giảm {n}% số trường hợp phải kiểm tra thủ công", 20, 55, True),
            ("phát hiện {n} trường hợp khai sai, cất giấu hàng hóa", 6, 90, True),
            ("rút ngắn {n}% thời gian soi chiếu và xử lý kết quả", 15, 40, True),
        ),
        scopes=("Các đơn vị hải quan được trang bị máy soi container, máy soi hành lý.",),
    ),
    Theme(
        key="revenue",
        field="revenue",
        contents=(DIG, LAW),
        heads=(
            "Triển khai nộp thuế điện tử và thông quan 24/7",
            "Đối chiếu tự động số thu",
            "Quản lý, đôn đốc thu hồi nợ thuế",
            "Xây dựng công cụ theo dõi thời hạn nộp thuế",
            "Tự động hóa thông báo nộp thuế",
        ),
        objects=(
            "đối với doanh nghiệp có số thuế phát sinh lớn",
            "với ngân hàng thương mại phối hợp thu",
            "đối với tờ khai áp dụng bảo lãnh thuế",
            "đối với hàng hóa của doanh nghiệp chế xuất",
            "đối với doanh nghiệp ngừng hoạt động",
        ),
        purposes=(
            "",
            "",
            "nhằm chống nợ đọng thuế",
        ),
        problems=(
            (
                "Việc đối chiếu số thu, theo dõi thời hạn nộp thuế {object} còn làm thủ công; tiền"
                " chậm nộp phát sinh và nợ đọng kéo dài."
            ),
            (
                "Thông tin nộp thuế {object} cập nhật chậm, doanh nghiệp đã nộp nhưng hàng vẫn chờ"
                " thông quan trung bình {k} giờ."
            ),
        ),
        solutions=(
            (
                "{head} {object}: lấy dữ liệu nộp thuế từ ngân hàng và Kho bạc, đối chiếu với tờ "
                "khai hằng ngày, tự động gửi thông báo trước hạn {k} ngày."
            ),
            (
                "{head} {object}, kèm bảng theo dõi từng khoản nợ và trách nhiệm đôn đốc của từng "
                "công chức."
            ),
        ),
        fits=((0, 1, 3, 4), (2, 3)),
        problem_fits=((0, 1, 2, 3, 4), (0, 1, 4)),
        metrics=(
            ("thu hồi {money} nợ thuế", 5, 200, True),
            ("giảm {n}% số tiền nợ thuế quá hạn", 15, 60, True),
            ("{n}% số thu được nộp qua phương thức điện tử", 90, 99, False),
        ),
        scopes=("Bộ phận quản lý thuế, kế toán thuế của các chi cục hải quan khu vực.",),
    ),
    Theme(
        key="training",
        field="organisation",
        contents=(JOB, SELF, INTL),
        heads=(
            "Xây dựng ngân hàng câu hỏi trắc nghiệm",
            "Xây dựng bài giảng điện tử",
            "Tổ chức sinh hoạt chuyên đề hằng tháng",
            "Kèm cặp, bồi dưỡng tại chỗ",
            "Xây dựng khung năng lực và lộ trình học tập",
        ),
        objects=(
            "về nghiệp vụ giám sát hải quan",
            "về kiểm tra sau thông quan",
            "về trị giá hải quan",
            "về tiếng Anh chuyên ngành hải quan",
            "cho công chức mới tuyển dụng",
            "về chuyển đổi số trong hải quan",
        ),
        purposes=(
            "",
            "",
            "theo vị trí việc làm",
            "gắn với phong trào xây dựng xã hội học tập",
        ),
        problems=(
            (
                "Nhu cầu bồi dưỡng {object} lớn nhưng tài liệu học tập chưa thống nhất; các lớp "
                "tập trung khó bố trí vì áp lực công việc."
            ),
            (
                "Kết quả kiểm tra nghiệp vụ {object} chưa đồng đều giữa các đội; công chức thiếu "
                "công cụ tự học, tự kiểm tra."
            ),
        ),
        solutions=(
            (
                "{head} {object}: {big} câu hỏi và học liệu phân theo vị trí việc làm, đưa lên hệ "
                "thống học tập trực tuyến để công chức tự học, tự kiểm tra."
            ),
            (
                "{head} {object}, mỗi chuyên đề do một công chức giỏi nghiệp vụ trình bày, có tài "
                "liệu và bài kiểm tra ngắn."
            ),
            (
                "{head} {object}: mô tả năng lực cần có của từng vị trí việc làm, các khóa học và "
                "thời hạn hoàn thành, theo dõi trên kế hoạch học tập cá nhân."
            ),
        ),
        fits=((0, 1), (2, 3), (4,)),
        metrics=(
            ("{n} lượt công chức tham gia học tập", 150, 2500, True),
            ("tỷ lệ đạt yêu cầu kiểm tra nghiệp vụ tăng lên {n}%", 82, 97, False),
            ("tiết kiệm khoảng {n} triệu đồng chi phí tổ chức lớp tập trung", 80, 900, True),
        ),
        scopes=("Toàn ngành; có thể đưa vào chương trình bồi dưỡng của Trường Hải quan Việt Nam.",),
    ),
    Theme(
        key="valuation",
        field="classification",
        contents=(JOB, LAW),
        heads=(
            "Xây dựng cơ sở dữ liệu giá tham chiếu",
            "Tham vấn giá trực tuyến",
            "Kiểm tra trị giá khai báo",
            "Kiểm tra, xác minh xuất xứ",
        ),
        objects=(
            "đối với ô tô, xe máy nhập khẩu",
            "đối với hàng điện tử tiêu dùng",
            "đối với nông sản nhập khẩu",
            "đối với sắt thép nhập khẩu",
            "đối với hàng hóa có giao dịch giữa các bên liên kết",
        ),
        purposes=(
            "",
            "",
            "nhằm chống gian lận thương mại",
        ),
        problems=(
            (
                "Trị giá khai báo {object} có dấu hiệu thấp hơn giá giao dịch thực tế; cơ sở dữ "
                "liệu giá chưa được cập nhật kịp thời, việc tham vấn mất nhiều thời gian."
            ),
            (
                "Hồ sơ chứng minh xuất xứ, trị giá {object} đa dạng; công chức mất trung bình {k} "
                "giờ để kiểm tra một bộ hồ sơ."
            ),
        ),
        solutions=(
            (
                "{head} {object}: tổng hợp giá giao dịch từ {big} tờ khai, phân nhóm theo thương "
                "hiệu, thông số kỹ thuật và xuất xứ, cập nhật hằng tuần."
            ),
            (
                "{head} {object}, kèm danh mục {k} dấu hiệu nghi vấn và mẫu văn bản yêu cầu doanh "
                "nghiệp giải trình."
            ),
            (
                "{head} {object}: doanh nghiệp gửi tài liệu và tham gia tham vấn trực tuyến, biên "
                "bản được ký số, không phải đến trụ sở hải quan."
            ),
        ),
        fits=((0, 2), (2, 3), (1,)),
        problem_fits=((0, 1, 2), (2, 3)),
        metrics=(
            ("điều chỉnh trị giá, truy thu {money} tiền thuế", 3, 120, True),
            ("giảm {n}% thời gian tham vấn", 25, 60, True),
        ),
        scopes=("Các đơn vị làm thủ tục cho hàng hóa nhập khẩu có rủi ro về trị giá, xuất xứ.",),
    ),
)

# Which themes an officer of a position writes about (weights); others draw any theme.
POSITION_THEMES: Mapping[str, Mapping[str, int]] = {
    "NV-QLRR": {"risk": 5, "valuation": 1, "vnaccs": 1},
    "NV-TTHQ": {
        "manifest": 2,
        "hs": 2,
        "single_window": 2,
        "public": 2,
        "scanning": 1,
        "valuation": 1,
        "risk": 1,
    },
    "NV-GSHQ": {"manifest": 4, "scanning": 3, "single_window": 1, "risk": 1},
    "NV-KSHQ": {"smuggling": 5, "scanning": 2, "risk": 1},
    "NV-DTCBL": {"smuggling": 5, "risk": 1},
    "NV-THUE": {"revenue": 4, "hs": 2, "valuation": 2, "public": 1},
    "NV-KTSTQ": {"pca": 5, "valuation": 1, "risk": 1},
    "NV-KDHQ": {"hs": 4, "valuation": 1},
    "NV-CNTT": {"vnaccs": 5, "public": 1, "risk": 1},
    "NV-TKHQ": {"vnaccs": 4, "risk": 1},
    "NV-TCCB": {"training": 5, "vnaccs": 1},
    "NV-GV": {"training": 5, "hs": 1},
    "NV-TDKT": {"training": 4, "vnaccs": 1},
    "NV-PC": {"public": 2, "pca": 1, "training": 1},
    "NV-TTKT": {"pca": 2, "training": 1},
    "NV-TVQT": {"revenue": 2, "vnaccs": 2, "training": 1},
}

# What is new in an initiative ({unit}: the unit's name).
NOVELTIES: tuple[str, ...] = (
    "Lần đầu được áp dụng tại {unit}; trước đây công việc này làm thủ công.",
    (
        "Giải pháp do nhóm tác giả tự xây dựng trên hạ tầng sẵn có, không phát sinh chi phí mua "
        "sắm; chưa được áp dụng tại {unit}."
    ),
    (
        "Kết hợp dữ liệu từ các hệ thống trước đây được khai thác riêng lẻ; cách làm mới trong "
        "phạm vi {unit}."
    ),
    (
        "Chuẩn hóa thành quy trình, biểu mẫu thống nhất, lần đầu được ban hành và áp dụng tại "
        "{unit}."
    ),
    (
        "Chưa có giải pháp tương tự được công nhận tại {unit}; cách tiếp cận dựa trên dữ liệu thay"
        " cho đánh giá cảm tính."
    ),
)

# Why a council returns an initiative for changes.
RETURN_REASONS: tuple[str, ...] = (
    "Đề nghị bổ sung số liệu so sánh trước và sau khi áp dụng giải pháp.",
    "Hồ sơ chưa có xác nhận của đơn vị về việc áp dụng thử; đề nghị bổ sung.",
    (
        "Mô tả giải pháp chưa rõ các bước thực hiện; đề nghị viết lại phần giải pháp và đính kèm "
        "quy trình."
    ),
    "Tỷ lệ đóng góp của các tác giả chưa có xác nhận của thủ trưởng đơn vị; đề nghị bổ sung.",
)

# Why a council refused, by what failed in the tally.
REFUSAL_REASONS: Mapping[str, tuple[str, ...]] = {
    "score": (
        (
            "Điểm trung bình của các thành viên Hội đồng chưa đạt mức tối thiểu. Giải pháp chưa có"
            " tính mới trong phạm vi đơn vị: cách làm tương tự đã được áp dụng từ trước."
        ),
        (
            "Điểm trung bình của các thành viên Hội đồng chưa đạt mức tối thiểu. Chưa chứng minh "
            "được hiệu quả thực tế; số liệu nêu trong hồ sơ chưa có căn cứ."
        ),
        (
            "Điểm trung bình của các thành viên Hội đồng chưa đạt mức tối thiểu. Giải pháp mới "
            "dừng ở đề xuất, chưa được áp dụng thử tại đơn vị."
        ),
    ),
    "vote": (
        (
            "Số thành viên Hội đồng biểu quyết đồng ý chưa đạt tỷ lệ quy định; phạm vi ảnh hưởng "
            "của giải pháp chưa rõ."
        ),
        (
            "Số thành viên Hội đồng biểu quyết đồng ý chưa đạt tỷ lệ quy định; hiệu quả mới thể "
            "hiện trong thời gian ngắn, cần tiếp tục theo dõi."
        ),
    ),
    "excluded": (
        (
            "Giải pháp trùng với tính năng của phần mềm đã được bảo hộ quyền tác giả, thuộc trường"
            " hợp không được công nhận là sáng kiến (Điều 3 Điều lệ Sáng kiến)."
        ),
    ),
}

# Members' comments by how well they scored.
COMMENTS: Mapping[str, tuple[str, ...]] = {
    "good": (
        "Giải pháp thiết thực, có khả năng nhân rộng.",
        "Số liệu hiệu quả rõ ràng, đề nghị công nhận.",
        "Cách làm sáng tạo, chi phí thấp.",
        "Đề nghị đơn vị chia sẻ quy trình cho các đơn vị khác.",
    ),
    "fair": (
        "Cần bổ sung số liệu so sánh trước và sau khi áp dụng.",
        "Phạm vi áp dụng còn hẹp.",
        "Hiệu quả cần tiếp tục theo dõi.",
    ),
    "poor": (
        "Chưa thấy điểm mới so với quy trình hiện hành.",
        "Số liệu hiệu quả chưa thuyết phục.",
        "Cách làm tương tự đã được áp dụng tại đơn vị khác.",
    ),
}
EXCLUSION_COMMENT = "Giải pháp trùng với phần mềm đã được bảo hộ quyền tác giả."

# How a unit reports applying someone else's initiative or model ({month}, {result}).
ADOPTION_OPENINGS: tuple[str, ...] = (
    "Áp dụng từ {month} theo hướng dẫn của nhóm tác giả; {result}.",
    "Thí điểm từ {month}, sau đó áp dụng chính thức; {result}.",
    "Áp dụng từ {month}, có điều chỉnh cho phù hợp với địa bàn; {result}.",
)
ADOPTION_TOO_RECENT = "Mới áp dụng từ {month}, chưa có số liệu đánh giá."
# Adopters per recognised initiative by its highest level (values, weights), and per good
# model.
ADOPTERS: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "co_so": ((0, 1, 2, 3, 4, 5, 6), (42, 26, 14, 9, 5, 3, 1)),
    "bo": ((1, 2, 3, 4, 5, 6), (15, 25, 25, 18, 10, 7)),
    "toan_quoc": ((3, 4, 5, 6), (20, 30, 30, 20)),
}
MODEL_ADOPTERS = ((0, 1, 2, 3, 4, 5, 6, 7, 8), (8, 14, 18, 16, 14, 10, 9, 6, 5))

# How a unit keeps a good model going.
MODEL_UPKEEP: tuple[str, ...] = (
    "Đơn vị giao một lãnh đạo phụ trách, đánh giá kết quả hằng quý.",
    "Kết quả được báo cáo trong sơ kết phong trào xây dựng xã hội học tập của đơn vị.",
    "Chi bộ và công đoàn cùng theo dõi, biểu dương cá nhân tích cực mỗi năm.",
)

# Good models: title, contents, summary, how it works, the result it reports.
GOOD_MODELS: tuple[tuple[str, tuple[str, ...], str, str, Metric], ...] = (
    (
        "Mô hình “Mỗi tuần một văn bản pháp luật”",
        (LAW, SELF),
        "Mỗi tuần công chức cùng tìm hiểu một văn bản pháp luật mới về hải quan, thuế.",
        (
            "Đầu tuần, bộ phận pháp chế chọn một văn bản, tóm tắt những điểm mới trong một trang "
            "và gửi cho toàn đơn vị; cuối tuần có câu hỏi kiểm tra nhanh."
        ),
        ("{n} văn bản được phổ biến", 40, 160, True),
    ),
    (
        "Tủ sách pháp luật điện tử dùng chung",
        (LAW, DIG),
        "Kho văn bản, tài liệu nghiệp vụ có chỉ mục, tra cứu được trên máy tính và điện thoại.",
        (
            "Văn bản được phân loại theo lĩnh vực nghiệp vụ, gắn tình trạng hiệu lực và cập nhật "
            "hằng tuần."
        ),
        ("{n} lượt tra cứu mỗi tháng", 300, 3000, True),
    ),
    (
        "Câu lạc bộ tiếng Anh chuyên ngành hải quan",
        (INTL, SELF),
        "Công chức luyện tiếng Anh chuyên ngành qua tình huống nghiệp vụ thực tế.",
        (
            "Sinh hoạt hai tuần một lần, mỗi buổi một chủ đề (phân loại, trị giá, xuất xứ, giao "
            "tiếp với hành khách), có công chức khá tiếng Anh làm trợ giảng."
        ),
        ("{n} công chức đạt bậc B2 trở lên", 8, 60, True),
    ),
    (
        "Mô hình “Chuyên gia HS tại chỗ”",
        (JOB,),
        "Mỗi đội có một công chức giỏi phân loại làm đầu mối hỗ trợ đồng nghiệp.",
        (
            "Đầu mối trả lời vướng mắc phân loại trong ngày, ghi lại tình huống vào sổ tay chung "
            "của đơn vị."
        ),
        ("giảm {n}% số tờ khai phải xác định lại mã số", 15, 45, True),
    ),
    (
        "Mô hình “Cà phê doanh nghiệp”",
        (LAW,),
        "Buổi trao đổi thân mật hằng tháng giữa lãnh đạo đơn vị và doanh nghiệp.",
        (
            "Doanh nghiệp gửi câu hỏi trước, lãnh đạo và công chức trả lời trực tiếp; vướng mắc "
            "chưa giải quyết được theo dõi đến khi có kết quả."
        ),
        ("giải đáp {n} vướng mắc của doanh nghiệp", 60, 400, True),
    ),
    (
        "Nhóm phân tích dữ liệu rủi ro liên đội",
        (DIG, JOB),
        "Công chức của các đội cùng phân tích dữ liệu để chọn lô hàng kiểm tra.",
        (
            "Nhóm họp trực tuyến hằng tuần, chia sẻ dấu hiệu vi phạm mới và cập nhật tiêu chí lựa "
            "chọn."
        ),
        ("phát hiện {n} vụ vi phạm", 10, 90, True),
    ),
    (
        "Mô hình kèm cặp “Người đi trước dẫn đường”",
        (JOB, SELF),
        "Mỗi công chức mới được một công chức nhiều kinh nghiệm kèm cặp trong sáu tháng đầu.",
        "Người kèm cặp và công chức mới có kế hoạch học tập chung, đánh giá kết quả hằng tháng.",
        ("{n} công chức mới được kèm cặp", 10, 80, True),
    ),
    (
        "Mô hình “Sáng thứ Sáu học tập”",
        (SELF,),
        "Ba mươi phút đầu giờ sáng thứ Sáu dành cho học tập, chia sẻ kiến thức.",
        "Mỗi tuần một công chức chia sẻ một chủ đề; tài liệu được lưu vào thư viện của đơn vị.",
        ("{n} buổi sinh hoạt được duy trì", 30, 120, True),
    ),
    (
        "Tổ công nghệ số hỗ trợ doanh nghiệp",
        (DIG,),
        "Tổ công chức trẻ hướng dẫn doanh nghiệp dùng các dịch vụ công trực tuyến.",
        (
            "Tổ trực tại bộ phận một cửa và qua điện thoại, hướng dẫn khai báo, ký số, nộp thuế "
            "điện tử."
        ),
        ("hỗ trợ {n} lượt doanh nghiệp", 150, 1500, True),
    ),
    (
        "Thư viện học liệu số của đơn vị",
        (DIG, SELF),
        "Bài giảng, tài liệu, bài kiểm tra của đơn vị được tập hợp ở một nơi.",
        (
            "Học liệu được gắn với vị trí việc làm; công chức tự học và ghi nhận giờ học vào kế "
            "hoạch học tập."
        ),
        ("{n} học liệu được chia sẻ", 40, 400, True),
    ),
    (
        "Diễn đàn chia sẻ kinh nghiệm sau luân chuyển",
        (INTL, JOB),
        "Công chức vừa luân chuyển chia sẻ cách làm hay của đơn vị cũ.",
        (
            "Mỗi quý một buổi, mỗi công chức luân chuyển trình bày một cách làm có thể áp dụng tại"
            " đơn vị mới."
        ),
        ("{n} cách làm được đưa vào áp dụng", 3, 20, True),
    ),
    (
        "Mô hình “Ca soi chiếu chuyên sâu”",
        (JOB,),
        "Ca trực soi chiếu có công chức giỏi phân tích ảnh kèm cặp công chức mới.",
        (
            "Ảnh soi nghi vấn được hai người cùng phân tích; kết quả kiểm tra thực tế được phản "
            "hồi lại cho ca soi."
        ),
        ("phát hiện {n} trường hợp cất giấu hàng hóa", 5, 60, True),
    ),
    (
        "Mô hình “Hải quan - doanh nghiệp đồng hành”",
        (LAW,),
        "Đơn vị ký kết đồng hành với các doanh nghiệp trên địa bàn để tuân thủ pháp luật.",
        (
            "Mỗi doanh nghiệp có một công chức đầu mối; hai bên rà soát định kỳ các lỗi khai báo "
            "thường gặp."
        ),
        ("giảm {n}% số tờ khai phải sửa đổi, bổ sung", 15, 50, True),
    ),
    (
        "Mô hình “Mỗi công chức một cải tiến”",
        (SELF, JOB),
        "Mỗi công chức đăng ký ít nhất một cải tiến nhỏ trong công việc mỗi năm.",
        (
            "Cải tiến được đăng ký đầu năm, đánh giá cuối năm; cải tiến tốt được hướng dẫn viết "
            "thành sáng kiến."
        ),
        ("{n} cải tiến được đăng ký", 20, 200, True),
    ),
    (
        "Lớp học trực tuyến buổi tối về chuyển đổi số",
        (DIG, SELF),
        "Các buổi học trực tuyến ngắn ngoài giờ về kỹ năng số cho công chức.",
        (
            "Mỗi buổi 45 phút về một công cụ (bảng tính, chữ ký số, khai thác dữ liệu), có bài "
            "thực hành."
        ),
        ("{n} lượt công chức tham gia", 100, 1200, True),
    ),
    (
        "Mô hình phối hợp ba lực lượng tại cửa khẩu",
        (LAW,),
        "Hải quan, Biên phòng và Kiểm dịch cùng kiểm tra tại một điểm.",
        (
            "Ba lực lượng thống nhất lịch trực, chia sẻ thông tin phương tiện và hàng hóa trên "
            "nhóm liên lạc chung."
        ),
        ("giảm {n}% thời gian thông quan phương tiện", 15, 40, True),
    ),
    (
        "Mô hình “Bản tin nghiệp vụ 5 phút” đầu ca",
        (JOB, SELF),
        "Năm phút đầu ca làm việc điểm lại tình huống nghiệp vụ và văn bản mới.",
        (
            "Trưởng ca chuẩn bị một tình huống hoặc một điểm mới; nội dung được lưu thành bản tin "
            "tuần."
        ),
        ("{n} bản tin được phát hành", 40, 250, True),
    ),
    (
        "Mô hình “Học tập theo tình huống”",
        (JOB,),
        "Học từ các vụ việc thực tế đã xử lý tại đơn vị.",
        (
            "Mỗi tháng một vụ việc được phân tích lại: dấu hiệu, cách phát hiện, bài học cho các "
            "đội."
        ),
        ("{n} tình huống được biên soạn", 12, 60, True),
    ),
    (
        "Nhóm nghiên cứu chuẩn mực của Tổ chức Hải quan Thế giới",
        (INTL, LAW),
        "Nhóm công chức tìm hiểu Công ước Kyoto sửa đổi và các chuẩn mực WCO.",
        "Nhóm dịch, tóm tắt tài liệu WCO và đề xuất áp dụng vào quy trình của đơn vị.",
        ("{n} tài liệu được dịch, tóm tắt", 10, 60, True),
    ),
    (
        "Mô hình giao lưu nghiệp vụ với hải quan nước láng giềng",
        (INTL,),
        "Trao đổi kinh nghiệm định kỳ với cơ quan hải quan phía bên kia cửa khẩu.",
        (
            "Hai bên họp giao ban hằng quý, thống nhất giờ làm việc, trao đổi thông tin phương "
            "tiện và vụ việc."
        ),
        ("{n} cuộc giao ban được tổ chức", 4, 24, True),
    ),
    (
        "Mô hình “Phòng họp không giấy”",
        (DIG,),
        "Tài liệu họp được gửi và ký điện tử, không in giấy.",
        "Tài liệu được đưa lên hệ thống trước cuộc họp; kết luận được ký số và gửi trong ngày.",
        ("tiết kiệm khoảng {n} triệu đồng chi phí văn phòng phẩm", 20, 200, True),
    ),
    (
        "Mô hình “Giải đáp vướng mắc trong 24 giờ”",
        (LAW, DIG),
        "Vướng mắc của doanh nghiệp được trả lời trong vòng 24 giờ làm việc.",
        (
            "Vướng mắc tiếp nhận qua cổng thông tin, thư điện tử và điện thoại được chuyển ngay "
            "cho đầu mối chuyên môn, có theo dõi thời hạn."
        ),
        ("{n}% vướng mắc được trả lời đúng hạn", 90, 99, False),
    ),
    (
        "Mô hình “Một công chức - nhiều kỹ năng”",
        (JOB,),
        "Công chức luân phiên qua các vị trí trong đội để thành thạo nhiều nghiệp vụ.",
        (
            "Mỗi công chức có lộ trình luân phiên sáu tháng một lần, kèm đánh giá kỹ năng sau mỗi "
            "vị trí."
        ),
        ("{n} công chức thành thạo từ ba vị trí trở lên", 10, 80, True),
    ),
    (
        "Cuộc thi tìm hiểu pháp luật hải quan trực tuyến",
        (LAW, SELF),
        "Cuộc thi trắc nghiệm trực tuyến hằng quý về pháp luật hải quan.",
        "Câu hỏi được xây dựng từ văn bản mới; kết quả được công bố và khen thưởng kịp thời.",
        ("{n} lượt công chức dự thi", 200, 2500, True),
    ),
    (
        "Góc học tập tại trụ sở đội",
        (SELF,),
        "Một góc nhỏ có sách, tài liệu và máy tính để công chức học tập giữa ca.",
        "Tài liệu được các đội đóng góp, luân chuyển giữa các đội mỗi quý.",
        ("{n} đầu sách, tài liệu được đóng góp", 50, 400, True),
    ),
    (
        "Mô hình “Gia đình học tập” của công chức hải quan",
        (SELF,),
        "Khuyến khích gia đình công chức cùng học tập, đọc sách.",
        (
            "Đơn vị phối hợp với công đoàn phát động, ghi nhận và biểu dương các gia đình tiêu "
            "biểu hằng năm."
        ),
        ("{n} gia đình đăng ký tham gia", 20, 150, True),
    ),
    (
        "Mô hình “Trợ lý số” tra cứu quy trình nghiệp vụ",
        (DIG, JOB),
        "Công cụ hỏi đáp tra cứu nhanh quy trình, biểu mẫu nghiệp vụ.",
        (
            "Quy trình, biểu mẫu được chuẩn hóa thành câu hỏi - trả lời, tra cứu được bằng tiếng "
            "Việt không dấu."
        ),
        ("{n} lượt tra cứu mỗi tháng", 200, 2500, True),
    ),
    (
        "Mô hình “Lãnh đạo đội lên lớp”",
        (JOB, SELF),
        "Lãnh đạo các đội trực tiếp giảng dạy chuyên đề nghiệp vụ cho công chức.",
        "Mỗi lãnh đạo đội phụ trách một chuyên đề, giảng ít nhất hai buổi mỗi năm.",
        ("{n} chuyên đề được giảng dạy", 10, 60, True),
    ),
    (
        "Câu lạc bộ lý luận chính trị trẻ",
        (LAW, SELF),
        "Đoàn viên thanh niên cùng tìm hiểu lý luận chính trị và pháp luật.",
        "Sinh hoạt hằng tháng theo chủ đề, có báo cáo viên của cấp ủy.",
        ("{n} đoàn viên tham gia thường xuyên", 15, 120, True),
    ),
    (
        "Mô hình chia sẻ dữ liệu vi phạm với cơ quan thuế nội địa",
        (DIG, LAW),
        "Trao đổi định kỳ dữ liệu vi phạm với cơ quan thuế trên địa bàn.",
        "Hai cơ quan ký quy chế phối hợp, trao đổi danh sách doanh nghiệp rủi ro hằng tháng.",
        ("truy thu {money} tiền thuế", 5, 150, True),
    ),
    (
        "Mô hình “Thứ Bảy tình nguyện số hóa hồ sơ”",
        (DIG,),
        "Đoàn viên tình nguyện số hóa hồ sơ lưu trữ vào ngày thứ Bảy.",
        "Hồ sơ được quét, đặt tên theo quy tắc thống nhất và đưa vào kho lưu trữ điện tử.",
        ("{n} hồ sơ được số hóa", 2000, 40000, True),
    ),
    (
        "Mô hình học tập kinh nghiệm hải quan ASEAN",
        (INTL,),
        "Hội thảo trực tuyến định kỳ về kinh nghiệm của hải quan các nước ASEAN.",
        (
            "Mỗi hội thảo giới thiệu một kinh nghiệm (cơ chế một cửa, doanh nghiệp ưu tiên, quản "
            "lý rủi ro) và khả năng áp dụng tại đơn vị."
        ),
        ("{n} hội thảo được tổ chức", 4, 20, True),
    ),
    (
        "Mô hình “Kiểm tra nghiệp vụ hằng quý”",
        (JOB,),
        "Bài kiểm tra ngắn hằng quý theo vị trí việc làm.",
        "Câu hỏi lấy từ tình huống thực tế; công chức chưa đạt được bồi dưỡng bổ sung.",
        ("tỷ lệ công chức đạt yêu cầu tăng lên {n}%", 85, 98, False),
    ),
    (
        "Mô hình “Sổ tay điện tử vị trí việc làm”",
        (JOB, DIG),
        "Mỗi vị trí việc làm có một sổ tay điện tử về nhiệm vụ, quy trình và kỹ năng cần có.",
        "Sổ tay do công chức giữ vị trí biên soạn, lãnh đạo đội duyệt và cập nhật mỗi năm.",
        ("{n} sổ tay được biên soạn", 5, 30, True),
    ),
    (
        "Nhóm hỗ trợ trực tuyến doanh nghiệp khu công nghiệp",
        (DIG, LAW),
        "Nhóm trao đổi trực tuyến giữa hải quan và doanh nghiệp trong khu công nghiệp.",
        (
            "Mỗi nhóm có công chức trực trả lời trong giờ hành chính; câu hỏi hay được tổng hợp "
            "thành tài liệu hỏi đáp."
        ),
        ("trả lời {n} câu hỏi của doanh nghiệp", 200, 2000, True),
    ),
    (
        "Mô hình “Hướng dẫn viên thủ tục tại sảnh”",
        (LAW,),
        "Công chức hướng dẫn trực tiếp người dân, doanh nghiệp tại sảnh làm thủ tục.",
        (
            "Hướng dẫn viên giải thích thủ tục, kiểm tra hồ sơ trước khi nộp và hướng dẫn khai báo"
            " điện tử."
        ),
        ("giảm {n}% hồ sơ phải bổ sung", 20, 60, True),
    ),
    (
        "Mô hình “Thanh niên hải quan với chuyển đổi số”",
        (DIG, SELF),
        "Đoàn thanh niên đi đầu trong học tập và ứng dụng công nghệ số.",
        "Đoàn viên đăng ký học một kỹ năng số mỗi năm và hướng dẫn lại cho đồng nghiệp.",
        ("{n} đoàn viên hoàn thành khóa kỹ năng số", 20, 200, True),
    ),
    (
        "Mô hình “Một ngày làm công chức kiểm soát”",
        (JOB,),
        "Công chức mới trải nghiệm công việc của đội kiểm soát trước khi nhận vị trí.",
        "Công chức mới đi cùng tổ tuần tra, ghi nhật ký và trao đổi với lãnh đạo đội.",
        ("{n} công chức mới tham gia", 10, 80, True),
    ),
    (
        "Mô hình phiên dịch viên cộng đồng tại cửa khẩu",
        (INTL,),
        "Công chức biết tiếng nước láng giềng hỗ trợ phiên dịch tại cửa khẩu.",
        (
            "Danh sách công chức biết ngoại ngữ được bố trí theo ca; từ vựng nghiệp vụ được biên "
            "soạn thành sổ tay song ngữ."
        ),
        ("hỗ trợ {n} lượt làm thủ tục", 300, 3000, True),
    ),
    (
        "Mô hình “Học từ sai sót”",
        (JOB, LAW),
        "Rà soát các tờ khai phải điều chỉnh để rút kinh nghiệm chung.",
        (
            "Mỗi tháng, các sai sót được tổng hợp không nêu tên, phân tích nguyên nhân và cách "
            "phòng tránh."
        ),
        ("giảm {n}% sai sót nghiệp vụ", 20, 60, True),
    ),
    (
        "Mô hình “Điểm tin pháp luật mới hằng ngày”",
        (LAW,),
        "Điểm tin văn bản pháp luật mới gửi cho công chức mỗi sáng.",
        (
            "Bộ phận pháp chế chọn văn bản mới ban hành, tóm tắt trong năm dòng và gửi qua thư "
            "điện tử nội bộ."
        ),
        ("{n} bản điểm tin được phát hành", 150, 600, True),
    ),
    (
        "Mô hình đánh giá năng lực tiếng Anh định kỳ",
        (INTL, SELF),
        "Đánh giá năng lực tiếng Anh của công chức hằng năm theo khung năng lực ngoại ngữ.",
        (
            "Kết quả đánh giá được dùng để xếp lớp tự học và chọn công chức tham gia hội nghị quốc"
            " tế."
        ),
        ("{n} công chức nâng bậc năng lực tiếng Anh", 10, 80, True),
    ),
)
