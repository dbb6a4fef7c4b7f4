"""The catalogue that applies to a unit: national, its province's own, and for a unit from
before the 2025 reform that of the province that succeeded its province."""

import pytest

from phongtrao.catalog.models import ReportForm, ReportFormUnitKind
from phongtrao.catalog.selectors import form_for_unit, forms_for_unit, forms_for_unit_kind
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_b(quang_ngai) -> Unit:
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    return provinces.exclude(pk=quang_ngai.pk).order_by("code").first()


def own_form(code: str, owner: Unit) -> ReportForm:
    form = ReportForm.objects.create(
        code=code,
        name=f"Biểu riêng {code}",
        period_type="yearly",
        due_days_after_end=10,
        owner=owner,
    )
    ReportFormUnitKind.objects.create(form=form, kind=UnitKind.COMMUNE)
    return form


@pytest.fixture
def national_codes() -> list[str]:
    return [f.code for f in forms_for_unit_kind(kind=UnitKind.COMMUNE)]


def test_another_provinces_form_is_not_among_a_quang_ngai_communes_forms(
    bo_y, quang_ngai, province_b, national_codes
):
    # given a form of Quảng Ngãi and one of province B, both for communes
    own_form("QN_OWN", quang_ngai)
    own_form("B_OWN", province_b)
    # when Bờ Y's forms are read
    codes = [f.code for f in forms_for_unit(unit=bo_y)]
    # then the national forms and Quảng Ngãi's, not province B's
    assert national_codes == ["FESTIVAL"]
    assert codes == ["FESTIVAL", "QN_OWN"]


def test_a_kon_tum_commune_before_the_reform_reports_the_forms_of_quang_ngai(
    plei_kan, quang_ngai, province_b, django_assert_num_queries
):
    # given a form of Quảng Ngãi, which succeeded Kon Tum, and one of province B
    own_form("QN_OWN", quang_ngai)
    own_form("B_OWN", province_b)
    # when the forms of Thị trấn Plei Kần (a Kon Tum unit until 2025) are read
    with django_assert_num_queries(1):
        codes = [f.code for f in forms_for_unit(unit=plei_kan)]
    # then Quảng Ngãi's form is among them, province B's is not
    assert codes == ["FESTIVAL", "QN_OWN"]


def test_another_provinces_form_is_not_found_for_a_unit(bo_y, province_b):
    # given province B's own form
    own_form("B_OWN", province_b)
    # when it is asked for Bờ Y
    with pytest.raises(AppError) as refused:
        form_for_unit(code="B_OWN", unit=bo_y)
    # then it is not found, like a missing form, and the national one is
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert form_for_unit(code="festival", unit=bo_y).code == "FESTIVAL"


def test_province_bs_own_form_applies_to_its_own_communes(province_b):
    # given province B's own form and one of B's communes
    own_form("B_OWN", province_b)
    commune = (
        Unit.objects.filter(
            kind=UnitKind.COMMUNE, valid_to__isnull=True, path__startswith=province_b.path
        )
        .order_by("code")
        .first()
    )
    # then the form applies to it
    assert [f.code for f in forms_for_unit(unit=commune)] == ["B_OWN", "FESTIVAL"]
