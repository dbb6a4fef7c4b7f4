import pytest

from phongtrao.analytics.pivot_units import current_successor, pivot_unit, pivot_units
from phongtrao.catalog.periods import period_parse
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.units.models import UnitKind
from phongtrao.units.selectors import unit_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(make_user, quang_ngai):
    return make_user("qn_approver", Role.APPROVER, (quang_ngai,))


def test_a_level_lists_the_descendants_of_that_kind_in_force(plei_kan, make_area, user):
    # given Kon Tum as it was in 2019, and a village of Plei Kần
    make_area(plei_kan, "Thôn Iệc")
    kon_tum = unit_get(code="62", on=plei_kan.valid_to)
    # when its communes are listed on 31/12/2019
    units = pivot_units(
        parent=kon_tum, level=UnitKind.COMMUNE, day=period_parse("2019").end, user=user
    )
    # then there are its 102 communes, Plei Kần among them with a unit below it
    assert len(units) == 102
    assert {u.kind for u in units} == {UnitKind.COMMUNE}
    assert next(u.below for u in units if u == plei_kan) == 1


def test_kon_tum_and_its_old_districts_lead_to_quang_ngai_today(plei_kan, quang_ngai, user):
    district = plei_kan.parent
    kon_tum = district.parent
    assert current_successor(unit=kon_tum, user=user) == quang_ngai
    assert current_successor(unit=district, user=user) == quang_ngai


def test_a_unit_out_of_scope_is_not_found_like_a_missing_one(bo_y, cam_thanh, make_user):
    outsider = make_user("ct_viewer", Role.VIEWER, (cam_thanh,))
    with pytest.raises(AppError) as refused:
        pivot_unit(user=outsider, pk=bo_y.pk)
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.NOT_FOUND, "Không có đơn vị này.",
    )  # fmt: skip
