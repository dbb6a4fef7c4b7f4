"""Seed the usual model types; administrators may rename them or add more afterwards."""

from django.db import migrations

TYPES = [
    ("tu_quan", "Tự quản"),
    ("tu_phong", "Tự phòng"),
    ("tu_bao_ve", "Tự bảo vệ"),
    ("tu_hoa_giai", "Tự hòa giải"),
    ("camera_an_ninh", "Camera an ninh"),
    ("to_lien_gia_pccc", "Tổ liên gia an toàn phòng cháy, chữa cháy"),
    ("dong_ho_tu_quan", "Dòng họ tự quản về an ninh, trật tự"),
    ("khu_dan_cu_khong_ma_tuy", "Khu dân cư không có ma túy"),
    ("dan_van_kheo", "Dân vận khéo"),
    ("cum_an_ninh_lien_ket", "Cụm liên kết an ninh, trật tự"),
    ("giao_xu_binh_yen", "Giáo xứ bình yên"),
    ("truong_hoc_an_toan", "Trường học an toàn về an ninh, trật tự"),
    ("khac", "Khác"),
]


def seed(apps, schema_editor):
    SchemeType = apps.get_model("registries", "SchemeType")
    for order, (code, name) in enumerate(TYPES, start=1):
        SchemeType.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    SchemeType = apps.get_model("registries", "SchemeType")
    SchemeType.objects.filter(code__in=[c for c, _n in TYPES], schemes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registries", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
