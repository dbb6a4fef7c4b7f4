"""`phongtrao demo`: the province of Quảng Ngãi as it is today, with history back to 2019.

Before 1/7/2025 its western part was the province of Kon Tum; the demo keeps units on both
sides of the reform so every screen shows it. Running it again adds nothing twice.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from phongtrao.accounts.models import Role, User
from phongtrao.accounts.services import user_create
from phongtrao.units.loading import units_load
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind
from phongtrao.units.services import unit_create

DEMO_PASSWORD = "PhongTrao@2026"
HISTORY_START = date(2019, 1, 1)

PROVINCE_CODE = "51"
COMMUNES = {"boy": "23377", "camthanh": "21025"}
ROLE_SUFFIX = {
    Role.VIEWER: "xem",
    Role.DATA_ENTRY: "nhaplieu",
    Role.APPROVER: "duyet",
    Role.ADMIN: "quantri",
}

# (old commune code, residential areas there before the reform)
LEGACY_AREAS = {
    "23377": [("Tổ dân phố 1", "Tổ dân phố"), ("Tổ dân phố 2", "Tổ dân phố"), ("Thôn Iệc", "Thôn")],
    "21025": [("Tổ dân phố 1", "Tổ dân phố"), ("Tổ dân phố 2", "Tổ dân phố")],
}
CURRENT_AREAS = {
    "23377": [
        ("residential_area", "Tổ dân phố 1", "Tổ dân phố"),
        ("residential_area", "Tổ dân phố 2", "Tổ dân phố"),
        ("residential_area", "Thôn Iệc", "Thôn"),
        ("residential_area", "Thôn Đăk Răng", "Thôn"),
        ("residential_area", "Làng Le", "Làng"),
        ("school", "Trường THCS Bờ Y", ""),
        ("enterprise", "Công ty TNHH Cao su Bờ Y", ""),
        ("police_unit", "Công an xã Bờ Y", ""),
    ],
    "21025": [
        ("residential_area", "Tổ dân phố 1", "Tổ dân phố"),
        ("residential_area", "Tổ dân phố 2", "Tổ dân phố"),
        ("residential_area", "Tổ dân phố 3", "Tổ dân phố"),
        ("residential_area", "Tổ dân phố 4", "Tổ dân phố"),
        ("school", "Trường Tiểu học Lê Văn Tám", ""),
        ("agency", "Bệnh viện Đa khoa tỉnh Quảng Ngãi", ""),
        ("police_unit", "Công an phường Cẩm Thành", ""),
    ],
}


@dataclass
class DemoResult:
    units_created: int = 0
    users_created: int = 0


def _ensure_unit(result: DemoResult, *, parent: Unit, kind: str, name: str, **extra) -> Unit:
    existing = Unit.objects.filter(parent=parent, kind=kind, name=name).first()
    if existing:
        return existing
    result.units_created += 1
    return unit_create(actor=None, parent=parent, kind=kind, name=name, source="demo", **extra)


def _current(code: str, kind: str = UnitKind.COMMUNE) -> Unit:
    return Unit.objects.get(code=code, kind=kind, valid_from=REFORM_DATE)


def _legacy(code: str, kind: str = UnitKind.COMMUNE) -> Unit:
    return Unit.objects.get(code=code, kind=kind, valid_to=LEGACY_END)


@transaction.atomic
def demo_create() -> DemoResult:
    if not Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).exists():
        units_load()
    result = DemoResult()
    province = _current(PROVINCE_CODE, UnitKind.PROVINCE)
    _ensure_unit(result, parent=province, kind=UnitKind.POLICE_UNIT, name="Công an tỉnh Quảng Ngãi")
    _ensure_unit(
        result,
        parent=_legacy("62", UnitKind.PROVINCE),
        kind=UnitKind.POLICE_UNIT,
        name="Công an tỉnh Kon Tum",
        valid_from=HISTORY_START,
    )
    for code, names in LEGACY_AREAS.items():
        commune = _legacy(code)
        for name, type_name in names:
            _ensure_unit(
                result,
                parent=commune,
                kind=UnitKind.RESIDENTIAL_AREA,
                name=name,
                type_name=type_name,
                valid_from=HISTORY_START,
            )
    for code, rows in CURRENT_AREAS.items():
        commune = _current(code)
        for kind, name, type_name in rows:
            _ensure_unit(
                result,
                parent=commune,
                kind=kind,
                name=name,
                type_name=type_name,
                contact_name="Nguyễn Văn An" if kind == UnitKind.RESIDENTIAL_AREA else "",
                contact_phone="0905 123 456" if kind == UnitKind.RESIDENTIAL_AREA else "",
            )

    scopes = {"qn": province} | {slug: _current(code) for slug, code in COMMUNES.items()}
    for slug, unit in scopes.items():
        for role, suffix in ROLE_SUFFIX.items():
            username = f"{slug}_{suffix}"
            if User.objects.filter(username=username).exists():
                continue
            user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                units=[unit],
                last_name=f"{Role(role).label} {unit.short_name}",
            )
            result.users_created += 1
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, role, unit) of every demo user, for the start-up banner."""
    rows = []
    for user in User.objects.filter(username__contains="_").prefetch_related("units"):
        unit = ", ".join(u.name for u in user.units.all())
        rows.append((user.username, user.get_role_display(), unit))
    return rows
