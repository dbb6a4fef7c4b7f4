"""How reports phrase each indicator: the one table to extend.

A figure is a number followed by a *noun* ("1.240 mô hình"). Which indicator it counts is told
by the words around it:
- `before`: a verb or cue earlier in the same clause, governing the number ("nhân rộng 85 mô
  hình"); when several cues compete for the same noun, the nearest one wins, so "củng cố, duy
  trì 1.240 mô hình, nhân rộng 85 mô hình" gives two indicators;
- `after`: words right after the noun, possibly after the other items of a list
  ("1.520 khu dân cư, 125 xã đạt chuẩn “An toàn về an ninh, trật tự”");
- neither: the noun alone is unambiguous ("312 bản giao ước thi đua"); such a phrase may name
  the `short` head noun a sentence uses to repeat it ("số lượng Tổ bảo vệ an ninh, trật tự … là
  4.351 tổ"), which counts the same thing when the full noun stands before it in the clause.

Write phrases in Vietnamese with diacritics, in lower case, new tone placement ("hòa", "tọa");
they are regular expressions. Adding a phrasing is one line. Precision comes first: a phrase
that could also describe something else needs a cue.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    noun: str
    before: str = ""
    after: str = ""
    # How many other words may stand between the `before` cue and the number.
    reach: int = 4
    # The head noun standing for the full noun named before it (only without before/after).
    short: str = ""

    def __post_init__(self) -> None:
        if self.short and (self.before or self.after):
            raise ValueError("a short noun stands for a noun that needs no cue")


# Shared fragments, so the same wording is written once.
NGAY_HOI = r"ngày hội(?: toàn dân bảo vệ (?:an ninh tổ quốc|antq))?(?: năm \d{4})?"
ANTT = r"(?:an ninh,? trật tự|antt)"
SAFE = (
    rf"(?:(?:đã )?được công nhận (?:là )?)?"
    rf"đạt (?:tiêu )?chuẩn,? (?:[\"“”']?an toàn )?về {ANTT}[\"“”']?"
)
ABOUT = r"(?:(?:hơn|gần|trên|khoảng) )?"
LISTENERS = r"(?:lượt )?(?:người dân|người|quần chúng|cán bộ,? (?:và )?nhân dân)"
LISTEN = r"(?:(?:đến )?(?:nghe|dự nghe) (?:tuyên truyền|phổ biến|nói chuyện)|đến nghe)"
PEOPLE = r"(?:người|đối tượng|trường hợp)"
OFFICERS = r"lượt (?:cán bộ,? chiến sĩ|cbcs|cán bộ)|lượt cán bộ, chiến sĩ"
FIELD = r"(?:hướng về|xuống|về|bám) (?:cơ sở|địa bàn)"
SCHEME = r"mô hình(?:, điển hình)?(?: tự quản| tự phòng| tự bảo vệ| tự hòa giải)*"
AWARD = (
    r"khen thưởng|biểu dương|(?:trao |trao tặng |tặng )(?:bằng khen|giấy khen)"
    r"|khen thưởng, biểu dương"
)
# "2 tập thể và 2 cá nhân được nhận giấy khen": the award after the list.
AWARDED = r"(?:được |đã được )?(?:nhận |trao |tặng |trao tặng )?(?:bằng khen|giấy khen)"
# "10 tập thể, cá nhân" counts both together: neither indicator.
COLLECTIVES = r"tập thể(?!,? (?:và )?cá nhân)"

PHRASES: dict[str, list[Phrase]] = {
    "FESTIVAL_EVENTS": [
        Phrase(r"điểm", after=rf"(?:tổ chức |điểm )?{NGAY_HOI}"),
        Phrase(r"điểm", before=rf"{NGAY_HOI}(?: được tổ chức| diễn ra)? tại"),
        # "tổ chức Ngày hội … năm 2024, tại 9/9 khu dân cư": one festival in each.
        Phrase(
            r"khu dân cư|thôn,? (?:tổ dân phố|khu phố)",
            before=rf"{NGAY_HOI}[\"“”']?(?: năm \d{{4}})?,? tại",
        ),
        Phrase(r"điểm (?:tổ chức )?ngày hội"),
        Phrase(r"điểm", before=r"điểm tổ chức ngày hội:"),
    ],
    "FESTIVAL_PARTICIPANTS": [
        Phrase(r"lượt người(?: dân)?", after=rf"(?:tham dự|tham gia|dự) {NGAY_HOI}"),
        Phrase(r"lượt người(?: dân)?|người dân|lượt quần chúng", before=NGAY_HOI),
        # "Ngày hội …, thu hút hơn 200 cán bộ, nhân dân và lực lượng vũ trang tham dự"
        Phrase(
            r"cán bộ,? (?:và )?(?:nhân dân|người dân)(?:,? (?:và )?lực lượng vũ trang)?",
            before=NGAY_HOI,
        ),
    ],
    "FESTIVAL_GIFTS_VND": [
        Phrase(r"đồng", before=r"(?:suất )?quà|tặng quà|quà tặng|hỗ trợ"),
    ],
    "PLANS_ISSUED": [
        Phrase(
            r"(?:kế hoạch|văn bản|công văn)(?:,? (?:văn bản|hướng dẫn|chỉ đạo|kế hoạch))*",
            before=r"ban hành|xây dựng, ban hành|tham mưu ban hành",
        ),
    ],
    "OUTREACH_SESSIONS": [
        Phrase(r"(?:buổi|cuộc|đợt) tuyên truyền(?:,? phổ biến)?"),
        # "tổ chức 437 cuộc, thu hút gần 17.200 người dân đến nghe": sessions people listen to.
        Phrase(r"buổi|cuộc", after=rf",? (?:thu hút|với|có) {ABOUT}[\d.]+ {LISTENERS} {LISTEN}"),
        Phrase(r"buổi|cuộc|lượt", before=r"tuyên truyền(?:,? phổ biến(?: pháp luật)?)?"),
    ],
    "OUTREACH_AUDIENCE": [
        Phrase(LISTENERS, after=rf" {LISTEN}"),
        Phrase(
            r"lượt người(?: dân)?|lượt quần chúng|người nghe",
            before=r"tuyên truyền|phổ biến|buổi tuyên truyền",
            reach=12,  # "tuyên truyền về phòng, chống ma túy … cho 1.350 lượt người"
        ),
    ],
    "NEWS_ITEMS": [
        Phrase(r"tin,? bài(?: viết)?(?:,? (?:ảnh|phóng sự))*|bài viết|tin,? ảnh"),
    ],
    "BROADCASTS": [
        Phrase(
            r"(?:chương trình|phóng sự|chuyên mục)(?:,? (?:chương trình|phóng sự))?"
            r" (?:phát thanh|truyền hình|truyền thanh)(?:,? (?:truyền hình|truyền thanh))?"
        ),
        Phrase(r"chương trình|chuyên mục|phóng sự", before=r"phát sóng|phát thanh, truyền hình"),
    ],
    "BANNERS_SLOGANS": [
        Phrase(
            r"(?:băng[ -]?[rz]ôn|khẩu hiệu|pa[ -]?nô|panô|áp phích|cờ phướn)"
            r"(?:,? (?:băng[ -]?[rz]ôn|khẩu hiệu|pa[ -]?nô|panô|áp phích|cờ phướn))*"
        ),
    ],
    "CULTURAL_SPORTS_EVENTS": [
        Phrase(
            r"(?:hoạt động|buổi|chương trình|cuộc) (?:giao lưu )?"
            r"(?:văn hóa|văn nghệ|thể dục|thể thao)(?:,? (?:văn hóa|văn nghệ|thể dục|thể thao))*"
        ),
        Phrase(r"giải (?:thi đấu )?thể thao|giải bóng đá|giải bóng chuyền"),
    ],
    "SEMINARS": [
        Phrase(r"(?:buổi |cuộc )?(?:tọa đàm|hội thảo)(?:,? (?:tọa đàm|hội thảo))?"),
    ],
    "GRATITUDE_ACTIVITIES": [
        Phrase(r"(?:hoạt động|chương trình|đợt) đền ơn,? đáp nghĩa"),
    ],
    "PACTS_SIGNED": [
        Phrase(r"(?:bản |văn bản )?giao ước thi đua|bản giao ước|bản cam kết thi đua"),
        Phrase(r"bản", before=r"ký kết giao ước(?: thi đua)?"),
    ],
    "AWARDED_COLLECTIVES": [
        Phrase(COLLECTIVES, before=AWARD),
        Phrase(COLLECTIVES, after=AWARDED),
    ],
    "AWARDED_INDIVIDUALS": [
        Phrase(r"cá nhân", before=AWARD),
        Phrase(r"cá nhân", after=AWARDED),
    ],
    "SCHEMES_MAINTAINED": [
        Phrase(SCHEME, before=r"củng cố,? (?:và )?duy trì|duy trì,? củng cố|củng cố|duy trì"),
    ],
    "SCHEMES_REPLICATED": [Phrase(SCHEME, before=r"nhân rộng")],
    "SCHEMES_NEW": [
        Phrase(
            SCHEME,
            before=r"xây dựng mới|thành lập mới|xây dựng thêm|xây dựng,? thành lập mới",
        ),
        Phrase(r"mô hình mới", before=r"xây dựng|thành lập"),
    ],
    "SCHEMES_DAN_VAN_KHEO": [
        # "11 mô hình và 01 điển hình trong phong trào “Dân vận khéo”": the models are 11.
        Phrase(
            r"mô hình(?:, điển hình)?",
            after=r"(?:,? (?:và )?\d+ điển hình)?(?: (?:trong|của|thuộc) phong trào(?: thi đua)?)?"
            r" ?[\"“”']?dân vận khéo[\"“”']?",
        ),
    ],
    "SCHEME_POINTS": [
        Phrase(r"điểm (?:áp dụng|triển khai|thực hiện)(?: mô hình)?|điểm mô hình"),
        Phrase(r"điểm", before=r"mô hình(?: tại| với)"),
    ],
    "WEAPONS_SURRENDERED": [
        Phrase(
            r"khẩu súng|súng|khẩu|vũ khí|khẩu súng, vũ khí",
            before=r"giao nộp|thu hồi|tự nguyện giao nộp|giao nộp, thu hồi",
        ),
    ],
    "AMMUNITION_SURRENDERED": [
        Phrase(r"viên đạn|viên", before=r"giao nộp|thu hồi"),
    ],
    "EXPLOSIVES_SURRENDERED_KG": [
        Phrase(
            r"(?:kg|kilôgam|ki-lô-gam) (?:vật liệu nổ|thuốc nổ|chất nổ)", before=r"giao nộp|thu hồi"
        ),
    ],
    "SUPPORT_TOOLS_SURRENDERED": [
        Phrase(r"(?:chiếc |cái )?công cụ hỗ trợ", before=r"giao nộp|thu hồi"),
    ],
    "OFFENDERS_SURRENDERED": [
        Phrase(
            rf"{PEOPLE}|đối tượng truy nã|đối tượng phạm tội",
            after=r"(?:truy nã |phạm tội |vi phạm pháp luật )?(?:ra )?(?:đầu thú|đầu thú)",
        ),
    ],
    "TIPS_RECEIVED": [
        # Not "tin báo về cháy": fires and disasters are reported too, and are not tips.
        Phrase(
            r"(?:tin báo(?:,? tố giác)?|tin tố giác|nguồn tin(?: có giá trị)?)"
            r"(?! về (?:cháy|thiên tai|sự cố))"
        ),
        # "hơn 2.000 tin có giá trị"; "nhân dân cung cấp 120 thông tin", "… 9.800 tin liên quan
        # đến ANTT": the people give information to the police.
        Phrase(r"(?:tin|thông tin) có giá trị"),
        Phrase(
            rf"(?:thông tin|tin)(?: liên quan đến {ANTT})?",
            before=r"cung cấp",
        ),
    ],
    "COMMUNITY_EDUCATION_PERSONS": [
        Phrase(
            rf"{PEOPLE}",
            before=r"quản lý,? giáo dục|giáo dục,? cảm hóa|cảm hóa,? giáo dục|giúp đỡ,? giáo dục"
            # "lập danh sách đưa vào diện quản lý tổng số 1.240 đối tượng"
            r"|đưa vào diện quản lý",
        ),
        Phrase(rf"{PEOPLE}", after=r"(?:vi phạm pháp luật )?(?:được |bị )?quản lý,? giáo dục tại"),
    ],
    "REINTEGRATION_PERSONS": [
        Phrase(
            rf"{PEOPLE}",
            after=r"(?:đã )?(?:chấp hành xong án phạt tù|được đặc xá|chấp hành án xong)",
        ),
    ],
    "FIELD_OFFICERS_DEPLOYED": [
        Phrase(OFFICERS, after=rf"(?:công an |\w+ )?{FIELD}"),
        Phrase(OFFICERS, before=rf"{FIELD}|tăng cường|huy động|điều động"),
    ],
    "SECURITY_TEAMS": [
        Phrase(rf"tổ bảo vệ {ANTT}(?: ở cơ sở)?", short=r"tổ"),
    ],
    "SECURITY_TEAM_MEMBERS": [
        Phrase(r"thành viên|tổ viên|người|đồng chí", before=rf"tổ bảo vệ {ANTT}(?: ở cơ sở)?"),
        Phrase(r"thành viên", after=rf"(?:tham gia |của )?(?:các )?tổ bảo vệ {ANTT}"),
    ],
    "SAFE_RESIDENTIAL_AREAS": [
        Phrase(r"khu dân cư|thôn, (?:làng, )?(?:bản, )?tổ dân phố", after=SAFE),
        Phrase(r"khu dân cư", before=rf"{SAFE}(?: cho)?"),
    ],
    "SAFE_COMMUNES": [
        Phrase(
            r"xã,? phường,? (?:thị trấn|đặc khu)|xã, phường|xã|phường|đơn vị cấp xã", after=SAFE
        ),
        Phrase(r"xã,? phường,? (?:thị trấn|đặc khu)", before=rf"{SAFE}(?: cho)?"),
    ],
    "SAFE_ORGANIZATIONS": [
        Phrase(
            r"cơ quan,? (?:đơn vị,? )?doanh nghiệp(?:,? (?:nhà trường|cơ sở giáo dục|trường học))?",
            after=SAFE,
        ),
        Phrase(
            r"cơ quan,? (?:đơn vị,? )?doanh nghiệp(?:,? (?:nhà trường|cơ sở giáo dục|trường học))?",
            before=rf"{SAFE}(?: cho)?",
        ),
    ],
}

# Table rows name the indicator and give the number in another cell:
# "Số mô hình được củng cố, duy trì | 1.240". The labels are the catalogue's own names
# (lower case, without the leading "số"), plus the short forms tables commonly use.
# The people of the groups a figure counts, right after it: "587 Tổ bảo vệ an ninh, trật tự với
# hơn 4.000 thành viên", "4.351 tổ với tổng số 13.053 thành viên". Group indicator -> members.
MEMBERS: dict[str, str] = {"SECURITY_TEAMS": "SECURITY_TEAM_MEMBERS"}
MEMBER_NOUN = r"thành viên|tổ viên|người|đồng chí"

LABELS: dict[str, str] = {
    "FESTIVAL_EVENTS": r"điểm tổ chức ngày hội",
    "FESTIVAL_PARTICIPANTS": r"lượt người tham dự ngày hội",
    "FESTIVAL_GIFTS_VND": r"giá trị quà tặng,? hỗ trợ(?: \(đồng\))?",
    "PLANS_ISSUED": r"kế hoạch,? văn bản chỉ đạo(?: ban hành| đã ban hành)?",
    "OUTREACH_SESSIONS": r"buổi tuyên truyền",
    "OUTREACH_AUDIENCE": r"lượt người được tuyên truyền",
    "NEWS_ITEMS": r"tin,? bài(?: đăng tải)?",
    "BROADCASTS": r"chương trình phát thanh,? truyền hình",
    "BANNERS_SLOGANS": r"băng rôn,? khẩu hiệu,? pa nô",
    "CULTURAL_SPORTS_EVENTS": r"hoạt động giao lưu văn hóa,? văn nghệ,? thể dục,? thể thao",
    "SEMINARS": r"buổi tọa đàm,? hội thảo",
    "GRATITUDE_ACTIVITIES": r"hoạt động đền ơn,? đáp nghĩa",
    "PACTS_SIGNED": r"(?:bản )?giao ước thi đua(?: được)?(?: ký kết)?",
    "AWARDED_COLLECTIVES": r"tập thể được khen thưởng(?:,? biểu dương)?",
    "AWARDED_INDIVIDUALS": r"cá nhân được khen thưởng(?:,? biểu dương)?",
    "SCHEMES_MAINTAINED": r"mô hình (?:được )?củng cố,? duy trì",
    "SCHEMES_REPLICATED": r"mô hình (?:được )?nhân rộng",
    "SCHEMES_NEW": r"mô hình xây dựng mới",
    "SCHEMES_DAN_VAN_KHEO": r"mô hình [\"“”']?dân vận khéo[\"“”']?",
    "SCHEME_POINTS": r"điểm áp dụng mô hình",
    "WEAPONS_SURRENDERED": r"vũ khí được giao nộp",
    "AMMUNITION_SURRENDERED": r"đạn các loại được giao nộp",
    "EXPLOSIVES_SURRENDERED_KG": r"(?:khối lượng )?vật liệu nổ được giao nộp(?: \(kg\))?",
    "SUPPORT_TOOLS_SURRENDERED": r"công cụ hỗ trợ được giao nộp",
    "OFFENDERS_SURRENDERED": r"đối tượng ra đầu thú",
    "TIPS_RECEIVED": r"tin báo,? tố giác tội phạm(?: từ quần chúng)?",
    "COMMUNITY_EDUCATION_PERSONS": r"người vi phạm pháp luật được quản lý,? giáo dục tại cộng đồng",
    "REINTEGRATION_PERSONS": r"người chấp hành xong án phạt tù được hỗ trợ tái hòa nhập",
    "FIELD_OFFICERS_DEPLOYED": r"lượt cán bộ,? chiến sĩ hướng về cơ sở",
    "SECURITY_TEAMS": r"tổ bảo vệ an ninh,? trật tự",
    "SECURITY_TEAM_MEMBERS": r"thành viên tổ bảo vệ an ninh,? trật tự",
    "SAFE_RESIDENTIAL_AREAS": rf"khu dân cư {SAFE}",
    "SAFE_COMMUNES": rf"xã,? phường,? (?:đặc khu|thị trấn) {SAFE}",
    "SAFE_ORGANIZATIONS": rf"cơ quan,? doanh nghiệp,? cơ sở giáo dục {SAFE}",
}
