"""The yearly festival report form, its sections and its validation rules.

Its own copy of the data, like 0002. If a FESTIVAL form exists already, nothing is touched.
"""

from decimal import Decimal

from django.db import migrations

CODE = "FESTIVAL"
NAME = "Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc"
DESCRIPTION = (
    "Báo cáo hằng năm về kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc "
    "(19/8, theo Quyết định 521/QĐ-TTg ngày 13/6/2005) và Phong trào toàn dân bảo vệ "
    "an ninh Tổ quốc trong năm."
)
UNIT_KINDS = ["province", "commune", "residential_area", "agency", "enterprise", "school"]
SECTIONS = [
    ("Công tác chỉ đạo", ["PLANS_ISSUED"]),
    (
        "Tuyên truyền",
        ["OUTREACH_SESSIONS", "OUTREACH_AUDIENCE", "NEWS_ITEMS", "BROADCASTS", "BANNERS_SLOGANS"],
    ),
    (
        "Tổ chức Ngày hội",
        [
            "FESTIVAL_EVENTS",
            "FESTIVAL_PARTICIPANTS",
            "FESTIVAL_GIFTS_VND",
            "CULTURAL_SPORTS_EVENTS",
            "SEMINARS",
            "GRATITUDE_ACTIVITIES",
        ],
    ),
    (
        "Giao ước thi đua và khen thưởng",
        ["PACTS_SIGNED", "AWARDED_COLLECTIVES", "AWARDED_INDIVIDUALS"],
    ),
    (
        "Xây dựng mô hình",
        [
            "SCHEMES_MAINTAINED",
            "SCHEMES_REPLICATED",
            "SCHEMES_NEW",
            "SCHEMES_DAN_VAN_KHEO",
            "SCHEME_POINTS",
        ],
    ),
    (
        "Kết quả vận động quần chúng",
        [
            "WEAPONS_SURRENDERED",
            "AMMUNITION_SURRENDERED",
            "EXPLOSIVES_SURRENDERED_KG",
            "SUPPORT_TOOLS_SURRENDERED",
            "OFFENDERS_SURRENDERED",
            "TIPS_RECEIVED",
            "COMMUNITY_EDUCATION_PERSONS",
            "REINTEGRATION_PERSONS",
        ],
    ),
    (
        "Lực lượng và phong trào",
        ["FIELD_OFFICERS_DEPLOYED", "SECURITY_TEAMS", "SECURITY_TEAM_MEMBERS"],
    ),
    (
        'Đạt chuẩn "An toàn về ANTT"',
        ["SAFE_RESIDENTIAL_AREAS", "SAFE_COMMUNES", "SAFE_ORGANIZATIONS"],
    ),
]
# left, operator, right, severity, message
RULES = [
    (
        "SCHEMES_REPLICATED",
        "<=",
        "SCHEMES_MAINTAINED + SCHEMES_NEW",
        "error",
        "Số mô hình được nhân rộng không được lớn hơn tổng số mô hình được củng cố, duy trì "
        "và số mô hình xây dựng mới.",
    ),
    (
        "SECURITY_TEAM_MEMBERS",
        ">=",
        "SECURITY_TEAMS",
        "error",
        "Số thành viên Tổ bảo vệ an ninh, trật tự không được ít hơn số Tổ.",
    ),
    (
        "FESTIVAL_PARTICIPANTS",
        ">=",
        "FESTIVAL_EVENTS",
        "warning",
        "Số lượt người tham dự Ngày hội ít hơn số điểm tổ chức Ngày hội: đề nghị kiểm tra lại "
        "và ghi chú lý do.",
    ),
    (
        "OUTREACH_AUDIENCE",
        ">=",
        "OUTREACH_SESSIONS",
        "warning",
        "Số lượt người được tuyên truyền ít hơn số buổi tuyên truyền: đề nghị kiểm tra lại "
        "và ghi chú lý do.",
    ),
]


def add_festival_form(apps, schema_editor):
    ReportForm = apps.get_model("catalog", "ReportForm")
    if ReportForm.objects.filter(code=CODE).exists():
        return
    Indicator = apps.get_model("catalog", "Indicator")
    Section = apps.get_model("catalog", "ReportFormSection")
    Item = apps.get_model("catalog", "ReportFormItem")
    UnitKind = apps.get_model("catalog", "ReportFormUnitKind")
    Rule = apps.get_model("catalog", "ValidationRule")

    form = ReportForm.objects.create(
        code=CODE,
        name=NAME,
        description=DESCRIPTION,
        period_type="yearly",
        due_month=8,
        due_day=31,
        # Entry for a year stays open until the end of the following January.
        lock_days_after_end=31,
        first_period="2005",
        outlier_threshold=Decimal("3.5"),
        is_active=True,
    )
    UnitKind.objects.bulk_create(UnitKind(form=form, kind=kind) for kind in UNIT_KINDS)
    indicators = {i.code: i for i in Indicator.objects.all()}
    for section_order, (section_name, codes) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(form=form, name=section_name, order=section_order)
        Item.objects.bulk_create(
            Item(form=form, section=section, indicator=indicators[code], order=order)
            for order, code in enumerate(codes, start=1)
        )
    Rule.objects.bulk_create(
        Rule(form=form, left=left, operator=op, right=right, severity=severity, message=message)
        for left, op, right, severity, message in RULES
    )


def remove_festival_form(apps, schema_editor):
    apps.get_model("catalog", "ReportForm").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_indicators")]

    operations = [migrations.RunPython(add_festival_form, remove_festival_form)]
