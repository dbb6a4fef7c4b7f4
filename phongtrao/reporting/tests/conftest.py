from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
    ValidationRule,
)
from phongtrao.core.roles import Role
from phongtrao.units.models import Unit, UnitKind

CODES = [
    "SCHEMES_MAINTAINED",
    "SCHEMES_REPLICATED",
    "SCHEMES_NEW",
    "FESTIVAL_EVENTS",
    "FESTIVAL_PARTICIPANTS",
    "EXPLOSIVES_SURRENDERED_KG",
]


@pytest.fixture
def indicators(db) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=CODES)}


@pytest.fixture
def form(db, indicators) -> ReportForm:
    """A yearly form that never locks by date, so tests do not age."""
    form = ReportForm.objects.create(
        code="TEST_YEARLY", name="Biểu thử", period_type="yearly", due_month=8, due_day=31,
        lock_days_after_end=None,
    )  # fmt: skip
    section = ReportFormSection.objects.create(form=form, name="Mô hình", order=1)
    for order, code in enumerate(CODES, start=1):
        ReportFormItem.objects.create(
            form=form, section=section, indicator=indicators[code], order=order
        )
    for kind in (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
        ReportFormUnitKind.objects.create(form=form, kind=kind)
    ValidationRule.objects.create(
        form=form, left="SCHEMES_REPLICATED", operator="<=",
        right="SCHEMES_MAINTAINED + SCHEMES_NEW", severity="error",
        message="Số mô hình nhân rộng không được lớn hơn số mô hình duy trì và xây mới.",
    )  # fmt: skip
    ValidationRule.objects.create(
        form=form, left="FESTIVAL_PARTICIPANTS", operator=">=", right="FESTIVAL_EVENTS",
        severity="warning", message="Số người tham dự ít hơn số điểm tổ chức Ngày hội.",
    )  # fmt: skip
    return form


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def other_clerk(make_user, bo_y):
    return make_user("boy_clerk2", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def province_approver(make_user, quang_ngai):
    return make_user("qn_approver", Role.APPROVER, (quang_ngai,))


def run_values(*args: str) -> tuple[int, list[str], str]:
    """`phongtrao values …`: its exit code, its standard output lines and its error message."""
    out = StringIO()
    try:
        call_command("values", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue().splitlines(), str(exc)
    return 0, out.getvalue().splitlines(), ""


@pytest.fixture
def festival(db) -> ReportForm:
    return ReportForm.objects.get(code="FESTIVAL")


@pytest.fixture
def kon_tum(db) -> Unit:
    return Unit.objects.get(code="62", kind=UnitKind.PROVINCE)


@pytest.fixture
def dak_xu(db) -> Unit:
    return Unit.objects.get(code="23389", kind=UnitKind.COMMUNE, valid_to__isnull=False)
