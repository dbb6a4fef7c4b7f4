"""Demo registries for `phongtrao demo`: the movement's books of the demo province, 2019 to today.

Before the reform (1/7/2025) the books belong to the old communes, Thị trấn Plei Kần (Kon Tum)
and the old Phường Cẩm Thành, and their residential areas, one round of entries a year from 2019
to 2024. From the second half of 2025 they belong to today's Xã Bờ Y and Phường Cẩm Thành; the
current year has a fuller round, which `test_demo.py` counts exactly.

Everything goes through the registries' services (each write checked and audited, source
"demo"), so the demo shows the same history pages as real work. Photos and attached plans are
drawn here with Pillow. Dates of the current year never pass today: a date still to come is
moved to today, so the figures of the year do not depend on the day the demo runs.

Running it again adds nothing: an entry whose natural key (unit and name, number, date …)
exists already, even deleted, is skipped with everything that hangs on it.

Personal data are limited to what the registries are for: award recipients and security team
members (invented names). No person is listed by religion, ethnicity, belief or political
opinion, nor as under community education or released from prison.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from phongtrao.registries.models import (
    AuthorityLevel,
    Award,
    AwardForm,
    Channel,
    FestivalEvent,
    FieldMission,
    Grade,
    OutreachActivity,
    Pact,
    Plan,
    Rating,
    RecipientKind,
    RegistryEntry,
    ReviewStatus,
    Scheme,
    SchemeField,
    SchemeLevel,
    SchemeReview,
    SchemeType,
    SecurityTeam,
    TeamMember,
    TeamRole,
)
from phongtrao.registries.services import entry_create
from phongtrao.registries.services.attachments import attachment_set, plan_report_set
from phongtrao.registries.services.festivals import festival_photo_add
from phongtrao.registries.services.schemes import (
    scheme_create,
    scheme_point_add,
    scheme_review_set,
)
from phongtrao.registries.services.teams import member_grade, team_grade, team_member_save
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind

SOURCE = "demo"
LEGACY_YEARS = range(2019, LEGACY_END.year)  # 2019 … 2024
FIRST_YEAR = REFORM_DATE.year  # 2025, from 1/7 on today's units
PROVINCE_CODE, LEGACY_PROVINCE_CODE = "51", "62"
BO_Y, CAM_THANH = "23377", "21025"
BO_Y_AREAS = ("Tổ dân phố 1", "Tổ dân phố 2", "Thôn Iệc", "Thôn Đăk Răng", "Làng Le")


# --- names ----------------------------------------------------------------------------------

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MEN = [
    ("Văn", "Hùng"), ("Đức", "Thắng"), ("Minh", "Tuấn"), ("Quang", "Vinh"), ("Hữu", "Phúc"),
    ("Văn", "Sơn"), ("Công", "Danh"), ("Thanh", "Hải"), ("Văn", "Lâm"), ("Đình", "Khánh"),
]  # fmt: skip
WOMEN = [
    ("Thị", "Mai"), ("Thị", "Lan"), ("Ngọc", "Hương"), ("Thu", "Hà"), ("Thị", "Hạnh"),
    ("Kim", "Yến"), ("Thị", "Nga"), ("Thanh", "Thảo"),
]  # fmt: skip


def person(n: int) -> str:
    """An invented full name, the same for the same n."""
    middle, given = WOMEN[n % len(WOMEN)] if n % 3 == 1 else MEN[n % len(MEN)]
    return f"{SURNAMES[(n * 7 + n // 5) % len(SURNAMES)]} {middle} {given}"


# --- images drawn in code -------------------------------------------------------------------

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
)
COLOURS = [(176, 30, 35), (20, 90, 150), (30, 120, 70), (200, 120, 20), (110, 50, 130)]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def photo_jpeg(lines: Sequence[str], *, colour: int = 0, size=(800, 500)) -> bytes:
    """A plain coloured picture with a few lines of text, as a JPEG."""
    image = Image.new("RGB", size, COLOURS[colour % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline=(255, 215, 0), width=6)
    font, y = _font(30), 60
    for line in lines:
        draw.text((50, y), line, fill=(255, 255, 255), font=font)
        y += 50
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def document_pdf(lines: Sequence[str]) -> bytes:
    """A one-page A4 document with a heading and a few lines, as a PDF."""
    image = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((60, 60), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fill=(0, 0, 0), font=_font(18))
    draw.text((150, 90), "Độc lập - Tự do - Hạnh phúc", fill=(0, 0, 0), font=_font(16))
    y = 160
    for line in lines:
        draw.text((60, y), line, fill=(0, 0, 0), font=_font(16))
        y += 32
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72)
    return out.getvalue()


# --- helpers ----------------------------------------------------------------------------------


@dataclass
class Demo:
    today: date
    created: int = 0

    def on(self, year: int, month: int, day: int) -> date:
        """A day of the demo, never after today (a future day of this year becomes today)."""
        return min(date(year, month, day), self.today)

    def entry(
        self,
        model: type[RegistryEntry],
        key: Sequence[str],
        data: dict[str, Any],
        create: Callable[..., RegistryEntry] | None = None,
    ) -> Any:
        """Create the entry unless one with the same key exists (deleted ones too): then None."""
        if model.objects.filter(**{name: data[name] for name in key}).exists():
            return None
        if create is None:
            entry = entry_create(actor=None, model=model, data=data, source=SOURCE)
        else:
            entry = create(actor=None, data=data, source=SOURCE)
        self.created += 1
        return entry

    def child(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        self.created += 1
        return service(actor=None, source=SOURCE, **kwargs)


def _area(commune: Unit, name: str) -> Unit:
    return Unit.objects.get(parent=commune, name=name)


def _police(parent: Unit) -> Unit:
    return Unit.objects.get(parent=parent, kind=UnitKind.POLICE_UNIT)


def _scheme_type(code: str) -> SchemeType:
    return SchemeType.objects.get(code=code)


# --- models (mô hình) -------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeSpec:
    unit: Unit
    name: str
    type_code: str
    field: str
    founded: date
    points: tuple[tuple[Unit, date], ...]
    # year -> (status, rating, comment); years with a later point become "replicated" by
    # themselves, the founding year is "newly built"; the other years are set here.
    reviews: dict[int, tuple[str, str, str]]
    level: str = SchemeLevel.COMMUNE
    description: str = ""


def _scheme(demo: Demo, spec: SchemeSpec) -> None:
    data = {
        "unit": spec.unit, "name": spec.name, "scheme_type": _scheme_type(spec.type_code),
        "field": spec.field, "level": spec.level, "founded_on": spec.founded,
        "description": spec.description,
    }  # fmt: skip
    scheme = demo.entry(Scheme, ("unit", "name"), data, create=scheme_create)
    if scheme is None:
        return
    demo.created += 1  # the founding review
    for unit, started_on in spec.points:
        before = SchemeReview.objects.filter(scheme=scheme).count()
        demo.child(scheme_point_add, scheme=scheme, unit=unit, started_on=started_on)
        demo.created += SchemeReview.objects.filter(scheme=scheme).count() - before
    for year, (status, rating, comment) in sorted(spec.reviews.items()):
        exists = SchemeReview.objects.filter(scheme=scheme, year=year).exists()
        scheme_review_set(
            actor=None, scheme=scheme, year=year, status=status, rating=rating,
            comment=comment, source=SOURCE,
        )  # fmt: skip
        demo.created += 0 if exists else 1


def _legacy_reviews(founded: int, replicated: Sequence[int] = ()) -> dict:
    """Maintained every year after the founding one, rated by turns, until 2024."""
    ratings = [Rating.GOOD, Rating.GOOD, Rating.FAIR, Rating.GOOD, Rating.AVERAGE]
    reviews = {}
    for year in range(founded, LEGACY_END.year):
        status = (
            ReviewStatus.NEW
            if year == founded
            else ReviewStatus.REPLICATED
            if year in replicated
            else ReviewStatus.MAINTAINED
        )
        reviews[year] = (status, ratings[year % len(ratings)], "")
    return reviews


# --- the old communes, 2019–2024 ----------------------------------------------------------------


def _legacy(demo: Demo) -> None:
    plei_kan = Unit.objects.get(code=BO_Y, kind=UnitKind.COMMUNE, valid_to=LEGACY_END)
    cam_thanh = Unit.objects.get(code=CAM_THANH, kind=UnitKind.COMMUNE, valid_to=LEGACY_END)
    kon_tum_police = _police(
        Unit.objects.get(code=LEGACY_PROVINCE_CODE, kind=UnitKind.PROVINCE, valid_to=LEGACY_END)
    )
    pk1, pk2, iec = (_area(plei_kan, n) for n in ("Tổ dân phố 1", "Tổ dân phố 2", "Thôn Iệc"))
    ct1, ct2 = (_area(cam_thanh, n) for n in ("Tổ dân phố 1", "Tổ dân phố 2"))

    for spec in (
        SchemeSpec(
            plei_kan, "Camera an ninh Tổ dân phố 1", "camera_an_ninh", SchemeField.SECURITY,
            date(2019, 4, 10), ((pk1, date(2019, 4, 10)), (pk2, date(2021, 5, 18))),
            _legacy_reviews(2019, (2021,)),
            description="Lắp 12 camera tại các ngã ba, ngã tư, do nhân dân đóng góp kinh phí.",
        ),
        SchemeSpec(
            plei_kan, "Dân vận khéo: Thôn Iệc chung tay giữ gìn an ninh, trật tự",
            "dan_van_kheo", SchemeField.SECURITY, date(2020, 6, 1),
            ((iec, date(2020, 6, 1)),), _legacy_reviews(2020),
        ),
        SchemeSpec(
            plei_kan, "Khu dân cư không có ma túy Tổ dân phố 2", "khu_dan_cu_khong_ma_tuy",
            SchemeField.DRUGS, date(2022, 3, 15), ((pk2, date(2022, 3, 15)),),
            _legacy_reviews(2022),
        ),
        SchemeSpec(
            cam_thanh, "Tổ liên gia an toàn phòng cháy, chữa cháy Tổ dân phố 1",
            "to_lien_gia_pccc", SchemeField.FIRE, date(2019, 9, 9),
            ((ct1, date(2019, 9, 9)), (ct2, date(2023, 4, 2))), _legacy_reviews(2019, (2023,)),
        ),
        SchemeSpec(
            cam_thanh, "Tự hòa giải mâu thuẫn trong khu dân cư Tổ dân phố 2", "tu_hoa_giai",
            SchemeField.MEDIATION, date(2021, 2, 20), ((ct2, date(2021, 2, 20)),),
            _legacy_reviews(2021),
        ),
    ):  # fmt: skip
        _scheme(demo, spec)

    communes = ((plei_kan, (pk1, pk2, iec), "thị trấn"), (cam_thanh, (ct1, ct2), "phường"))
    for year in LEGACY_YEARS:
        grow = year - LEGACY_YEARS.start
        for c, (commune, areas, level) in enumerate(communes):
            place = commune.name.split(" ", 2)[-1] if level == "thị trấn" else "Cẩm Thành"
            area = areas[year % len(areas)]
            _festival(
                demo, unit=area, held_on=date(year, 8, 17 + c), n=year * 2 + c,
                venue=f"Nhà văn hóa {area.name}, {level} {place}",
                participants=(120 if year in (2020, 2021) else 220) + 15 * grow,
                gifts=Decimal(4_000_000 + 500_000 * grow), photos=1 + (year + c) % 2,
                guests=f"Lãnh đạo Công an {'huyện Ngọc Hồi' if c == 0 else 'thành phố Quảng Ngãi'}"
                f", Đảng ủy, UBND, Ủy ban MTTQ Việt Nam {level} {place}",
            )  # fmt: skip
            _outreach(demo, commune, year, [
                (Channel.MEETING, date(year, 3, 12), 3 + grow % 2, 180 + 10 * grow,
                 "Phổ biến Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở"),
                (Channel.RADIO, date(year, 5, 2), 12, 0,
                 "Phòng, chống tội phạm lừa đảo qua mạng"),
                (Channel.BANNERS, date(year, 8, 1), 6 + grow, 0,
                 "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"),
            ])  # fmt: skip
            demo.entry(Pact, ("unit", "signed_on"), {
                "unit": commune, "signed_on": date(year, 3, 26), "partners": list(areas),
                "partner_names": f"Đoàn Thanh niên, Hội Nông dân {level} {place}",
                "content": "Phối hợp tuyên truyền, vận động nhân dân tham gia phòng, chống "
                           "tội phạm, giữ gìn an ninh, trật tự trên địa bàn.",
                "evaluation": "Các bên thực hiện tốt các nội dung đã ký kết.",
            })  # fmt: skip
            number = f"{40 + 3 * grow + c}/QĐ-UBND"
            _award(demo, commune, number, date(year, 12, 20), AwardForm.COMMENDATION,
                   f"Chủ tịch UBND {level} {place}", AuthorityLevel.COMMUNE,
                   collectives=[areas[0]], people=[
                       (person(year + c), f"Tổ trưởng tổ dân phố, {area.name}", area.name),
                   ])  # fmt: skip
            _plan(
                demo, commune, f"{10 + grow}/KH-CA", date(year, 2, 15 + c), list(areas),
                f"Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
                reported=list(areas), attach=False,
            )  # fmt: skip
        demo.entry(FieldMission, ("unit", "key_area", "started_on"), {
            "unit": kon_tum_police, "key_area": iec, "started_on": date(year, 4, 6),
            "ended_on": date(year, 4, 10), "officer_visits": 6 + year % 3,
            "activities": "Nắm tình hình, hướng dẫn xây dựng mô hình tự quản, thăm hỏi gia "
                          "đình chính sách",
            "households_visited": 40 + 5 * grow, "meetings_held": 2, "issues_resolved": 1,
        })  # fmt: skip

    # Security teams came with the Law on forces at the grassroots, from 1/7/2024; those of the
    # old communes ended with them on 30/6/2025.
    _teams(demo, plei_kan, (pk1, pk2, iec), established=date(2024, 7, 1),
           decision="25/QĐ-UBND", dissolved=LEGACY_END, graded=(2024,), n=100)  # fmt: skip


# --- today's communes, from 1/7/2025 -------------------------------------------------------------


def _current(demo: Demo) -> None:
    this = demo.today.year
    province = Unit.objects.get(code=PROVINCE_CODE, kind=UnitKind.PROVINCE, valid_from=REFORM_DATE)
    bo_y = Unit.objects.get(code=BO_Y, kind=UnitKind.COMMUNE, valid_from=REFORM_DATE)
    cam_thanh = Unit.objects.get(code=CAM_THANH, kind=UnitKind.COMMUNE, valid_from=REFORM_DATE)
    qn_police, by_police, ct_police = _police(province), _police(bo_y), _police(cam_thanh)
    by = {n: _area(bo_y, n) for n in (*BO_Y_AREAS, "Trường THCS Bờ Y", "Công ty TNHH Cao su Bờ Y")}
    ct = {n: _area(cam_thanh, n) for n in (
        "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố 4",
        "Trường Tiểu học Lê Văn Tám", "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
    )}  # fmt: skip
    later = this > FIRST_YEAR  # the current year's round, when it is not 2025 itself
    on = demo.on

    # Models. In the current year at Xã Bờ Y: 2 newly built, 1 replicated, 2 maintained,
    # 1 dissolved; "Dân vận khéo": 2; points in force at the year's end: 7.
    specs = [
        SchemeSpec(
            bo_y,
            "Camera an ninh Tổ dân phố 1",
            "camera_an_ninh",
            SchemeField.SECURITY,
            date(2025, 8, 15),
            ((by["Tổ dân phố 1"], date(2025, 8, 15)),)
            + (((by["Tổ dân phố 2"], on(this, 3, 10)),) if later else ()),
            {
                this: (
                    ReviewStatus.REPLICATED,
                    Rating.GOOD,
                    "Nhân rộng sang Tổ dân phố 2, 16 camera kết nối Công an xã.",
                )
            }
            if later
            else {},
            description="Camera do nhân dân và doanh nghiệp đóng góp, kết nối Công an xã.",
        ),
        SchemeSpec(
            bo_y,
            "Dân vận khéo: Thôn Đăk Răng chung tay làm đường giao thông nông thôn",
            "dan_van_kheo",
            SchemeField.OTHER,
            date(2025, 9, 5),
            ((by["Thôn Đăk Răng"], date(2025, 9, 5)),),
            {2025: (ReviewStatus.NEW, Rating.GOOD, "")}
            | ({this: (ReviewStatus.MAINTAINED, Rating.GOOD, "")} if later else {}),
        ),
        SchemeSpec(
            bo_y,
            "Khu dân cư không có ma túy Thôn Iệc",
            "khu_dan_cu_khong_ma_tuy",
            SchemeField.DRUGS,
            date(2025, 10, 1),
            ((by["Thôn Iệc"], date(2025, 10, 1)),),
            {this: (ReviewStatus.MAINTAINED, Rating.FAIR, "")} if later else {},
        ),
        SchemeSpec(
            bo_y,
            "Tự quản về an ninh, trật tự Tổ dân phố 2",
            "tu_quan",
            SchemeField.SECURITY,
            date(2025, 7, 20),
            ((by["Tổ dân phố 2"], date(2025, 7, 20)),),
            {this: (ReviewStatus.DISSOLVED, "", "Nhập vào mô hình Camera an ninh Tổ dân phố 1.")}
            if later
            else {},
        ),
        SchemeSpec(
            qn_police,
            "Camera an ninh kết nối Công an tỉnh",
            "camera_an_ninh",
            SchemeField.SECURITY,
            date(2025, 8, 1),
            ((ct["Tổ dân phố 3"], date(2025, 8, 1)),)
            + (((by["Tổ dân phố 1"], on(this, 2, 10)),) if later else ()),
            {},
            level=SchemeLevel.PROVINCE,
        ),
        SchemeSpec(
            cam_thanh,
            "Camera an ninh Tổ dân phố 3",
            "camera_an_ninh",
            SchemeField.SECURITY,
            date(2025, 7, 25),
            ((ct["Tổ dân phố 3"], date(2025, 7, 25)),)
            + (((ct["Tổ dân phố 4"], on(this, 4, 1)),) if later else ()),
            {},
        ),
    ]
    if later:
        specs += [
            SchemeSpec(
                bo_y, "Tổ liên gia an toàn phòng cháy, chữa cháy Làng Le", "to_lien_gia_pccc",
                SchemeField.FIRE, on(this, 4, 20), ((by["Làng Le"], on(this, 4, 20)),), {},
            ),
            SchemeSpec(
                bo_y, "Dân vận khéo: Trường THCS Bờ Y an toàn, thân thiện", "dan_van_kheo",
                SchemeField.SECURITY, on(this, 5, 12),
                ((by["Trường THCS Bờ Y"], on(this, 5, 12)),), {},
            ),
            SchemeSpec(
                cam_thanh, "Dân vận khéo: Tổ dân phố 4 sáng, xanh, sạch, an toàn",
                "dan_van_kheo", SchemeField.OTHER, on(this, 3, 3),
                ((ct["Tổ dân phố 4"], on(this, 3, 3)),), {},
            ),
        ]  # fmt: skip
    for spec in specs:
        _scheme(demo, spec)

    # Festival events: in the current year at Xã Bờ Y 3 events, 850 people, 20.500.000 đồng.
    guests_by = "Lãnh đạo Công an tỉnh Quảng Ngãi, Đảng ủy, UBND, Ủy ban MTTQ Việt Nam xã Bờ Y"
    guests_ct = "Lãnh đạo Công an tỉnh, Đảng ủy, UBND, Ủy ban MTTQ Việt Nam phường Cẩm Thành"
    events = [
        (by["Thôn Iệc"], date(2025, 8, 19), "Nhà văn hóa Thôn Iệc", 260, 6_000_000, guests_by),
        (by["Làng Le"], date(2025, 8, 23), "Sân bóng Làng Le", 190, 0, guests_by),
        (ct["Tổ dân phố 1"], date(2025, 8, 16), "Hội trường Tổ dân phố 1", 210, 5_000_000,
         guests_ct),
        (ct["Tổ dân phố 3"], date(2025, 8, 24), "Sân Trường Tiểu học Lê Văn Tám", 340,
         8_500_000, guests_ct),
    ]  # fmt: skip
    if later:
        events += [
            (by["Thôn Iệc"], on(this, 8, 19), "Nhà văn hóa Thôn Iệc", 320, 12_500_000,
             guests_by),
            (by["Tổ dân phố 1"], on(this, 8, 22), "Sân bóng Tổ dân phố 1", 280, 8_000_000,
             guests_by),
            (by["Làng Le"], on(this, 8, 25), "Nhà văn hóa Làng Le", 250, 0, guests_by),
            (ct["Tổ dân phố 2"], on(this, 8, 18), "Hội trường Tổ dân phố 2", 230, 6_000_000,
             guests_ct),
            (ct["Tổ dân phố 4"], on(this, 8, 21), "Sân văn hóa Tổ dân phố 4", 300, 7_500_000,
             guests_ct),
        ]  # fmt: skip
    for n, (unit, held_on, venue, people, gifts, guests) in enumerate(events):
        _festival(demo, unit=unit, held_on=held_on, venue=venue, participants=people,
                  gifts=Decimal(gifts), photos=1 + n % 2, guests=guests, n=n)  # fmt: skip

    # Emulation pacts: in the current year Công an xã Bờ Y signs 2.
    pacts = [
        (by_police, date(2025, 9, 10), [by["Trường THCS Bờ Y"]], "Đoàn Thanh niên xã Bờ Y",
         "Phối hợp bảo đảm an ninh, trật tự trường học, phòng, chống ma túy trong học sinh."),
        (ct_police, date(2025, 9, 12), [ct["Trường Tiểu học Lê Văn Tám"],
                                        ct["Bệnh viện Đa khoa tỉnh Quảng Ngãi"]], "",
         "Phối hợp bảo đảm an ninh, trật tự, phòng cháy, chữa cháy tại cơ quan, trường học."),
    ]  # fmt: skip
    if later:
        pacts += [
            (by_police, on(this, 3, 26), [by["Trường THCS Bờ Y"]],
             "Đoàn Thanh niên, Hội Liên hiệp Phụ nữ xã Bờ Y",
             "Tuyên truyền pháp luật, xây dựng trường học an toàn về an ninh, trật tự."),
            (by_police, on(this, 5, 15), [by["Công ty TNHH Cao su Bờ Y"]], "",
             "Bảo vệ tài sản, phòng, chống trộm cắp mủ cao su và bảo đảm an toàn lao động."),
            (ct_police, on(this, 4, 8), [], "Hội Cựu chiến binh phường Cẩm Thành",
             "Phối hợp giữ gìn an ninh, trật tự khu dân cư, hòa giải mâu thuẫn ở cơ sở."),
        ]  # fmt: skip
    for n, (unit, signed_on, partners, others, content) in enumerate(pacts):
        pact = demo.entry(Pact, ("unit", "signed_on"), {
            "unit": unit, "signed_on": signed_on, "partners": partners,
            "partner_names": others, "content": content,
            "evaluation": "" if signed_on.year == this else "Hoàn thành tốt các nội dung đã ký.",
        })  # fmt: skip
        if pact is not None and n % 2 == 0:
            attachment_set(
                actor=None, entry=pact, name=f"giao-uoc-{signed_on:%Y%m%d}.pdf", source=SOURCE,
                content=document_pdf(["GIAO ƯỚC THI ĐUA", f"Ngày ký: {signed_on:%d/%m/%Y}",
                                      unit.name, content[:60]]),
            )  # fmt: skip

    # Commendations: in the current year at Xã Bờ Y 2 collectives and 3 individuals.
    _award(demo, bo_y, "152/QĐ-UBND", date(2025, 12, 22), AwardForm.COMMENDATION,
           "Chủ tịch UBND xã Bờ Y", AuthorityLevel.COMMUNE, collectives=[by["Thôn Iệc"]],
           people=[(person(1), "Tổ trưởng Tổ bảo vệ ANTT Thôn Iệc", "Thôn Iệc")])  # fmt: skip
    _award(demo, cam_thanh, "318/QĐ-UBND", date(2025, 12, 24), AwardForm.COMMENDATION,
           "Chủ tịch UBND phường Cẩm Thành", AuthorityLevel.COMMUNE,
           collectives=[ct["Tổ dân phố 3"], "Hội Cựu chiến binh phường Cẩm Thành"],
           people=[(person(4), "Tổ trưởng Tổ dân phố 3", "Tổ dân phố 3")])  # fmt: skip
    if later:
        _award(demo, bo_y, "215/QĐ-UBND", on(this, 9, 10), AwardForm.COMMENDATION,
               "Chủ tịch UBND xã Bờ Y", AuthorityLevel.COMMUNE,
               collectives=[by["Tổ dân phố 1"], "Hội Cựu chiến binh xã Bờ Y"],
               people=[(person(2), "Chi hội trưởng Chi hội Phụ nữ Tổ dân phố 2", "Tổ dân phố 2"),
                       (person(3), "Tổ phó Tổ bảo vệ ANTT Làng Le", "Làng Le")])  # fmt: skip
        _award(demo, bo_y, "1875/QĐ-CAT", on(this, 8, 18), AwardForm.CERTIFICATE,
               "Giám đốc Công an tỉnh Quảng Ngãi", AuthorityLevel.PROVINCE, collectives=[],
               people=[(person(5), "Trưởng thôn Thôn Đăk Răng", "Thôn Đăk Răng")])  # fmt: skip
        _award(demo, cam_thanh, "1875/QĐ-CAT", on(this, 8, 18), AwardForm.CERTIFICATE,
               "Giám đốc Công an tỉnh Quảng Ngãi", AuthorityLevel.PROVINCE,
               collectives=[ct["Tổ dân phố 4"]], people=[])  # fmt: skip

    # Outreach: in the current year at Xã Bờ Y 7 sessions reaching 810 people, 16 news items,
    # 24 broadcasts, 15 banners, 2 seminars, 1 cultural and sports exchange.
    _outreach(demo, bo_y, FIRST_YEAR, [
        (Channel.MEETING, date(2025, 9, 20), 5, 310, "Triển khai Luật Lực lượng tham gia bảo vệ "
         "an ninh, trật tự ở cơ sở sau sắp xếp đơn vị hành chính"),
        (Channel.RADIO, date(2025, 10, 1), 18, 0, "Phòng, chống lừa đảo qua mạng"),
    ])  # fmt: skip
    _outreach(demo, cam_thanh, FIRST_YEAR, [
        (Channel.WEB_NEWS, date(2025, 8, 5), 9, 0, "Gương người tốt, việc tốt"),
        (Channel.SEMINAR, date(2025, 11, 14), 1, 120, "Phòng cháy, chữa cháy nhà ở kết hợp "
         "kinh doanh"),
    ])  # fmt: skip
    if later:
        _outreach(demo, bo_y, this, [
            (Channel.MEETING, on(this, 3, 14), 4, 260, "Phòng, chống ma túy trong thanh niên"),
            (Channel.RADIO, on(this, 4, 1), 24, 0, "Phòng, chống lừa đảo qua mạng"),
            (Channel.BANNERS, on(this, 8, 1), 15, 0, "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"),
            (Channel.WEB_NEWS, on(this, 8, 20), 6, 0, "Kết quả Ngày hội toàn dân bảo vệ ANTQ"),
            (Channel.SOCIAL, on(this, 8, 21), 10, 0, "Hình ảnh Ngày hội tại các thôn, tổ dân phố"),
            (Channel.CULTURAL, on(this, 8, 19), 1, 400, "Giao lưu văn nghệ, bóng đá Ngày hội"),
            (Channel.SEMINAR, on(this, 10, 9), 2, 150, "An toàn giao thông cho học sinh"),
        ])  # fmt: skip
        _outreach(demo, cam_thanh, this, [
            (Channel.MEETING, on(this, 3, 20), 6, 420, "Bảo đảm trật tự đô thị, an toàn giao "
             "thông"),
            (Channel.TELEVISION, on(this, 8, 19), 2, 0, "Phóng sự Ngày hội toàn dân bảo vệ ANTQ"),
        ])  # fmt: skip

    # Field deployments: in the current year 20 officer-visits to Xã Bờ Y's key areas.
    missions = [
        (qn_police, by["Làng Le"], date(2025, 9, 15), date(2025, 9, 19), 10),
        (qn_police, ct["Tổ dân phố 4"], date(2025, 10, 6), date(2025, 10, 8), 6),
    ]
    if later:
        missions += [
            (qn_police, by["Làng Le"], on(this, 4, 6), on(this, 4, 10), 12),
            (qn_police, by["Thôn Đăk Răng"], on(this, 9, 14), on(this, 9, 18), 8),
            (ct_police, ct["Tổ dân phố 2"], on(this, 5, 11), on(this, 5, 13), 4),
        ]
    for n, (unit, area, start, end, visits) in enumerate(missions):
        demo.entry(FieldMission, ("unit", "key_area", "started_on"), {
            "unit": unit, "key_area": area, "started_on": start, "ended_on": end,
            "officer_visits": visits,
            "activities": "Nắm tình hình địa bàn, hướng dẫn Tổ bảo vệ an ninh, trật tự, "
                          "tuyên truyền phòng, chống tội phạm",
            "households_visited": 30 + 6 * n, "meetings_held": 1 + n % 3,
            "issues_resolved": n % 2,
        })  # fmt: skip

    # Plans: the province's, directing both communes, and each commune's own.
    _plan(demo, qn_police, "45/KH-CAT", date(2025, 7, 28), [bo_y, cam_thanh],
          "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2025",
          reported=[bo_y, cam_thanh])  # fmt: skip
    _plan(demo, by_police, "12/KH-CAX", date(2025, 8, 1),
          [by[n] for n in BO_Y_AREAS],
          "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2025 trên địa bàn xã",
          reported=[by[n] for n in BO_Y_AREAS if n != "Thôn Đăk Răng"])  # fmt: skip
    if later:
        _plan(demo, qn_police, "38/KH-CAT", on(this, 6, 15), [bo_y, cam_thanh],
              f"Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {this}",
              reported=[bo_y])  # fmt: skip
        _plan(demo, by_police, "08/KH-CAX", on(this, 7, 20),
              [by[n] for n in BO_Y_AREAS],
              f"Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {this} trên địa bàn xã",
              reported=[by["Tổ dân phố 1"], by["Thôn Iệc"], by["Làng Le"]])  # fmt: skip
        _plan(demo, ct_police, "21/KH-CAP", on(this, 7, 22),
              [ct[n] for n in ("Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố 4")],
              f"Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm {this} trên địa bàn phường",
              reported=[ct["Tổ dân phố 1"], ct["Tổ dân phố 3"]])  # fmt: skip

    # Security teams, one per residential area, from 15/7/2025. At Xã Bờ Y: 5 teams, 15
    # members in office (one replaced in the current year).
    _teams(demo, bo_y, [by[n] for n in BO_Y_AREAS],
           established=date(2025, 7, 15), decision="12/QĐ-UBND", graded=(FIRST_YEAR,),
           n=200, replace_on=on(this, 6, 30) if later else None)  # fmt: skip
    _teams(demo, cam_thanh, [ct[f"Tổ dân phố {i}"] for i in range(1, 5)],
           established=date(2025, 7, 16), decision="45/QĐ-UBND", graded=(FIRST_YEAR,),
           n=300)  # fmt: skip


# --- registry by registry -----------------------------------------------------------------------


def _festival(
    demo: Demo, *, unit: Unit, held_on: date, venue: str, participants: int, gifts: Decimal,
    photos: int, guests: str, n: int,
) -> None:  # fmt: skip
    event = demo.entry(FestivalEvent, ("unit", "held_on", "venue"), {
        "unit": unit, "held_on": held_on, "venue": venue, "participants": participants,
        "guests": guests, "has_rally": True, "has_commendation": True,
        "has_pact_signing": n % 2 == 0, "has_cultural_sports": True,
        "has_gratitude": n % 3 == 0, "has_gifts": gifts > 0, "gifts_value_vnd": gifts,
        "description": "Khai mạc, báo cáo kết quả phong trào, khen thưởng, ký giao ước thi đua, "
                       "giao lưu văn nghệ, thể thao.",
    })  # fmt: skip
    if event is None:
        return
    captions = ["Quang cảnh Ngày hội", "Trao giấy khen cho tập thể, cá nhân"]
    for i in range(photos):
        content = photo_jpeg(
            ["NGÀY HỘI TOÀN DÂN", "BẢO VỆ AN NINH TỔ QUỐC", *venue.split(", "),
             f"{held_on:%d/%m/%Y}"],
            colour=n + i,
        )  # fmt: skip
        demo.child(
            festival_photo_add, event=event, name=f"ngay-hoi-{held_on:%Y%m%d}-{i + 1}.jpg",
            content=content, caption=captions[i],
        )  # fmt: skip


def _outreach(demo: Demo, unit: Unit, year: int, rows: list[tuple]) -> None:
    for channel, held_on, items, audience, topic in rows:
        demo.entry(OutreachActivity, ("unit", "channel", "held_on", "topic"), {
            "unit": unit, "channel": channel, "held_on": held_on, "items": items,
            "audience": audience, "topic": topic,
        })  # fmt: skip


def _award(
    demo: Demo, unit: Unit, number: str, decided: date, form: str, authority: str, level: str,
    *, collectives: list[Unit | str], people: list[tuple[str, str, str]],
) -> None:  # fmt: skip
    common = {
        "unit": unit, "form": form, "authority": authority, "authority_level": level,
        "decision_number": number, "decision_date": decided,
    }  # fmt: skip
    key = ("unit", "decision_number", "decision_date", "recipient_unit", "recipient_name")
    for recipient in collectives:
        named = isinstance(recipient, str)
        demo.entry(Award, key, common | {
            "recipient_kind": RecipientKind.COLLECTIVE,
            "recipient_unit": None if named else recipient,
            "recipient_name": recipient if named else "",
            "achievement": "Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh "
                           f"Tổ quốc năm {decided.year}",
        })  # fmt: skip
    for name, position, workplace in people:
        demo.entry(Award, key, common | {
            "recipient_kind": RecipientKind.INDIVIDUAL, "recipient_unit": None,
            "recipient_name": name, "position": position, "workplace": workplace,
            "achievement": "Có thành tích trong phát hiện, tố giác tội phạm, giữ gìn an ninh, "
                           f"trật tự ở cơ sở năm {decided.year}",
        })  # fmt: skip


def _plan(
    demo: Demo, unit: Unit, number: str, issued: date, directed: list[Unit], title: str,
    *, reported: list[Unit], attach: bool = True,
) -> None:  # fmt: skip
    plan = demo.entry(Plan, ("unit", "number", "issued_on"), {
        "unit": unit, "number": number, "issued_on": issued, "title": title,
        "directed_units": directed,
    })  # fmt: skip
    if plan is None:
        return
    if attach:
        content = document_pdf(
            [unit.name.upper(), f"Số: {number}", f"Ngày {issued:%d/%m/%Y}", "KẾ HOẠCH", title[:55]]
        )
        attachment_set(
            actor=None, entry=plan, name=f"ke-hoach-{number.replace('/', '-')}.pdf",
            content=content, source=SOURCE,
        )  # fmt: skip
    for i, area in enumerate(reported):
        reported_on = min(issued + timedelta(days=20 + 3 * i), demo.today)
        demo.child(plan_report_set, plan=plan, unit=area, reported_on=reported_on)


def _teams(
    demo: Demo, commune: Unit, areas: Sequence[Unit], *, established: date, decision: str,
    graded: Sequence[int], n: int, dissolved: date | None = None,
    replace_on: date | None = None,
) -> None:  # fmt: skip
    """One team per area, three members each; gradings within the 20% cap: teams "good"
    but the last ("completed"); of the members, the members "completed", the leaders and deputies
    "good" but one in six of them, "excellent" (1 excellent for 5 good is the 20% cap)."""
    teams, members = [], []
    for i, area in enumerate(areas):
        team = demo.entry(SecurityTeam, ("unit", "name"), {
            "unit": commune, "name": f"Tổ bảo vệ an ninh, trật tự {area.name}",
            "areas": [area], "established_on": established, "decision": decision,
            "dissolved_on": dissolved,
        })  # fmt: skip
        if team is None:
            continue
        teams.append(team)
        for j, role in enumerate((TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER)):
            member = TeamMember(
                full_name=person(n + 3 * i + j), role=role, appointed_on=established,
                decision=decision, phone=f"0905 {n + 3 * i + j:03d} {100 + 37 * i + j:03d}",
            )  # fmt: skip
            member = demo.child(team_member_save, team=team, member=member)
            members.append(member)
        if replace_on is not None and i == len(areas) - 1:
            # The member of the last team moves away; another is appointed the next day.
            leaving = members[-1]
            leaving.left_on = replace_on
            team_member_save(actor=None, team=team, member=leaving, source=SOURCE)
            demo.child(team_member_save, team=team, member=TeamMember(
                full_name=person(n + 50), role=TeamRole.MEMBER,
                appointed_on=replace_on + timedelta(days=1), decision=f"{decision} (bổ sung)",
            ))  # fmt: skip
    for year in graded:
        # "good" first: the cap counts what is already graded.
        for team in teams[:-1]:
            demo.child(team_grade, team=team, year=year, grade=Grade.GOOD)
        for team in teams[-1:]:
            demo.child(team_grade, team=team, year=year, grade=Grade.COMPLETED)
        leaders = [m for m in members if m.role == TeamRole.LEADER]
        deputies = [m for m in members if m.role == TeamRole.DEPUTY]
        excellent = deputies[: len(leaders + deputies) // 6]
        for member in leaders + [d for d in deputies if d not in excellent]:
            demo.child(member_grade, member=member, year=year, grade=Grade.GOOD)
        for member in members:
            if member.role == TeamRole.MEMBER:
                demo.child(member_grade, member=member, year=year, grade=Grade.COMPLETED)
        for member in excellent:
            demo.child(member_grade, member=member, year=year, grade=Grade.EXCELLENT)


@transaction.atomic
def registries_demo_create(today: date | None = None) -> int:
    """Fill every registry of the demo province; returns the number of rows created.

    Needs the demo's units (`phongtrao.ops.demo.demo_create` makes them first). Rows are entries
    and what hangs on them (points, year reviews, photos, members, gradings, checklist ticks).
    """
    demo = Demo(today=today or timezone.localdate())
    _legacy(demo)
    _current(demo)
    return demo.created
