"""The indicator catalogue of the design brief.

The codes are a public contract (imports, exports, the API and saved reports use them).
This migration keeps its own copy of the data so later edits to the code cannot change
what it ships. Running it again adds only what is missing and never overwrites an edit.
"""

import re
import unicodedata

from django.db import migrations

# code, Vietnamese name, English name, value type, unit of measure
INDICATORS = [
    ("FESTIVAL_EVENTS", "Số điểm tổ chức Ngày hội", "Festival venues", "whole", "điểm"),
    ("FESTIVAL_PARTICIPANTS", "Số lượt người tham dự Ngày hội", "Festival attendance", "whole", "lượt người"),
    ("FESTIVAL_GIFTS_VND", "Giá trị quà tặng, hỗ trợ", "Value of gifts and support", "whole", "đồng"),
    ("PLANS_ISSUED", "Số kế hoạch, văn bản chỉ đạo ban hành", "Plans and directives issued", "whole", "văn bản"),
    ("OUTREACH_SESSIONS", "Số buổi tuyên truyền", "Outreach sessions", "whole", "buổi"),
    ("OUTREACH_AUDIENCE", "Số lượt người được tuyên truyền", "Outreach audience", "whole", "lượt người"),
    ("NEWS_ITEMS", "Số tin, bài đăng tải", "News items and articles published", "whole", "tin, bài"),
    ("BROADCASTS", "Số chương trình phát thanh, truyền hình", "Radio and television programmes", "whole", "chương trình"),
    ("BANNERS_SLOGANS", "Số băng rôn, khẩu hiệu, pa nô", "Banners, slogans and posters", "whole", "cái"),
    ("CULTURAL_SPORTS_EVENTS", "Số hoạt động giao lưu văn hóa, văn nghệ, thể dục thể thao", "Cultural, arts and sports events", "whole", "hoạt động"),
    ("SEMINARS", "Số buổi tọa đàm, hội thảo", "Seminars and workshops", "whole", "buổi"),
    ("GRATITUDE_ACTIVITIES", "Số hoạt động đền ơn đáp nghĩa", "Gratitude activities", "whole", "hoạt động"),
    ("PACTS_SIGNED", "Số giao ước thi đua được ký kết", "Emulation pacts signed", "whole", "bản"),
    ("AWARDED_COLLECTIVES", "Số tập thể được khen thưởng, biểu dương", "Collectives commended", "whole", "tập thể"),
    ("AWARDED_INDIVIDUALS", "Số cá nhân được khen thưởng, biểu dương", "Individuals commended", "whole", "cá nhân"),
    ("SCHEMES_MAINTAINED", "Số mô hình được củng cố, duy trì", "Models maintained", "whole", "mô hình"),
    ("SCHEMES_REPLICATED", "Số mô hình được nhân rộng", "Models replicated", "whole", "mô hình"),
    ("SCHEMES_NEW", "Số mô hình xây dựng mới", "Models newly built", "whole", "mô hình"),
    ("SCHEMES_DAN_VAN_KHEO", 'Số mô hình "Dân vận khéo"', '"Skilful mass mobilisation" models', "whole", "mô hình"),
    ("SCHEME_POINTS", "Số điểm áp dụng mô hình", "Places applying a model", "whole", "điểm"),
    ("WEAPONS_SURRENDERED", "Số vũ khí được giao nộp", "Weapons surrendered", "whole", "khẩu, chiếc"),
    ("AMMUNITION_SURRENDERED", "Số đạn các loại được giao nộp", "Rounds of ammunition surrendered", "whole", "viên"),
    ("EXPLOSIVES_SURRENDERED_KG", "Khối lượng vật liệu nổ được giao nộp", "Explosives surrendered", "decimal", "kg"),
    ("SUPPORT_TOOLS_SURRENDERED", "Số công cụ hỗ trợ được giao nộp", "Support tools surrendered", "whole", "chiếc"),
    ("OFFENDERS_SURRENDERED", "Số đối tượng ra đầu thú", "Offenders who turned themselves in", "whole", "đối tượng"),
    ("TIPS_RECEIVED", "Số tin báo, tố giác tội phạm từ quần chúng", "Crime reports and tips from the public", "whole", "tin"),
    ("COMMUNITY_EDUCATION_PERSONS", "Số người vi phạm pháp luật được quản lý, giáo dục tại cộng đồng", "Offenders managed and educated in the community", "whole", "người"),
    ("REINTEGRATION_PERSONS", "Số người chấp hành xong án phạt tù được hỗ trợ tái hòa nhập", "Former prisoners supported to reintegrate", "whole", "người"),
    ("FIELD_OFFICERS_DEPLOYED", "Số lượt cán bộ, chiến sĩ hướng về cơ sở", "Officer deployments to the grassroots", "whole", "lượt"),
    ("SECURITY_TEAMS", "Số Tổ bảo vệ an ninh, trật tự", "Security teams", "whole", "tổ"),
    ("SECURITY_TEAM_MEMBERS", "Số thành viên Tổ bảo vệ an ninh, trật tự", "Security team members", "whole", "người"),
    ("SAFE_RESIDENTIAL_AREAS", 'Số khu dân cư đạt chuẩn "An toàn về ANTT"', "Residential areas recognised as safe", "whole", "khu"),
    ("SAFE_COMMUNES", 'Số xã, phường, đặc khu đạt chuẩn "An toàn về ANTT"', "Communes recognised as safe", "whole", "đơn vị"),
    ("SAFE_ORGANIZATIONS", 'Số cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn "An toàn về ANTT"', "Agencies, enterprises and schools recognised as safe", "whole", "đơn vị"),
]


def _search_key(value):
    # A frozen copy of phongtrao.core.text.search_key, as it was when this migration was written.
    text = unicodedata.normalize("NFC", value).translate(str.maketrans({"đ": "d", "Đ": "D"}))
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^0-9a-z]+", " ", bare.lower())).strip()


def add_indicators(apps, schema_editor):
    Indicator = apps.get_model("catalog", "Indicator")
    for code, name, name_en, value_type, unit in INDICATORS:
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "value_type": value_type,
                "aggregation": "sum",
                "unit_of_measure": unit,
                "allow_negative": False,
                "is_active": True,
                "search_key": _search_key(f"{code} {name} {name_en}"),
            },
        )


def remove_indicators(apps, schema_editor):
    Indicator = apps.get_model("catalog", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(add_indicators, remove_indicators)]
