"""`phongtrao demo`: the province of Quảng Ngãi as it is today, with history back to 2019.

Before 1/7/2025 its western part was the province of Kon Tum; the demo keeps units on both
sides of the reform so every screen shows it. Running it again adds nothing twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import translation

from phongtrao.accounts.models import User
from phongtrao.accounts.passwords import DEMO_PASSWORD
from phongtrao.accounts.services import user_create
from phongtrao.core.roles import Role
from phongtrao.units.loading import units_load
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind
from phongtrao.units.services import unit_create

HISTORY_START = date(2019, 1, 1)


def _in_vietnamese(pattern: str, label: object) -> str:
    """A name stored once, so in the users' language: commands run with translation off."""
    with translation.override("vi"):
        return pattern.format(label)


PROVINCE_CODE = "51"
COMMUNES = {"boy": "23377", "camthanh": "21025"}
ROLE_SUFFIX = {
    Role.VIEWER: "xem",
    Role.DATA_ENTRY: "nhaplieu",
    Role.APPROVER: "duyet",
    Role.ADMIN: "quantri",
}
NATIONAL_ADMIN = "tw_quantri"

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
def demo_create(today: date | None = None) -> DemoResult:
    """The demo province, its users and their reports; `today` is the day the demo starts."""
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
                last_name=_in_vietnamese(f"{{}} {unit.short_name}", Role(role).label),
            )
            result.users_created += 1
    # The national catalogue is owned nationally: its administrator belongs to no province.
    if not User.objects.filter(username=NATIONAL_ADMIN).exists():
        user_create(
            actor=None,
            username=NATIONAL_ADMIN,
            password=DEMO_PASSWORD,
            role=Role.NATIONAL_ADMIN,
            units=[],
            last_name=_in_vietnamese("{}", Role.NATIONAL_ADMIN.label),
        )
        result.users_created += 1
    demo_reports(today)
    from phongtrao.registries.demo import registries_demo_create

    registries_demo_create(today)
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, role, unit) of every demo user, for the start-up banner."""
    rows = []
    for user in User.objects.filter(username__contains="_").prefetch_related("units"):
        unit = ", ".join(u.name for u in user.units.all())
        rows.append((user.username, user.get_role_display(), unit))
    return rows


# --- Demo reports -------------------------------------------------------------------------
# The festival form filled for a few units and years, through the same services people use,
# so the entry screens, the history next to each cell and the completeness page have
# something to show: history back to 2019 at the old communes, the last two years at today's.

FESTIVAL_FORM = "FESTIVAL"
LEGACY_YEARS = range(HISTORY_START.year, LEGACY_END.year)  # 2019 … 2024
APPROVED, SUBMITTED, DRAFT, RETURNED, NOTHING = "approved", "submitted", "draft", "returned", ""

# Outcome per unit name ("" is the commune's own report): what each unit did that year.
# Units not named report in full. Xã Bờ Y's own report for the current year stays empty: the
# browser test fills it in.
CURRENT_YEAR_OUTCOMES = {
    "23377": {
        "": NOTHING,
        "Tổ dân phố 1": APPROVED,
        "Tổ dân phố 2": SUBMITTED,
        "Thôn Iệc": DRAFT,
        "Thôn Đăk Răng": NOTHING,
        "Làng Le": RETURNED,
        "Trường THCS Bờ Y": NOTHING,
        "Công ty TNHH Cao su Bờ Y": NOTHING,
    },
    "21025": {
        "": SUBMITTED,
        "Tổ dân phố 3": SUBMITTED,
        "Tổ dân phố 4": DRAFT,
        "Trường Tiểu học Lê Văn Tám": SUBMITTED,
        "Bệnh viện Đa khoa tỉnh Quảng Ngãi": NOTHING,
    },
}
LAST_YEAR_OUTCOMES = {
    "23377": {"Làng Le": NOTHING, "Trường THCS Bờ Y": SUBMITTED},
    "21025": {"Tổ dân phố 4": SUBMITTED, "Bệnh viện Đa khoa tỉnh Quảng Ngãi": NOTHING},
}
LEGACY_OUTCOMES = {
    (2019, "23377"): {"Thôn Iệc": NOTHING},
    (2020, "21025"): {"Tổ dân phố 2": SUBMITTED},
}


def _festival_numbers(*, size: int, year: int, salt: int) -> dict[str, int]:
    """Plausible figures that pass the form's rules and grow a little each year."""
    vary = (salt * 7 + year) % 5
    grow = 100 + 4 * (year - HISTORY_START.year)
    maintained = size * (3 + vary % 3) * grow // 100
    new = size * (1 + vary % 2)
    events = max(1, size // 3)
    sessions = size * (2 + vary) * grow // 100
    teams = max(1, size // 2)
    return {
        "PLANS_ISSUED": 1 + size // 4,
        "OUTREACH_SESSIONS": sessions,
        "OUTREACH_AUDIENCE": sessions * (45 + 5 * vary),
        "FESTIVAL_EVENTS": events,
        "FESTIVAL_PARTICIPANTS": events * (150 + 20 * vary) * grow // 100,
        "SCHEMES_MAINTAINED": maintained,
        "SCHEMES_REPLICATED": min(size * (1 + vary % 2), maintained + new),
        "SCHEMES_NEW": new,
        "SECURITY_TEAMS": teams,
        "SECURITY_TEAM_MEMBERS": teams * (6 + vary % 3),
        "TIPS_RECEIVED": size * (1 + vary),
    }


def _demo_report(*, form, unit: Unit, year: int, outcome: str, clerk, approver, today) -> None:
    from phongtrao.catalog.selectors import form_lock_date
    from phongtrao.reporting.models import DataValue, Submission
    from phongtrao.reporting.services import data_value_save
    from phongtrao.reporting.workflow import (
        submission_approve,
        submission_open,
        submission_reopen,
        submission_return,
        submission_submit,
    )

    period = str(year)
    if (
        outcome == NOTHING
        or Submission.objects.filter(form=form, unit=unit, period=period).exists()
    ):
        return
    submission = submission_open(actor=clerk, form=form, unit=unit, period=period)
    lock = form_lock_date(form, period)
    if lock and today > lock:
        # Past years are closed to entry (31 days after the year). As an office does when it
        # types in old paper reports, an approver of the level above reopens the report for
        # a week; the values then go through the same checks and audit as any other entry.
        # A week, not just today, so a demo started just before midnight still loads.
        submission = submission_reopen(
            actor=approver, submission=submission, expected_version=submission.version,
            until=today + timedelta(days=7),
        )  # fmt: skip
    size = 6 if unit.kind == UnitKind.COMMUNE else 1
    for code, number in _festival_numbers(size=size, year=year, salt=unit.pk).items():
        indicator = form.items.get(indicator__code=code).indicator
        data_value_save(
            actor=clerk, form=form, unit=unit, period=period, indicator=indicator,
            raw_value=str(number), comment="",
            expected_version=DataValue.objects.filter(
                indicator=indicator, unit=unit, period=period
            ).values_list("version", flat=True).first(),
        )  # fmt: skip
    if outcome == DRAFT:
        return
    submission = submission_submit(
        actor=clerk, submission=submission, expected_version=submission.version
    )
    _backdate(submission, year)
    if outcome == APPROVED:
        submission_approve(
            actor=approver, submission=submission, expected_version=submission.version
        )
    elif outcome == RETURNED:
        submission_return(
            actor=approver, submission=submission, expected_version=submission.version,
            reason="Đề nghị bổ sung số liệu tuyên truyền.",
        )  # fmt: skip


def _backdate(submission, year: int) -> None:
    """Demo only: the services stamp "now"; a real office sent these around the due day."""
    from datetime import datetime, time

    from django.utils import timezone

    from phongtrao.reporting.models import Submission

    # Most units send in the last third of August; every fourth one is a few days late.
    day = (
        date(year, 9, 3)
        if submission.unit_id % 4 == 0
        else date(year, 8, 20 + submission.unit_id % 10)
    )
    sent = timezone.make_aware(datetime.combine(day, time(9, 30)))
    if sent < timezone.now():
        Submission.objects.filter(pk=submission.pk).update(submitted_at=sent)


def _demo_commune_reports(*, form, commune: Unit, year: int, outcomes: dict, today) -> None:
    """The commune's own report and those of the units below it in force at the year's end."""
    slug = {code: slug for slug, code in COMMUNES.items()}[commune.code]
    clerk = User.objects.get(username=f"{slug}_{ROLE_SUFFIX[Role.DATA_ENTRY]}")
    commune_approver = User.objects.get(username=f"{slug}_{ROLE_SUFFIX[Role.APPROVER]}")
    province_approver = User.objects.get(username=f"qn_{ROLE_SUFFIX[Role.APPROVER]}")
    end = date(year, 12, 31)
    reporting_kinds = form.unit_kinds.values("kind")
    below = commune.children.filter(kind__in=reporting_kinds).order_by("pk")
    for unit in [commune, *[u for u in below if u.is_valid_on(end)]]:
        own = unit == commune
        outcome = outcomes.get("" if own else unit.name, APPROVED)
        _demo_report(
            form=form, unit=unit, year=year, outcome=outcome, clerk=clerk,
            approver=province_approver if own else commune_approver, today=today,
        )  # fmt: skip


def demo_reports(today: date | None = None) -> None:
    """Fill the festival form for the demo communes; a report that exists is left alone."""
    from django.utils import timezone

    from phongtrao.catalog.models import ReportForm

    form = ReportForm.objects.filter(code=FESTIVAL_FORM).first()
    if form is None:
        return
    today = today or timezone.localdate()
    for code in COMMUNES.values():
        for year in LEGACY_YEARS:
            outcomes = LEGACY_OUTCOMES.get((year, code), {})
            _demo_commune_reports(
                form=form, commune=_legacy(code), year=year, outcomes=outcomes, today=today
            )
        for year in range(max(REFORM_DATE.year, today.year - 1), today.year + 1):
            outcomes = (CURRENT_YEAR_OUTCOMES if year == today.year else LAST_YEAR_OUTCOMES)[code]
            _demo_commune_reports(
                form=form, commune=_current(code), year=year, outcomes=outcomes, today=today
            )
