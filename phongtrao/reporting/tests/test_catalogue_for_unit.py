"""Only the catalogue that applies to a unit reaches it: the entry screen, the form choices,
the values import and the export leave out what another province owns."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
)
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.forms import EntryStartForm
from phongtrao.reporting.models import DataValue, ValueImport
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.export import export_request
from phongtrao.reporting.views.completeness import CompletenessFilterForm
from phongtrao.reporting.views.transfer import ExportForm
from phongtrao.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit,period,value,comment\n"


@pytest.fixture
def province_b(quang_ngai) -> Unit:
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    return provinces.exclude(pk=quang_ngai.pk).order_by("code").first()


def own_form(code: str, owner: Unit, indicator: Indicator) -> ReportForm:
    """A yearly form of `owner` for communes, holding one indicator, that never locks."""
    form = ReportForm.objects.create(
        code=code, name=f"Biểu riêng {code}", period_type="yearly", due_days_after_end=10,
        lock_days_after_end=None, owner=owner,
    )  # fmt: skip
    ReportFormUnitKind.objects.create(form=form, kind=UnitKind.COMMUNE)
    section = ReportFormSection.objects.create(form=form, name="Riêng", order=1)
    ReportFormItem.objects.create(form=form, section=section, indicator=indicator, order=1)
    return form


def own_indicator(code: str, owner: Unit) -> Indicator:
    return Indicator.objects.create(code=code, name=f"Chỉ tiêu riêng {code}", owner=owner)


@pytest.fixture
def qn_form(quang_ngai) -> ReportForm:
    return own_form("QN_OWN", quang_ngai, own_indicator("QN_X", quang_ngai))


@pytest.fixture
def b_form(province_b) -> ReportForm:
    return own_form("B_OWN", province_b, own_indicator("B_X", province_b))


def entry_url(form: ReportForm, unit: Unit, period: str) -> str:
    return reverse("reporting:entry", args=[form.code, unit.pk, period])


def counts() -> tuple[int, int, int]:
    return DataValue.objects.count(), AuditEvent.objects.count(), ValueImport.objects.count()


def test_another_provinces_form_does_not_open_on_a_quang_ngai_communes_entry_screen(
    client, form, qn_form, b_form, bo_y, clerk
):
    client.force_login(clerk)
    # when Bờ Y's clerk opens each form for Bờ Y
    statuses = [client.get(entry_url(f, bo_y, "2026")).status_code for f in (form, qn_form, b_form)]
    # then the national form and Quảng Ngãi's open, province B's is not found
    assert statuses == [200, 200, 404]


def test_a_quang_ngai_form_opens_for_plei_kan_before_the_reform(
    client, qn_form, b_form, plei_kan, make_user, quang_ngai
):
    # given a Quảng Ngãi clerk, whose scope holds Kon Tum's units before 2025
    client.force_login(make_user("qn_clerk", Role.DATA_ENTRY, (quang_ngai,)))
    # when they open both provinces' forms for Thị trấn Plei Kần in 2024
    statuses = [client.get(entry_url(f, plei_kan, "2024")).status_code for f in (qn_form, b_form)]
    # then Quảng Ngãi's form opens, province B's is not found
    assert statuses == [200, 404]


def test_the_form_choices_are_the_national_ones_and_the_users_provinces(
    form, qn_form, b_form, clerk
):
    # when the choices of the entry, completeness and export pages are read for Bờ Y's clerk
    choices = [
        [f.code for f in page(user=clerk).fields["form"].queryset]
        for page in (EntryStartForm, CompletenessFilterForm, ExportForm)
    ]
    # then the national forms and Quảng Ngãi's, never province B's
    assert choices == [["FESTIVAL", "QN_OWN", "TEST_YEARLY"]] * 3


def test_a_national_administrator_cannot_start_entry_of_another_provinces_form_for_bo_y(
    b_form, bo_y, make_user
):
    # given a national administrator, who sees every province's forms
    admin = make_user("tw_admin", Role.NATIONAL_ADMIN, (bo_y,))
    # when they pick province B's form for Bờ Y
    start = EntryStartForm({"form": "B_OWN", "unit": bo_y.pk, "period": "2026"}, user=admin)
    # then the form is refused, naming the province rule
    assert not start.is_valid()
    assert start.errors["form"] == [
        "Biểu mẫu B_OWN thuộc danh mục của tỉnh khác, không áp dụng cho Xã Bờ Y."
    ]


def test_an_import_row_of_another_provinces_indicator_is_refused(
    tmp_path: Path, form, b_form, bo_y
):
    # given a file with a national value and one of province B's own indicator for Bờ Y
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "SCHEMES_NEW,23377,2026,5,\nB_X,23377,2026,7,\n", encoding="utf-8")
    before = counts()
    # when it is imported
    result = values_import(path=path)
    # then the row is refused by row and column, and nothing is written
    assert [str(p) for p in result.problems] == [
        "Dòng 3, cột indicator: Chỉ tiêu B_X thuộc danh mục của tỉnh khác, không áp dụng cho "
        "Xã Bờ Y."
    ]
    assert (result.problem_count, result.written) == (1, False)
    assert counts() == before


def test_an_import_naming_another_provinces_form_is_refused(tmp_path: Path, form, b_form, bo_y):
    # given a DHIS2 file whose dataSet is province B's form, with a national value for Bờ Y
    path = tmp_path / "values.json"
    path.write_text(
        '{"dataSet": "B_OWN", "dataValues": [{"dataElement": "SCHEMES_NEW", "period": "2026",'
        ' "orgUnit": "23377", "value": "5"}]}',
        encoding="utf-8",
    )
    before = counts()
    # when it is imported by the system
    result = values_import(path=path)
    # then the value is refused, naming the form, and nothing is written
    assert [str(p) for p in result.problems] == [
        "dataValues[0], trường orgUnit: Biểu mẫu B_OWN thuộc danh mục của tỉnh khác, không áp "
        "dụng cho Xã Bờ Y."
    ]
    assert counts() == before


def test_an_import_of_quang_ngais_indicator_for_plei_kan_is_written(
    tmp_path: Path, qn_form, b_form, plei_kan, bo_y
):
    # given Quảng Ngãi's own indicator for Plei Kần in 2024 and for Bờ Y in 2026
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "QN_X,23377,2024,4,\nQN_X,23377,2026,6,\n", encoding="utf-8")
    # when it is imported
    result = values_import(path=path)
    # then both are written
    assert (result.problems, result.imported) == ([], 2)
    stored = DataValue.objects.filter(indicator__code="QN_X").order_by("period")
    assert [(v.unit_id, v.period, v.value) for v in stored] == [
        (plei_kan.pk, "2024", "4"),
        (bo_y.pk, "2026", "6"),
    ]


def test_the_export_refuses_another_provinces_form(b_form, qn_form, bo_y):
    # when province B's form is asked for Bờ Y, then it is not found like a missing one
    with pytest.raises(AppError) as refused:
        export_request(unit_code="23377", period="2026", form_code="B_OWN")
    assert refused.value.code == ErrorCode.NOT_FOUND
    # and Quảng Ngãi's is exported
    out = StringIO()
    call_command(
        "values", "export", "--unit", "23377", "--period", "2026", "--form", "QN_OWN", stdout=out
    )
    assert out.getvalue() == "indicator,unit,period,value,comment\n"
