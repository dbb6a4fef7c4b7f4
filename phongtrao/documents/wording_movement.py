"""The wording of the movement's yearly report ("Báo cáo tổng kết Phong trào toàn dân bảo vệ an
ninh Tổ quốc năm …"), as data, in the form `wording.py` explains.

Sentences the festival report says the same way (outreach, pacts, mobilisation, "An toàn về
ANTT") are taken from `wording.py`, so a phrase is changed in one place. Besides catalogue
indicators, two sentences use figures of the registries, under codes of their own:
`RATING_<rating>` (models reviewed that year by effectiveness) and `GRADE_<grade>` (security
teams graded that year), both counted by `selectors.registry_figures`.
"""

from phongtrao.documents import wording
from phongtrao.documents.wording import (  # noqa: F401 - the words both reports share
    ANNEX_TITLE,
    ANNIVERSARY_AHEAD,
    ARCHIVE,
    AUTHOR_FIELD,
    MOTTO,
    MOTTO_NATION,
    NO_DATA,
    PART_RESULTS,
    PART_TASKS,
    RECIPIENTS_LABEL,
    SECTION_HEADING,
    TITLE,
    Section,
    Sentence,
    c,
)


def _festival(heading_start: str) -> list[Sentence]:
    """The festival report's sentences of the section whose heading starts so."""
    return next(s for s in wording.SECTIONS if s.heading.startswith(heading_start)).sentences


INTRO = (
    "Thực hiện Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư về tăng cường sự lãnh đạo "
    "của Đảng đối với Phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới và hướng "
    "dẫn của cấp trên, {subject} báo cáo tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc "
    "năm {year} như sau:"
)
ANNIVERSARY = (
    "Năm {year}, Phong trào toàn dân bảo vệ an ninh Tổ quốc được triển khai trong không khí thi "
    "đua chào mừng {anniversaries}."
)

# Codes of the registries' own figures (not catalogue indicators).
RATINGS = ("good", "fair", "average", "poor")
GRADES = ("excellent", "good", "completed", "not_completed")


def rating(code: str) -> str:
    return f"RATING_{code.upper()}"


def grade(code: str) -> str:
    return f"GRADE_{code.upper()}"


_mobilisation = _festival("Kết quả vận động")
_force = _festival("Lực lượng hướng về cơ sở")

SECTIONS: list[Section] = [
    Section(
        "Công tác chỉ đạo, hướng dẫn, xây dựng kế hoạch",
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
                " triển khai Phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}.",
            ),
        ],
    ),
    Section("Công tác tuyên truyền", _festival("Công tác tuyên truyền")),
    Section(
        "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        [
            Sentence(
                "Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {year} ",
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
                ],
                " (kết quả cụ thể tại Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh "
                "Tổ quốc năm {year}).",
            ),
        ],
    ),
    Section(
        "Xây dựng, nhân rộng mô hình, điển hình tiên tiến",
        [
            *_festival("Xây dựng, nhân rộng mô hình"),
            Sentence(
                "Qua đánh giá, có ",
                [
                    c(
                        rating("good"),
                        "{n} mô hình hoạt động hiệu quả tốt",
                        "số mô hình hoạt động hiệu quả tốt",
                        "mô hình",
                    ),
                    c(rating("fair"), "{n} mô hình khá", "số mô hình khá", "mô hình"),
                    c(
                        rating("average"),
                        "{n} mô hình trung bình",
                        "số mô hình trung bình",
                        "mô hình",
                    ),
                    c(rating("poor"), "{n} mô hình yếu", "số mô hình yếu", "mô hình"),
                ],
                last_joiner=" và ",
            ),  # fmt: skip
        ],
    ),
    Section("Ký kết giao ước thi đua, khen thưởng", _festival("Ký kết giao ước thi đua")),
    Section("Kết quả vận động quần chúng tham gia phòng, chống tội phạm", _mobilisation),
    Section("Lực lượng hướng về cơ sở", _force[:1]),
    Section(
        "Tổ bảo vệ an ninh, trật tự ở cơ sở",
        [
            *_force[1:],
            Sentence(
                "Kết quả phân loại năm {year}: ",
                [
                    c(
                        grade("excellent"),
                        "{n} Tổ hoàn thành xuất sắc nhiệm vụ",
                        "số Tổ hoàn thành xuất sắc nhiệm vụ",
                        "tổ",
                    ),
                    c(
                        grade("good"),
                        "{n} Tổ hoàn thành tốt nhiệm vụ",
                        "số Tổ hoàn thành tốt nhiệm vụ",
                        "tổ",
                    ),
                    c(
                        grade("completed"),
                        "{n} Tổ hoàn thành nhiệm vụ",
                        "số Tổ hoàn thành nhiệm vụ",
                        "tổ",
                    ),
                    c(
                        grade("not_completed"),
                        "{n} Tổ không hoàn thành nhiệm vụ",
                        "số Tổ không hoàn thành nhiệm vụ",
                        "tổ",
                    ),
                ],
                last_joiner=" và ",
            ),  # fmt: skip
        ],
    ),
    Section(
        "Xây dựng khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn "
        "“An toàn về an ninh, trật tự”",
        _festival("Xây dựng khu dân cư"),
    ),
]

STANDOUTS: dict[str, str] = {
    "SCHEMES_NEW": "{name} xây dựng mới nhiều mô hình nhất ({n})",
    "TIPS_RECEIVED": "{name} tiếp nhận nhiều tin báo, tố giác tội phạm nhất ({n} tin)",
    "FIELD_OFFICERS_DEPLOYED": "{name} có nhiều lượt cán bộ, chiến sĩ hướng về cơ sở nhất "
    "({n} lượt)",
}
STANDOUT = wording.STANDOUT
STANDOUT_JOINER = wording.STANDOUT_JOINER

PART_ASSESSMENT = "II. ĐÁNH GIÁ CHUNG"
# The assessment, for the author: each heading followed by a line of dots.
ASSESSMENT = ["1. Ưu điểm", AUTHOR_FIELD, "2. Tồn tại, hạn chế", AUTHOR_FIELD]

SUBTITLE = "Tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}"
ANNEX_SUBTITLE = "(Kèm theo Báo cáo tổng kết Phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year})"
# The annex lists every numeric indicator of the catalogue: these groups first, in this order,
# then any other under ANNEX_OTHER.
ANNEX_FORM = None
ANNEX_SECTIONS: list[tuple[str, list[str]]] = [
    ("Công tác chỉ đạo", ["PLANS_ISSUED"]),
    ("Tuyên truyền", ["OUTREACH_SESSIONS", "OUTREACH_AUDIENCE", "NEWS_ITEMS", "BROADCASTS",
                      "BANNERS_SLOGANS"]),
    ("Ngày hội toàn dân bảo vệ an ninh Tổ quốc", ["FESTIVAL_EVENTS", "FESTIVAL_PARTICIPANTS",
     "FESTIVAL_GIFTS_VND", "CULTURAL_SPORTS_EVENTS", "SEMINARS", "GRATITUDE_ACTIVITIES"]),
    ("Xây dựng mô hình", ["SCHEMES_MAINTAINED", "SCHEMES_REPLICATED", "SCHEMES_NEW",
                          "SCHEMES_DAN_VAN_KHEO", "SCHEME_POINTS"]),
    ("Giao ước thi đua và khen thưởng", ["PACTS_SIGNED", "AWARDED_COLLECTIVES",
                                         "AWARDED_INDIVIDUALS"]),
    ("Kết quả vận động quần chúng", ["WEAPONS_SURRENDERED", "AMMUNITION_SURRENDERED",
     "EXPLOSIVES_SURRENDERED_KG", "SUPPORT_TOOLS_SURRENDERED", "OFFENDERS_SURRENDERED",
     "TIPS_RECEIVED", "COMMUNITY_EDUCATION_PERSONS", "REINTEGRATION_PERSONS"]),
    ("Lực lượng hướng về cơ sở", ["FIELD_OFFICERS_DEPLOYED"]),
    ("Tổ bảo vệ an ninh, trật tự", ["SECURITY_TEAMS", "SECURITY_TEAM_MEMBERS"]),
    ("Đạt chuẩn “An toàn về ANTT”", ["SAFE_RESIDENTIAL_AREAS", "SAFE_COMMUNES",
                                      "SAFE_ORGANIZATIONS"]),
]  # fmt: skip
ANNEX_OTHER = "Các chỉ tiêu khác"
