from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, ValidationRule
from phongtrao.catalog.services import (
    ItemRow,
    SectionRow,
    form_create,
    form_items_save,
    form_sections_save,
    form_update,
    indicator_create,
    indicator_update,
    rule_create,
    rule_delete,
    rule_update,
)
from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("quantri", role=Role.NATIONAL_ADMIN)


def events_for(instance) -> list[tuple[str, dict]]:
    qs = AuditEvent.objects.filter(
        content_type__model=instance._meta.model_name, object_id=str(instance.pk)
    ).order_by("id")
    return [(e.action, e.changes) for e in qs]


# Indicators ----------------------------------------------------------------------------------


def test_create_an_indicator_normalises_and_audits(admin):
    # when
    indicator = indicator_create(
        actor=admin,
        code=" drills_held ",
        name="Số buổi diễn tập phương án\u0300".replace("\u0300", ""),
        name_en="Drills held",
        unit_of_measure="buổi",
    )
    # then
    assert (indicator.code, indicator.search_key) == (
        "DRILLS_HELD",
        "drills held so buoi dien tap phuong an drills held",
    )
    [(action, changes)] = events_for(indicator)
    assert action == "create"
    assert changes["code"] == [None, "DRILLS_HELD"]
    event = AuditEvent.objects.get(
        content_type__model="indicator", object_id=str(indicator.pk), action="create"
    )
    assert event.actor == admin


def test_create_stores_nfd_names_as_nfc(admin):
    import unicodedata

    indicator = indicator_create(
        actor=admin, code="X", name=unicodedata.normalize("NFD", "Số mô hình")
    )
    assert indicator.name == unicodedata.normalize("NFC", "Số mô hình")


def test_a_duplicate_code_is_refused_and_nothing_changes(admin):
    # given
    before = (Indicator.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(ValidationError) as exc:
        indicator_create(actor=admin, code="seminars", name="Trùng mã")
    # then
    assert exc.value.message_dict == {"code": ["Chỉ tiêu có Mã đã tồn tại."]}
    assert (Indicator.objects.count(), AuditEvent.objects.count()) == before


def test_update_changes_fields_but_never_the_code(admin, indicator):
    # when
    updated = indicator_update(
        actor=admin, indicator=indicator("SEMINARS"), name="Số buổi hội thảo, tọa đàm"
    )
    # then
    assert (updated.code, updated.name) == ("SEMINARS", "Số buổi hội thảo, tọa đàm")
    assert "hoi thao toa dam" in updated.search_key
    assert events_for(updated) == [
        (
            "update",
            {
                "name": ["Số buổi tọa đàm, hội thảo", "Số buổi hội thảo, tọa đàm"],
                "search_key": [
                    "seminars so buoi toa dam hoi thao seminars and workshops",
                    "seminars so buoi hoi thao toa dam seminars and workshops",
                ],
            },
        )
    ]


def test_update_without_changes_leaves_no_audit(admin, indicator):
    indicator_update(actor=admin, indicator=indicator("SEMINARS"), name="Số buổi tọa đàm, hội thảo")
    assert events_for(indicator("SEMINARS")) == []


def test_the_audit_before_comes_from_the_database_not_the_touched_instance(admin, indicator):
    # given a form already wrote the new name on the instance in memory
    seminars = indicator("SEMINARS")
    seminars.name = "Tên mới"
    # when
    indicator_update(actor=admin, indicator=seminars, name="Tên mới")
    # then
    assert events_for(seminars)[0][1]["name"] == ["Số buổi tọa đàm, hội thảo", "Tên mới"]


def test_an_indicator_used_by_a_rule_cannot_become_text(admin, indicator):
    # when
    with pytest.raises(ValidationError) as exc:
        indicator_update(actor=admin, indicator=indicator("SECURITY_TEAMS"), value_type="text")
    # then
    assert exc.value.message_dict == {
        "value_type": [
            "Quy tắc SECURITY_TEAM_MEMBERS >= SECURITY_TEAMS của biểu mẫu FESTIVAL tính toán "
            "với chỉ tiêu này."
        ]
    }
    assert indicator("SECURITY_TEAMS").value_type == "whole"


# Reporting forms -----------------------------------------------------------------------------


def test_create_a_form_with_its_unit_kinds(admin):
    # when
    form = form_create(
        actor=admin,
        code="security_quarterly",
        name="Báo cáo quý",
        period_type="quarterly",
        unit_kinds=["commune", "province", "commune"],
        due_days_after_end=10,
        first_period="2025q3",
    )
    # then
    assert (form.code, form.first_period) == ("SECURITY_QUARTERLY", "2025Q3")
    assert sorted(form.unit_kinds.values_list("kind", flat=True)) == ["commune", "province"]
    [(action, changes)] = events_for(form)
    assert changes["unit_kinds"] == [None, ["commune", "province"]]


def test_a_form_without_unit_kinds_is_refused(admin):
    with pytest.raises(ValidationError) as exc:
        form_create(
            actor=admin, code="F", name="F", period_type="yearly", unit_kinds=[],
            due_days_after_end=5,
        )  # fmt: skip
    assert exc.value.message_dict == {"unit_kinds": ["Hãy chọn ít nhất một loại đơn vị."]}
    assert not ReportForm.objects.filter(code="F").exists()


def test_update_a_form_audits_fields_and_unit_kinds(admin, festival):
    # when
    form_update(actor=admin, form=festival, unit_kinds=["commune"], lock_days_after_end=60)
    # then
    festival.refresh_from_db()
    assert festival.lock_days_after_end == 60
    assert list(festival.unit_kinds.values_list("kind", flat=True)) == ["commune"]
    [(action, changes)] = events_for(festival)
    assert changes == {
        "lock_days_after_end": [31, 60],
        "unit_kinds": [
            ["agency", "commune", "enterprise", "province", "residential_area", "school"],
            ["commune"],
        ],
    }


def test_switching_the_festival_form_to_quarterly_is_refused(admin, festival):
    with pytest.raises(ValidationError):
        form_update(actor=admin, form=festival, period_type="quarterly")
    festival.refresh_from_db()
    assert festival.period_type == "yearly"
    assert events_for(festival) == []


# Sections and items --------------------------------------------------------------------------


def test_add_rename_and_delete_sections(admin, make_form):
    # given
    form = make_form()
    [first] = form_sections_save(actor=admin, form=form, rows=[SectionRow(None, "Phần A", 1)])
    # when
    sections = form_sections_save(
        actor=admin,
        form=form,
        rows=[SectionRow(first.pk, "Phần Một", 2), SectionRow(None, "Phần Hai", 1)],
    )
    # then
    assert [(s.name, s.order) for s in sections] == [("Phần Hai", 1), ("Phần Một", 2)]
    form_sections_save(actor=admin, form=form, rows=[SectionRow(first.pk, "", 2, delete=True)])
    assert [s.name for s in form.sections.all()] == ["Phần Hai"]


def test_a_section_holding_indicators_cannot_be_deleted(admin, festival):
    section = festival.sections.get(order=1)
    with pytest.raises(ValidationError) as exc:
        form_sections_save(
            actor=admin, form=festival, rows=[SectionRow(section.pk, section.name, 1, delete=True)]
        )
    assert exc.value.messages == [
        'Phần "Công tác chỉ đạo" vẫn còn chỉ tiêu: hãy chuyển hoặc bỏ chúng trước.'
    ]
    assert festival.sections.count() == 8


def test_a_section_of_another_form_answers_not_found(admin, festival, make_form):
    other = make_form()
    section = festival.sections.first()
    with pytest.raises(AppError) as exc:
        form_sections_save(actor=admin, form=other, rows=[SectionRow(section.pk, "Lấy trộm", 1)])
    assert exc.value.code == "not_found"
    assert festival.sections.get(pk=section.pk).name == "Công tác chỉ đạo"


def test_place_indicators_on_a_form(admin, make_form, indicator):
    # given
    form = make_form()
    [section] = form_sections_save(actor=admin, form=form, rows=[SectionRow(None, "Chung", 1)])
    # when
    form_items_save(
        actor=admin,
        form=form,
        rows=[
            ItemRow(None, section.pk, indicator("TIPS_RECEIVED").pk, 2),
            ItemRow(None, section.pk, indicator("SECURITY_TEAMS").pk, 1),
        ],
    )
    # then
    items = ReportFormItem.objects.filter(form=form).order_by("order")
    assert [i.indicator.code for i in items] == ["SECURITY_TEAMS", "TIPS_RECEIVED"]
    assert AuditEvent.objects.filter(content_type__model="reportformitem").count() == 2


def test_an_indicator_twice_on_a_form_is_refused_and_nothing_changes(admin, festival, indicator):
    # given
    section = festival.sections.get(order=1)
    # when
    with pytest.raises(ValidationError) as exc:
        form_items_save(
            actor=admin,
            form=festival,
            rows=[ItemRow(None, section.pk, indicator("SEMINARS").pk, 9)],
        )
    # then
    assert exc.value.messages == ["Chỉ tiêu SEMINARS xuất hiện hai lần trên biểu mẫu."]
    assert festival.items.count() == 34


def test_moving_an_indicator_between_sections(admin, festival, indicator):
    item = festival.items.get(indicator__code="SEMINARS")
    target = festival.sections.get(order=1)
    form_items_save(
        actor=admin, form=festival, rows=[ItemRow(item.pk, target.pk, item.indicator_id, 5)]
    )
    item.refresh_from_db()
    assert (item.section.name, item.order) == ("Công tác chỉ đạo", 5)


def test_an_indicator_used_by_a_rule_cannot_leave_the_form(admin, festival):
    item = festival.items.get(indicator__code="SCHEMES_NEW")
    with pytest.raises(ValidationError) as exc:
        form_items_save(
            actor=admin,
            form=festival,
            rows=[ItemRow(item.pk, item.section_id, item.indicator_id, item.order, delete=True)],
        )
    assert exc.value.messages == [
        'Chỉ tiêu SCHEMES_NEW đang được dùng trong quy tắc "SCHEMES_REPLICATED <= '
        'SCHEMES_MAINTAINED + SCHEMES_NEW": hãy sửa quy tắc trước.'
    ]
    assert festival.items.count() == 34


# Validation rules ----------------------------------------------------------------------------


def test_create_a_rule_and_audit_it(admin, festival):
    # when
    rule = rule_create(
        actor=admin,
        form=festival,
        left="awarded_individuals + AWARDED_COLLECTIVES",
        operator="<=",
        right="(OUTREACH_AUDIENCE + 1) * 2",
        message="Số được khen thưởng quá lớn.",
        severity="warning",
    )
    # then
    assert str(rule) == "awarded_individuals + AWARDED_COLLECTIVES <= (OUTREACH_AUDIENCE + 1) * 2"
    assert events_for(rule)[0][0] == "create"


@pytest.mark.parametrize(
    ("left", "right", "field", "message"),
    [
        (
            "SCHEMES_NEWW",
            "0",
            "left",
            'Mã chỉ tiêu "SCHEMES_NEWW" ở vị trí 1 không có trong danh mục chỉ tiêu.',
        ),
        (
            "SCHEMES_NEW",
            "2 +",
            "right",
            "Biểu thức kết thúc sớm ở vị trí 4: thiếu mã chỉ tiêu hoặc con số.",
        ),
        ("1", "2", "left", "Quy tắc phải dùng ít nhất một chỉ tiêu."),
    ],
)
def test_a_bad_rule_is_refused_on_its_side_and_nothing_changes(
    admin, festival, left, right, field, message
):
    # given
    before = (ValidationRule.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(ValidationError) as exc:
        rule_create(actor=admin, form=festival, left=left, operator="<=", right=right, message="M")
    # then
    assert exc.value.message_dict == {field: [message]}
    assert (ValidationRule.objects.count(), AuditEvent.objects.count()) == before


def test_a_rule_may_only_use_indicators_of_its_form(admin, make_form):
    form = make_form()
    with pytest.raises(ValidationError) as exc:
        rule_create(actor=admin, form=form, left="SEMINARS", operator=">=", right="0", message="M")
    assert exc.value.message_dict == {
        "left": ['Chỉ tiêu "SEMINARS" ở vị trí 1 không có trên biểu mẫu QUARTERLY_SECURITY.']
    }


def test_a_rule_cannot_calculate_with_a_text_indicator(admin, festival, indicator):
    Indicator.objects.filter(code="SEMINARS").update(value_type="text")
    with pytest.raises(ValidationError) as exc:
        rule_create(
            actor=admin, form=festival, left="0", operator="<=", right="2 * SEMINARS", message="M"
        )
    assert exc.value.message_dict == {
        "right": ['Chỉ tiêu "SEMINARS" ở vị trí 5 chứa văn bản, không dùng để tính toán được.']
    }


def test_update_and_delete_a_rule(admin, festival):
    rule = festival.rules.get(left="SECURITY_TEAM_MEMBERS")
    # when
    rule_update(actor=admin, rule=rule, severity="warning", right="SECURITY_TEAMS * 3")
    rule_delete(actor=admin, rule=rule)
    # then
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()
    assert [action for action, _ in events_for(rule)] == ["update", "delete"]
    assert events_for(rule)[0][1] == {
        "right": ["SECURITY_TEAMS", "SECURITY_TEAMS * 3"],
        "severity": ["error", "warning"],
    }


def test_outlier_threshold_is_stored_per_form(admin, festival):
    assert festival.outlier_threshold == Decimal("3.5")
    form_update(actor=admin, form=festival, outlier_threshold=Decimal("3"))
    festival.refresh_from_db()
    assert festival.outlier_threshold == Decimal("3.00")


# Ownership -----------------------------------------------------------------------------------


@pytest.fixture
def province_admin(make_user, quang_ngai):
    return make_user("qn_quantri", role=Role.ADMIN, units=(quang_ngai,))


@pytest.fixture
def other_province(quang_ngai):
    from phongtrao.units.models import Unit, UnitKind

    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    return provinces.exclude(pk=quang_ngai.pk).order_by("code").first()


def test_a_province_administrator_adds_an_indicator_of_their_province(province_admin, quang_ngai):
    # when
    created = indicator_create(actor=province_admin, code="QN_DRONES", name="Số flycam")
    # then it belongs to the province, and so does its audit event
    assert created.owner == quang_ngai
    event = AuditEvent.objects.get(content_type__model="indicator", object_id=str(created.pk))
    assert (event.unit_id, event.unit_path) == (quang_ngai.pk, quang_ngai.path)


def test_a_province_administrator_cannot_edit_a_national_indicator(province_admin, indicator):
    # given a national indicator of the public contract
    seminars = indicator("SEMINARS")
    events = AuditEvent.objects.count()
    # when the province administrator renames it
    with pytest.raises(AppError) as error:
        indicator_update(actor=province_admin, indicator=seminars, name="Tên tỉnh")
    # then it is forbidden and nothing changed
    assert error.value.code == "forbidden"
    seminars.refresh_from_db()
    assert (seminars.name, AuditEvent.objects.count()) == ("Số buổi tọa đàm, hội thảo", events)


def test_a_province_administrator_cannot_edit_another_provinces_indicator(
    province_admin, other_province
):
    # given an indicator of another province
    theirs = Indicator.objects.create(code="OTHER_X", name="Của tỉnh khác", owner=other_province)
    events = AuditEvent.objects.count()
    # when the Quảng Ngãi administrator changes it
    with pytest.raises(AppError) as error:
        indicator_update(actor=province_admin, indicator=theirs, name="Đổi")
    # then it is forbidden and nothing changed
    assert error.value.code == "forbidden"
    theirs.refresh_from_db()
    assert theirs.name == "Của tỉnh khác"
    assert AuditEvent.objects.count() == events


def test_a_province_form_takes_no_other_provinces_indicator(province_admin, other_province):
    # given a Quảng Ngãi form with a section, and another province's indicator
    form = form_create(
        actor=province_admin, code="QN_FORM", name="Biểu tỉnh", period_type="yearly",
        unit_kinds=["commune"], due_days_after_end=10,
    )  # fmt: skip
    section = form_sections_save(
        actor=province_admin, form=form, rows=[SectionRow(id=None, name="Một", order=1)]
    )[0]
    theirs = Indicator.objects.create(code="OTHER_X", name="Của tỉnh khác", owner=other_province)
    # when it is put on the form
    with pytest.raises(AppError) as error:
        form_items_save(
            actor=province_admin, form=form,
            rows=[ItemRow(id=None, section_id=section.pk, indicator_id=theirs.pk, order=1)],
        )  # fmt: skip
    # then that indicator is not found for this form, which stays empty
    assert error.value.code == "not_found"
    assert ReportFormItem.objects.filter(form=form).count() == 0


def test_the_national_administrator_changes_a_national_indicator(make_user, indicator):
    # given the national administrator
    national = make_user("tw_quantri", role=Role.NATIONAL_ADMIN)
    # when
    updated = indicator_update(actor=national, indicator=indicator("SEMINARS"), name="Mới")
    # then
    assert (updated.name, updated.owner_id) == ("Mới", None)


def test_the_national_administrator_changes_a_provinces_indicator(make_user, quang_ngai):
    # given an indicator of Quảng Ngãi
    ours = Indicator.objects.create(code="QN_X", name="Của tỉnh", owner=quang_ngai)
    national = make_user("tw_quantri", role=Role.NATIONAL_ADMIN)
    # when
    updated = indicator_update(actor=national, indicator=ours, name="Mới")
    # then
    assert (updated.name, updated.owner) == ("Mới", quang_ngai)


def test_a_commune_administrator_deletes_no_national_rule(make_user, bo_y, festival):
    # given a rule of the national festival form
    rule = ValidationRule.objects.create(
        form=festival, left="FESTIVAL_EVENTS", operator=">=", right="0", message="Không âm"
    )
    commune_admin = make_user("boy_quantri", role=Role.ADMIN, units=(bo_y,))
    events = AuditEvent.objects.count()
    # when the commune administrator deletes it
    with pytest.raises(AppError) as error:
        rule_delete(actor=commune_admin, rule=rule)
    # then it is forbidden, the rule is still there and nothing was audited
    assert error.value.code == "forbidden"
    assert ValidationRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.count() == events
