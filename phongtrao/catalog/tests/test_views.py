from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.catalog.models import Indicator, ReportForm, ValidationRule
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, make_user):
    client.force_login(make_user("xem", role=Role.VIEWER))
    return client


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("quantri", role=Role.NATIONAL_ADMIN))
    return client


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_indicators(n: int) -> None:
    Indicator.objects.bulk_create(
        Indicator(code=f"EXTRA_{i}", name=f"Chỉ tiêu thêm {i}", search_key=f"extra {i}")
        for i in range(n)
    )


# Reading -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("catalog:indicator_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_viewer_reads_the_catalogue_in_vietnamese(viewer_client):
    # when
    response = viewer_client.get(reverse("catalog:indicator_list"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Chỉ tiêu</h1>" in html
    assert "34 chỉ tiêu" in html
    assert "Số mô hình &quot;Dân vận khéo&quot;" in html
    assert reverse("catalog:indicator_create") not in html


def test_search_without_diacritics(viewer_client):
    response = viewer_client.get(reverse("catalog:indicator_list"), {"q": "vat lieu no"})
    assert [i.code for i in response.context["object_list"]] == ["EXPLOSIVES_SURRENDERED_KG"]


def test_indicator_list_queries_do_not_grow_with_rows(viewer_client):
    # given
    url = reverse("catalog:indicator_list")
    before = count_queries(viewer_client, url)
    # when
    add_indicators(15)
    # then
    assert count_queries(viewer_client, url) == before


def test_indicator_list_pages_by_50(viewer_client):
    add_indicators(20)
    response = viewer_client.get(reverse("catalog:indicator_list"), {"page": 2})
    assert len(response.context["object_list"]) == 4
    assert "Trang 2/2" in response.content.decode()


def test_form_list_queries_do_not_grow_with_forms(viewer_client, make_form):
    url = reverse("catalog:form_list")
    before = count_queries(viewer_client, url)
    for i in range(5):
        make_form(code=f"FORM_{i}")
    assert count_queries(viewer_client, url) == before


def test_rule_list_queries_do_not_grow_with_rules(viewer_client, festival):
    url = reverse("catalog:rule_list")
    before = count_queries(viewer_client, url)
    ValidationRule.objects.bulk_create(
        ValidationRule(form=festival, left="SEMINARS", operator=">=", right=str(i), message="M")
        for i in range(10)
    )
    assert count_queries(viewer_client, url) == before


def test_form_detail_shows_sections_and_rules(viewer_client):
    response = viewer_client.get(reverse("catalog:form_detail", args=["FESTIVAL"]))
    html = response.content.decode()
    assert "<h2>5. Xây dựng mô hình</h2>" in html
    assert "SCHEMES_REPLICATED &lt;= SCHEMES_MAINTAINED + SCHEMES_NEW" in html
    assert "vào ngày 31/8 của năm báo cáo" in html


def test_an_unknown_form_answers_404(viewer_client):
    assert viewer_client.get(reverse("catalog:form_detail", args=["NOPE"])).status_code == 404


# Refused to non-administrators ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("catalog:indicator_create"),
        reverse("catalog:indicator_edit", args=["SEMINARS"]),
        reverse("catalog:form_create"),
        reverse("catalog:form_edit", args=["FESTIVAL"]),
        reverse("catalog:form_sections", args=["FESTIVAL"]),
        reverse("catalog:form_items", args=["FESTIVAL"]),
        reverse("catalog:rule_create", args=["FESTIVAL"]),
    ],
)
def test_editing_pages_are_forbidden_to_a_data_entry_user(client, make_user, url):
    client.force_login(make_user("nhaplieu", role=Role.DATA_ENTRY))
    assert client.get(url).status_code == 403


def test_a_viewer_cannot_create_an_indicator_and_nothing_changes(viewer_client):
    # when
    response = viewer_client.post(
        reverse("catalog:indicator_create"), {"code": "HACK", "name": "X"}
    )
    # then
    assert response.status_code == 403
    assert not Indicator.objects.filter(code="HACK").exists()
    assert AuditEvent.objects.filter(content_type__model="indicator").count() == 0


def test_a_viewer_cannot_delete_a_rule(viewer_client, festival):
    rule = festival.rules.first()
    assert viewer_client.post(reverse("catalog:rule_delete", args=[rule.pk])).status_code == 403
    assert ValidationRule.objects.filter(pk=rule.pk).exists()


# Administrators ------------------------------------------------------------------------------


def indicator_data(**overrides) -> dict:
    return {
        "name": "Số buổi diễn tập",
        "name_en": "Drills",
        "value_type": "whole",
        "aggregation": "sum",
        "unit_of_measure": "buổi",
        "description": "",
        "is_active": "on",
    } | overrides


def test_an_administrator_adds_an_indicator(admin_client):
    response = admin_client.post(reverse("catalog:indicator_create"), indicator_data(code="drills"))
    assert response.status_code == 302
    assert Indicator.objects.get(code="DRILLS").name == "Số buổi diễn tập"


def test_a_bad_code_is_shown_on_the_form(admin_client):
    response = admin_client.post(reverse("catalog:indicator_create"), indicator_data(code="1X"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["Dùng chữ in hoa không dấu, chữ số và dấu _, bắt đầu bằng một chữ cái."]
    }
    assert not Indicator.objects.filter(code="1X").exists()


def test_the_code_cannot_be_changed_when_editing(admin_client, indicator):
    # when a crafted request sends a new code along
    response = admin_client.post(
        reverse("catalog:indicator_edit", args=["SEMINARS"]),
        indicator_data(code="RENAMED", name="Số buổi hội thảo"),
    )
    # then the name changes and the code stays
    assert response.status_code == 302
    assert indicator("SEMINARS").name == "Số buổi hội thảo"
    assert not Indicator.objects.filter(code="RENAMED").exists()


def test_the_plausible_bound_is_set_in_the_catalogue_the_vietnamese_way(admin_client, indicator):
    # when the administrator bounds outreach sessions at 100.000
    response = admin_client.post(
        reverse("catalog:indicator_edit", args=["SEMINARS"]),
        indicator_data(name="Số buổi hội thảo", max_plausible="100.000"),
    )
    # then it is stored, and the edit page shows it grouped
    assert response.status_code == 302
    assert indicator("SEMINARS").max_plausible == 100000
    page = admin_client.get(reverse("catalog:indicator_edit", args=["SEMINARS"])).content.decode()
    assert 'name="max_plausible" value="100.000"' in page
    assert "giá trị lớn nhất hợp lý" in page.lower()


def test_an_administrator_edits_the_festival_form(admin_client, festival):
    data = {
        "name": festival.name,
        "description": festival.description,
        "period_type": "yearly",
        "due_month": "9",
        "due_day": "15",
        "lock_days_after_end": "31",
        "first_period": "2005",
        "last_period": "",
        "outlier_threshold": "2,5",
        "is_active": "on",
        "unit_kinds": ["commune", "province"],
    }
    response = admin_client.post(reverse("catalog:form_edit", args=["FESTIVAL"]), data)
    assert response.status_code == 302
    festival.refresh_from_db()
    assert (festival.due_month, festival.due_day) == (9, 15)
    # a threshold is written with a decimal comma, as every number people type
    assert festival.outlier_threshold == Decimal("2.5")


def test_an_administrator_creates_a_form(admin_client):
    data = {
        "code": "monthly_tips",
        "name": "Báo cáo tháng về tin báo",
        "period_type": "monthly",
        "due_days_after_end": "5",
        "outlier_threshold": "3,5",
        "is_active": "on",
        "unit_kinds": ["commune"],
    }
    response = admin_client.post(reverse("catalog:form_create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:form_detail", args=["MONTHLY_TIPS"])


def test_the_parser_error_is_shown_next_to_the_rule_side(admin_client, festival):
    # when
    response = admin_client.post(
        reverse("catalog:rule_create", args=["FESTIVAL"]),
        {
            "left": "SCHEMES_REPLICATED",
            "operator": "<=",
            "right": "SCHEMES_MAINTAINED + SCHEMS_NEW",
            "message": "Sai",
            "severity": "error",
            "is_active": "on",
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "right": ['Mã chỉ tiêu "SCHEMS_NEW" ở vị trí 22 không có trong danh mục chỉ tiêu.']
    }
    assert festival.rules.count() == 4


def test_an_administrator_adds_a_rule(admin_client, festival):
    response = admin_client.post(
        reverse("catalog:rule_create", args=["FESTIVAL"]),
        {
            "left": "SCHEME_POINTS",
            "operator": ">=",
            "right": "SCHEMES_NEW",
            "message": "Mỗi mô hình mới cần ít nhất một điểm áp dụng.",
            "severity": "warning",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert festival.rules.count() == 5


def test_sections_formset_adds_a_section(admin_client, festival):
    # given the eight existing sections, unchanged, and one new row
    sections = list(festival.sections.order_by("order"))
    data = {
        "sections-TOTAL_FORMS": str(len(sections) + 1),
        "sections-INITIAL_FORMS": str(len(sections)),
    }
    for n, s in enumerate(sections):
        data |= {
            f"sections-{n}-id": s.pk,
            f"sections-{n}-name": s.name,
            f"sections-{n}-order": s.order,
        }
    data |= {f"sections-{len(sections)}-name": "Khác", f"sections-{len(sections)}-order": "9"}
    # when
    response = admin_client.post(reverse("catalog:form_sections", args=["FESTIVAL"]), data)
    # then
    assert response.status_code == 302
    assert list(festival.sections.order_by("order").values_list("name", flat=True))[-1] == "Khác"


def test_items_formset_refuses_a_duplicate_and_shows_why(admin_client, festival, indicator):
    section = festival.sections.get(order=1)
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-section": section.pk,
        "items-0-indicator": indicator("SEMINARS").pk,
        "items-0-order": "2",
    }
    response = admin_client.post(reverse("catalog:form_items", args=["FESTIVAL"]), data)
    assert response.status_code == 200
    assert "Chỉ tiêu SEMINARS xuất hiện hai lần trên biểu mẫu." in response.content.decode()
    assert festival.items.count() == 34


def test_items_page_queries_do_not_grow_with_items(admin_client, festival, make_form):
    url = reverse("catalog:form_items", args=["FESTIVAL"])
    before = count_queries(admin_client, url)
    add_indicators(10)
    assert count_queries(admin_client, url) == before
    assert ReportForm.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        reverse("catalog:indicator_create"),
        reverse("catalog:indicator_edit", args=["SEMINARS"]),
        reverse("catalog:form_create"),
        reverse("catalog:form_edit", args=["FESTIVAL"]),
        reverse("catalog:form_sections", args=["FESTIVAL"]),
        reverse("catalog:form_items", args=["FESTIVAL"]),
        reverse("catalog:rule_create", args=["FESTIVAL"]),
    ],
)
def test_editing_pages_open_for_an_administrator(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_the_indicator_edit_page_has_no_code_field(admin_client):
    response = admin_client.get(reverse("catalog:indicator_edit", args=["SEMINARS"]))
    assert "code" not in response.context["form"].fields
    assert "Chỉ tiêu SEMINARS" in response.content.decode()


# Ownership: the national catalogue is changed nationally only ---------------------------------


@pytest.fixture
def commune_admin_client(client, make_user, bo_y):
    client.force_login(make_user("boy_quantri", role=Role.ADMIN, units=(bo_y,)))
    return client


def _catalogue_state() -> tuple:
    return (
        list(Indicator.objects.values_list("code", "name", "owner_id").order_by("code")),
        list(ReportForm.objects.values_list("code", "name", "owner_id").order_by("code")),
        list(ValidationRule.objects.values_list("pk", "left", "message").order_by("pk")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (reverse("catalog:indicator_create"), {"code": "XA_MOI", "name": "Chỉ tiêu xã"}),
        (reverse("catalog:indicator_edit", args=["SCHEMES_NEW"]), {"name": "Đổi tên"}),
        (reverse("catalog:form_create"), {"code": "XA_FORM", "name": "Biểu xã"}),
        (reverse("catalog:form_edit", args=["FESTIVAL"]), {"name": "Đổi tên"}),
        (reverse("catalog:rule_create", args=["FESTIVAL"]), {"left": "FESTIVAL_EVENTS"}),
    ],
)
def test_a_commune_administrator_cannot_change_the_national_catalogue(
    commune_admin_client, url, data
):
    # given the national catalogue as it is
    before = _catalogue_state()
    # when a commune administrator opens and posts a page that would change it
    opened = commune_admin_client.get(url)
    posted = commune_admin_client.post(url, data)
    # then both are forbidden and nothing changed
    assert (opened.status_code, posted.status_code) == (403, 403)
    assert _catalogue_state() == before


def test_a_commune_administrator_cannot_edit_or_delete_a_national_rule(commune_admin_client):
    # given a national form's rule
    rule = ValidationRule.objects.filter(form__owner__isnull=True).first()
    if rule is None:
        rule = ValidationRule.objects.create(
            form=ReportForm.objects.get(code="FESTIVAL"), left="FESTIVAL_EVENTS", operator=">=",
            right="0", message="Không âm",
        )  # fmt: skip
    before = _catalogue_state()
    # when a commune administrator edits and deletes it
    edited = commune_admin_client.post(
        reverse("catalog:rule_edit", args=[rule.pk]),
        {"left": "FESTIVAL_EVENTS", "operator": "<", "right": "0", "message": "x"},
    )
    deleted = commune_admin_client.post(reverse("catalog:rule_delete", args=[rule.pk]))
    # then both are forbidden and the rule is as it was
    assert (edited.status_code, deleted.status_code) == (403, 403)
    assert _catalogue_state() == before


def _other_province(quang_ngai):
    from phongtrao.units.models import Unit, UnitKind

    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    return provinces.exclude(pk=quang_ngai.pk).order_by("code").first()


def test_another_provinces_form_is_not_found(client, make_user, quang_ngai):
    # given a form of another province, and a viewer of Quảng Ngãi
    other = _other_province(quang_ngai)
    ReportForm.objects.create(
        code="OTHER_FORM", name="Biểu tỉnh khác", period_type="yearly", due_days_after_end=10,
        owner=other,
    )  # fmt: skip
    client.force_login(make_user("qn_xem", role=Role.VIEWER, units=(quang_ngai,)))
    # when the viewer opens it and the list of forms
    page = client.get(reverse("catalog:form_detail", args=["OTHER_FORM"]))
    listed = client.get(reverse("catalog:form_list")).content.decode()
    # then it answers like a missing form and is not listed
    assert page.status_code == 404
    assert "OTHER_FORM" not in listed
