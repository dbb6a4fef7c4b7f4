"""The report's Vietnamese wording, as data: change a phrase here, not in the code.

A section holds sentences; a sentence is an opening, clauses and an ending. A clause names one
indicator and says its number with `{n}` ("nhân rộng {n} mô hình"); a clause whose number is
zero or missing is left out, and a sentence without clauses is left out whole, so the report
never says "0 mô hình". After each sentence, a comparison with the previous year lists the
clauses that year has data for ("So với năm 2018: số mô hình được nhân rộng tăng 12 mô hình").

The phrasings are those the legacy extractor (phongtrao/extraction/phrases.py) reads back:
a cue verb, the number, then its noun ("củng cố, duy trì 1.240 mô hình"). Comparisons start
with "So với năm …", which tells the extractor they are not this year's figures.

Placeholders: {subject} the reporting body ("Công an tỉnh Quảng Ngãi"), {scope} the area
("toàn tỉnh"), {year}, {previous_year}, {name} and {n} where a sentence says so.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    code: str
    text: str  # with {n}
    label: str  # the subject of the comparison: "số mô hình được nhân rộng"
    unit: str  # the noun after a difference: "mô hình"


@dataclass(frozen=True)
class Sentence:
    opening: str
    clauses: list[Clause]
    ending: str = "."
    joiner: str = ", "
    last_joiner: str = ", "


@dataclass(frozen=True)
class Section:
    heading: str
    sentences: list[Sentence] = field(default_factory=list)
    # Text always written, even without figures (the author completes it).
    fixed: list[str] = field(default_factory=list)


def c(code: str, text: str, label: str, unit: str) -> Clause:
    return Clause(code, text, label, unit)


INTRO = (
    "Thực hiện Quyết định số 521/QĐ-TTg ngày 13/6/2005 của Thủ tướng Chính phủ về việc lấy ngày "
    "19/8 hằng năm là Ngày hội toàn dân bảo vệ an ninh Tổ quốc và hướng dẫn của cấp trên, "
    "{subject} báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} "
    "như sau:"
)
# {anniversaries}: "kỷ niệm 74 năm … và 14 năm …, hướng tới kỷ niệm 75 năm …".
ANNIVERSARY = (
    "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} được tổ chức trong không khí thi đua "
    "chào mừng {anniversaries}."
)
ANNIVERSARY_AHEAD = ", hướng tới kỷ niệm {ahead}"
PART_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
COMPARISON = "So với năm {previous_year}: {parts}."
COMPARISON_JOINER = "; "
INCREASE = "{label} tăng {n} {unit}"
DECREASE = "{label} giảm {n} {unit}"
SAME = "{label} bằng năm {previous_year}"
NO_DATA = (
    "Chưa có số liệu của năm {year} trong hệ thống; đề nghị các đơn vị cập nhật số liệu để "
    "hoàn thiện báo cáo."
)
STANDOUT = "Đơn vị tiêu biểu: {parts}."
STANDOUT_JOINER = "; "
# Named from the registry of festival events; the count sits in brackets as in STANDOUTS, where
# the extractor does not take it for the year's total.
STANDOUT_EVENT = (
    "Điểm tổ chức tiêu biểu: {venue} ({unit}), ngày {day}, đông người tham dự nhất ({n} lượt)."
)

SECTIONS: list[Section] = [
    Section(
        "Công tác chỉ đạo, hướng dẫn",
        [
            Sentence(
                "{subject} đã tham mưu ",
                [
                    c(
                        "PLANS_ISSUED",
                        "ban hành {n} kế hoạch, văn bản chỉ đạo, hướng dẫn",
                        "số kế hoạch, văn bản chỉ đạo",
                        "văn bản",
                    )
                ],
                " tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc và triển khai Phong trào "
                "toàn dân bảo vệ an ninh Tổ quốc.",
            ),
        ],
    ),
    Section(
        "Công tác tuyên truyền",
        [
            Sentence(
                "Công tác tuyên truyền được đẩy mạnh với nhiều hình thức: ",
                [
                    c(
                        "OUTREACH_SESSIONS",
                        "tổ chức {n} buổi tuyên truyền",
                        "số buổi tuyên truyền",
                        "buổi",
                    ),
                    c(
                        "OUTREACH_AUDIENCE",
                        "tuyên truyền cho {n} lượt người nghe",
                        "số lượt người được tuyên truyền",
                        "lượt người",
                    ),
                    c("NEWS_ITEMS", "đăng tải {n} tin, bài", "số tin, bài", "tin, bài"),
                    c(
                        "BROADCASTS",
                        "phát sóng {n} chương trình phát thanh, truyền hình",
                        "số chương trình phát thanh, truyền hình",
                        "chương trình",
                    ),
                    c(
                        "BANNERS_SLOGANS",
                        "treo {n} băng rôn, khẩu hiệu, pa nô",
                        "số băng rôn, khẩu hiệu, pa nô",
                        "cái",
                    ),
                ],
                joiner="; ",
                last_joiner="; ",
            ),
        ],
    ),
    Section(
        "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        [
            Sentence(
                "Ngày hội toàn dân bảo vệ an ninh Tổ quốc ",
                [
                    c(
                        "FESTIVAL_EVENTS",
                        "được tổ chức tại {n} điểm",
                        "số điểm tổ chức Ngày hội",
                        "điểm",
                    ),
                    c(
                        "FESTIVAL_PARTICIPANTS",
                        "thu hút {n} lượt người dân tham dự",
                        "số lượt người tham dự",
                        "lượt người",
                    ),
                    c(
                        "FESTIVAL_GIFTS_VND",
                        "tặng quà, hỗ trợ trị giá {n} đồng",
                        "giá trị quà tặng, hỗ trợ",
                        "đồng",
                    ),
                ],
            ),
            Sentence(
                "Trong dịp Ngày hội, ",
                [
                    c(
                        "CULTURAL_SPORTS_EVENTS",
                        "tổ chức {n} hoạt động giao lưu văn hóa, văn nghệ, thể dục, thể thao",
                        "số hoạt động văn hóa, văn nghệ, thể thao",
                        "hoạt động",
                    ),
                    c(
                        "SEMINARS",
                        "{n} buổi tọa đàm, hội thảo",
                        "số buổi tọa đàm, hội thảo",
                        "buổi",
                    ),
                    c(
                        "GRATITUDE_ACTIVITIES",
                        "{n} hoạt động đền ơn, đáp nghĩa",
                        "số hoạt động đền ơn, đáp nghĩa",
                        "hoạt động",
                    ),
                ],
                last_joiner=" và ",
            ),
        ],
    ),
    Section(
        "Ký kết giao ước thi đua, khen thưởng",
        [
            Sentence(
                "Các cơ quan, đơn vị, khu dân cư ",
                [
                    c(
                        "PACTS_SIGNED",
                        "ký kết {n} bản giao ước thi đua",
                        "số bản giao ước thi đua",
                        "bản",
                    )
                ],
                " thực hiện Phong trào toàn dân bảo vệ an ninh Tổ quốc.",
            ),
            Sentence(
                "Khen thưởng, biểu dương ",
                [
                    c(
                        "AWARDED_COLLECTIVES",
                        "{n} tập thể",
                        "số tập thể được khen thưởng",
                        "tập thể",
                    ),
                    c(
                        "AWARDED_INDIVIDUALS",
                        "{n} cá nhân",
                        "số cá nhân được khen thưởng",
                        "cá nhân",
                    ),
                ],
                " có thành tích xuất sắc trong Phong trào.",
            ),
        ],
    ),
    Section(
        "Xây dựng, nhân rộng mô hình, điển hình tiên tiến",
        [
            Sentence(
                "",
                [
                    c(
                        "SCHEMES_MAINTAINED",
                        "củng cố, duy trì {n} mô hình",
                        "số mô hình được củng cố, duy trì",
                        "mô hình",
                    ),
                    c(
                        "SCHEMES_REPLICATED",
                        "nhân rộng {n} mô hình",
                        "số mô hình được nhân rộng",
                        "mô hình",
                    ),
                    c(
                        "SCHEMES_NEW",
                        "xây dựng mới {n} mô hình",
                        "số mô hình xây dựng mới",
                        "mô hình",
                    ),
                ],
                " tự quản, tự phòng, tự bảo vệ, tự hòa giải về an ninh, trật tự.",
            ),
            Sentence(
                "Toàn {scope} có ",
                [
                    c(
                        "SCHEMES_DAN_VAN_KHEO",
                        "{n} mô hình “Dân vận khéo”",
                        "số mô hình “Dân vận khéo”",
                        "mô hình",
                    )
                ],
                " trong lĩnh vực bảo đảm an ninh, trật tự.",
            ),
            Sentence(
                "Các mô hình được triển khai tại ",
                [c("SCHEME_POINTS", "{n} điểm áp dụng mô hình", "số điểm áp dụng mô hình", "điểm")],
            ),
        ],
    ),
    Section(
        "Kết quả vận động quần chúng tham gia phòng, chống tội phạm",
        [
            Sentence(
                "Vận động quần chúng nhân dân tự nguyện giao nộp, thu hồi ",
                [
                    c(
                        "WEAPONS_SURRENDERED",
                        "{n} khẩu súng các loại",
                        "số vũ khí được giao nộp",
                        "khẩu",
                    ),
                    c("AMMUNITION_SURRENDERED", "{n} viên đạn", "số đạn được giao nộp", "viên"),
                    c(
                        "EXPLOSIVES_SURRENDERED_KG",
                        "{n} kg vật liệu nổ",
                        "khối lượng vật liệu nổ được giao nộp",
                        "kg",
                    ),
                    c(
                        "SUPPORT_TOOLS_SURRENDERED",
                        "{n} công cụ hỗ trợ",
                        "số công cụ hỗ trợ được giao nộp",
                        "chiếc",
                    ),
                ],
                last_joiner=" và ",
            ),
            Sentence(
                "Vận động ",
                [
                    c(
                        "OFFENDERS_SURRENDERED",
                        "{n} đối tượng ra đầu thú",
                        "số đối tượng ra đầu thú",
                        "đối tượng",
                    )
                ],
            ),
            Sentence(
                "Tiếp nhận ",
                [
                    c(
                        "TIPS_RECEIVED",
                        "{n} tin báo, tố giác tội phạm",
                        "số tin báo, tố giác tội phạm",
                        "tin",
                    )
                ],
                " từ quần chúng nhân dân.",
            ),
            Sentence(
                "Phối hợp ",
                [
                    c(
                        "COMMUNITY_EDUCATION_PERSONS",
                        "quản lý, giáo dục {n} người vi phạm pháp luật tại cộng đồng",
                        "số người được quản lý, giáo dục tại cộng đồng",
                        "người",
                    ),
                    c(
                        "REINTEGRATION_PERSONS",
                        "giúp đỡ {n} người chấp hành xong án phạt tù tái hòa nhập cộng đồng",
                        "số người được hỗ trợ tái hòa nhập cộng đồng",
                        "người",
                    ),
                ],
                last_joiner="; ",
                joiner="; ",
            ),
        ],
    ),
    Section(
        "Lực lượng hướng về cơ sở và Tổ bảo vệ an ninh, trật tự",
        [
            Sentence(
                "Điều động ",
                [
                    c(
                        "FIELD_OFFICERS_DEPLOYED",
                        "{n} lượt cán bộ, chiến sĩ hướng về cơ sở",
                        "số lượt cán bộ, chiến sĩ hướng về cơ sở",
                        "lượt",
                    )
                ],
                ", bám địa bàn, nắm tình hình, hướng dẫn Phong trào.",
            ),
            Sentence(
                "Toàn {scope} có ",
                [
                    c(
                        "SECURITY_TEAMS",
                        "{n} Tổ bảo vệ an ninh, trật tự ở cơ sở",
                        "số Tổ bảo vệ an ninh, trật tự",
                        "tổ",
                    ),
                    c(
                        "SECURITY_TEAM_MEMBERS",
                        "{n} thành viên Tổ bảo vệ an ninh, trật tự",
                        "số thành viên",
                        "người",
                    ),
                ],
                last_joiner=" với ",
            ),
        ],
    ),
    Section(
        "Xây dựng khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn "
        "“An toàn về an ninh, trật tự”",
        [
            Sentence(
                "Có ",
                [
                    c("SAFE_RESIDENTIAL_AREAS", "{n} khu dân cư", "số khu dân cư đạt chuẩn", "khu"),
                    c(
                        "SAFE_COMMUNES",
                        "{n} xã, phường, đặc khu",
                        "số xã, phường, đặc khu đạt chuẩn",
                        "đơn vị",
                    ),
                    c(
                        "SAFE_ORGANIZATIONS",
                        "{n} cơ quan, doanh nghiệp, cơ sở giáo dục",
                        "số cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn",
                        "đơn vị",
                    ),
                ],
                " đạt chuẩn “An toàn về an ninh, trật tự”.",
                last_joiner=" và ",
            ),
        ],
    ),
]

# Standout units: the child unit with the highest value of an indicator, named at the end of
# the section that speaks of that indicator. {name} is the unit's full name, {n} its number.
STANDOUTS: dict[str, str] = {
    "FESTIVAL_PARTICIPANTS": "{name} có số người tham dự Ngày hội đông nhất ({n} lượt)",
    "SCHEMES_NEW": "{name} xây dựng mới nhiều mô hình nhất ({n})",
}
# Sections are numbered as written, so a section left out leaves no gap: "{number}. {heading}".
SECTION_HEADING = "{number}. {heading}"

PART_ASSESSMENT = "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"
PART_TASKS = "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}"
# Left for the author: a line of dots, replaced in Word.
AUTHOR_FIELD = "…………………………………………………………………………………………………"

TITLE = "BÁO CÁO"
SUBTITLE = "Kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year}"
ANNEX_TITLE = "PHỤ LỤC SỐ LIỆU"
ANNEX_SUBTITLE = (
    "(Kèm theo Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year})"
)
# Which data the figures are (a data state's label) and how many of the units that must report
# the festival form they cover: "Số liệu của 87/110 đơn vị đã gửi báo cáo".
DATA_NOTE = "Số liệu tổng hợp: {state}."
COVERAGE_NOTE = "{coverage}."
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
ARCHIVE = "Lưu: VT"

# The assessment part, for the author (the movement report has two headings in it).
ASSESSMENT = [AUTHOR_FIELD]
# The annex: the sections of this reporting form (the movement report lists the catalogue).
ANNEX_FORM = "FESTIVAL"
ANNEX_SECTIONS: list[tuple[str, list[str]]] = []
ANNEX_OTHER = ""
