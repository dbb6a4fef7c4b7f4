from datetime import date

import pytest

from phongtrao.units.models import Unit, UnitKind
from phongtrao.units.selectors import (
    kind_rank,
    unit_ancestors,
    unit_descendants,
    unit_get,
    unit_successors,
    units_search,
)

pytestmark = pytest.mark.django_db


def test_search_ignores_diacritics_and_takes_the_date():
    # when searching "plei kan" on the festival day of 2019
    found = list(units_search(query="plei kan", on=date(2019, 8, 19)))
    # then the old town of Plei Kần under Ngọc Hồi district
    assert [(u.code, u.name, u.parent.name) for u in found] == [
        ("23377", "Thị trấn Plei Kần", "Huyện Ngọc Hồi")
    ]


def test_search_finds_dak_lak_from_plain_letters():
    found = units_search(query="dak lak", on=date(2026, 1, 1), kinds=[UnitKind.PROVINCE])
    assert [u.name for u in found] == ["Tỉnh Đắk Lắk"]


def test_search_accepts_nfd_input():
    import unicodedata

    query = unicodedata.normalize("NFD", "Plei Kần")
    assert [u.code for u in units_search(query=query, on=date(2019, 1, 1))] == ["23377"]


def test_plei_kan_is_succeeded_by_xa_bo_y_of_quang_ngai(plei_kan):
    successors = list(unit_successors(unit=plei_kan))
    assert [(s.successor.name, s.successor.parent.name, s.share) for s in successors] == [
        ("Xã Bờ Y", "Tỉnh Quảng Ngãi", 1)
    ]


def test_a_code_names_a_different_unit_before_and_after_the_reform():
    assert unit_get(code="23377", on=date(2019, 8, 19)).name == "Thị trấn Plei Kần"
    assert unit_get(code="23377", on=date(2026, 1, 1)).name == "Xã Bờ Y"


def test_ancestors_come_in_one_query(plei_kan, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [u.name for u in unit_ancestors(unit=plei_kan)]
    assert names == ["Tỉnh Kon Tum", "Huyện Ngọc Hồi"]


def test_descendants_on_a_date_come_in_one_query(django_assert_num_queries):
    kon_tum = unit_get(code="62", on=date(2019, 1, 1))
    with django_assert_num_queries(1):
        communes = [u for u in unit_descendants(unit=kon_tum, on=date(2019, 1, 1))]
    kinds = {k: sum(1 for u in communes if u.kind == k) for k in ("district", "commune")}
    assert kinds == {"district": 10, "commune": 102}


def test_kind_rank_sorts_units_by_their_kind_in_the_order_of_kinds(quang_ngai, bo_y, make_area):
    # given a village, a commune and a province, listed from the bottom up
    village = make_area(bo_y, "Thôn A")
    pks = [village.pk, bo_y.pk, quang_ngai.pk]
    # when they are sorted by the rank of their kind
    ranked = Unit.objects.filter(pk__in=pks).annotate(rank=kind_rank()).order_by("rank")
    # then the province comes first and the village last, each with its place in KIND_ORDER
    assert [(u.name, u.rank) for u in ranked] == [
        ("Tỉnh Quảng Ngãi", 0), ("Xã Bờ Y", 2), ("Thôn A", 3)
    ]  # fmt: skip
