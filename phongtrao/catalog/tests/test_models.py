import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from phongtrao.catalog.models import Indicator, ReportForm, ReportFormItem, ValidationRule

pytestmark = pytest.mark.django_db

# The catalogue of the design brief, copied here on its own so the migration is checked
# against the contract and not against itself.
DESIGN_CATALOGUE = """
FESTIVAL_EVENTS|Số điểm tổ chức Ngày hội|điểm
FESTIVAL_PARTICIPANTS|Số lượt người tham dự Ngày hội|lượt người
FESTIVAL_GIFTS_VND|Giá trị quà tặng, hỗ trợ|đồng
PLANS_ISSUED|Số kế hoạch, văn bản chỉ đạo ban hành|văn bản
OUTREACH_SESSIONS|Số buổi tuyên truyền|buổi
OUTREACH_AUDIENCE|Số lượt người được tuyên truyền|lượt người
NEWS_ITEMS|Số tin, bài đăng tải|tin, bài
BROADCASTS|Số chương trình phát thanh, truyền hình|chương trình
BANNERS_SLOGANS|Số băng rôn, khẩu hiệu, pa nô|cái
CULTURAL_SPORTS_EVENTS|Số hoạt động giao lưu văn hóa, văn nghệ, thể dục thể thao|hoạt động
SEMINARS|Số buổi tọa đàm, hội thảo|buổi
GRATITUDE_ACTIVITIES|Số hoạt động đền ơn đáp nghĩa|hoạt động
PACTS_SIGNED|Số giao ước thi đua được ký kết|bản
AWARDED_COLLECTIVES|Số tập thể được khen thưởng, biểu dương|tập thể
AWARDED_INDIVIDUALS|Số cá nhân được khen thưởng, biểu dương|cá nhân
SCHEMES_MAINTAINED|Số mô hình được củng cố, duy trì|mô hình
SCHEMES_REPLICATED|Số mô hình được nhân rộng|mô hình
SCHEMES_NEW|Số mô hình xây dựng mới|mô hình
SCHEMES_DAN_VAN_KHEO|Số mô hình "Dân vận khéo"|mô hình
SCHEME_POINTS|Số điểm áp dụng mô hình|điểm
WEAPONS_SURRENDERED|Số vũ khí được giao nộp|khẩu, chiếc
AMMUNITION_SURRENDERED|Số đạn các loại được giao nộp|viên
EXPLOSIVES_SURRENDERED_KG|Khối lượng vật liệu nổ được giao nộp|kg
SUPPORT_TOOLS_SURRENDERED|Số công cụ hỗ trợ được giao nộp|chiếc
OFFENDERS_SURRENDERED|Số đối tượng ra đầu thú|đối tượng
TIPS_RECEIVED|Số tin báo, tố giác tội phạm từ quần chúng|tin
COMMUNITY_EDUCATION_PERSONS|Số người vi phạm pháp luật được quản lý, giáo dục tại cộng đồng|người
REINTEGRATION_PERSONS|Số người chấp hành xong án phạt tù được hỗ trợ tái hòa nhập|người
FIELD_OFFICERS_DEPLOYED|Số lượt cán bộ, chiến sĩ hướng về cơ sở|lượt
SECURITY_TEAMS|Số Tổ bảo vệ an ninh, trật tự|tổ
SECURITY_TEAM_MEMBERS|Số thành viên Tổ bảo vệ an ninh, trật tự|người
SAFE_RESIDENTIAL_AREAS|Số khu dân cư đạt chuẩn "An toàn về ANTT"|khu
SAFE_COMMUNES|Số xã, phường, đặc khu đạt chuẩn "An toàn về ANTT"|đơn vị
SAFE_ORGANIZATIONS|Số cơ quan, doanh nghiệp, cơ sở giáo dục đạt chuẩn "An toàn về ANTT"|đơn vị
"""


def design_rows() -> set[tuple[str, str, str]]:
    return {tuple(line.split("|")) for line in DESIGN_CATALOGUE.strip().splitlines()}


def migration(name: str):
    return importlib.import_module(f"phongtrao.catalog.migrations.{name}")


def test_the_migration_ships_exactly_the_34_codes_of_the_design():
    # when
    shipped = set(Indicator.objects.values_list("code", "name", "unit_of_measure"))
    # then
    assert len(shipped) == 34
    assert shipped == design_rows()


def test_shipped_indicators_are_active_non_negative_sums_with_english_names():
    rows = Indicator.objects.values_list("aggregation", "allow_negative", "is_active")
    assert set(rows) == {("sum", False, True)}
    assert Indicator.objects.filter(name_en="").count() == 0


def test_only_explosives_are_decimal_and_gifts_are_whole_dong():
    decimals = list(Indicator.objects.filter(value_type="decimal").values_list("code", flat=True))
    assert decimals == ["EXPLOSIVES_SURRENDERED_KG"]
    assert Indicator.objects.get(code="FESTIVAL_GIFTS_VND").value_type == "whole"


def test_shipped_indicators_are_found_without_diacritics():
    assert Indicator.objects.get(code="SCHEMES_DAN_VAN_KHEO").search_key == (
        "schemes dan van kheo so mo hinh dan van kheo skilful mass mobilisation models"
    )


def test_running_the_indicator_migration_again_changes_nothing():
    # given an administrator has edited a shipped indicator
    Indicator.objects.filter(code="SEMINARS").update(name="Số buổi hội thảo")
    # when the migration runs again
    migration("0002_indicators").add_indicators(apps, None)
    # then nothing is added and the edit stays
    assert Indicator.objects.count() == 34
    assert Indicator.objects.get(code="SEMINARS").name == "Số buổi hội thảo"


def test_the_migrations_reverse_cleanly():
    # when both data migrations are reversed, newest first
    migration("0003_festival_form").remove_festival_form(apps, None)
    migration("0002_indicators").remove_indicators(apps, None)
    # then the catalogue is empty, and running them forward restores it
    assert (Indicator.objects.count(), ReportForm.objects.count()) == (0, 0)
    migration("0002_indicators").add_indicators(apps, None)
    migration("0003_festival_form").add_festival_form(apps, None)
    assert (Indicator.objects.count(), ReportFormItem.objects.count()) == (34, 34)


def test_the_festival_form_holds_every_indicator_once(festival):
    codes = list(
        ReportFormItem.objects.filter(form=festival).values_list("indicator__code", flat=True)
    )
    assert sorted(codes) == sorted(row[0] for row in design_rows())


def test_the_festival_form_sections_in_order(festival):
    sections = [
        (s.name, [i.indicator.code for i in s.items.order_by("order")])
        for s in festival.sections.order_by("order")
    ]
    assert [name for name, _ in sections] == [
        "Công tác chỉ đạo",
        "Tuyên truyền",
        "Tổ chức Ngày hội",
        "Giao ước thi đua và khen thưởng",
        "Xây dựng mô hình",
        "Kết quả vận động quần chúng",
        "Lực lượng và phong trào",
        'Đạt chuẩn "An toàn về ANTT"',
    ]
    assert sections[4][1] == [
        "SCHEMES_MAINTAINED",
        "SCHEMES_REPLICATED",
        "SCHEMES_NEW",
        "SCHEMES_DAN_VAN_KHEO",
        "SCHEME_POINTS",
    ]


def test_the_festival_form_settings(festival):
    assert festival.name == "Báo cáo kết quả tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc"
    assert (festival.period_type, festival.due_month, festival.due_day) == ("yearly", 8, 31)
    assert festival.due_days_after_end is None
    assert sorted(festival.unit_kinds.values_list("kind", flat=True)) == [
        "agency",
        "commune",
        "enterprise",
        "province",
        "residential_area",
        "school",
    ]


def test_the_festival_form_ships_its_rules(festival):
    rules = ValidationRule.objects.filter(form=festival).order_by("id")
    assert [(str(r), r.severity) for r in rules] == [
        ("SCHEMES_REPLICATED <= SCHEMES_MAINTAINED + SCHEMES_NEW", "error"),
        ("SECURITY_TEAM_MEMBERS >= SECURITY_TEAMS", "error"),
        ("FESTIVAL_PARTICIPANTS >= FESTIVAL_EVENTS", "warning"),
        ("OUTREACH_AUDIENCE >= OUTREACH_SESSIONS", "warning"),
    ]


@pytest.mark.parametrize("code", ["festival", "1ABC", "MÔ_HÌNH", "A-B", "_A"])
def test_an_indicator_code_must_be_capitals_digits_and_underscores(code):
    indicator = Indicator(code=code, name="Thử", search_key="thu")
    with pytest.raises(ValidationError) as exc:
        indicator.full_clean()
    assert exc.value.message_dict["code"] == [
        "Dùng chữ in hoa không dấu, chữ số và dấu _, bắt đầu bằng một chữ cái."
    ]


def test_a_fixed_due_day_is_only_for_yearly_forms():
    form = ReportForm(code="Q", name="Quý", period_type="quarterly", due_month=8, due_day=31)
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert exc.value.message_dict == {
        "due_month": ["Hạn nộp vào một ngày, tháng cố định chỉ dùng cho biểu mẫu báo cáo năm."]
    }


def test_a_form_needs_exactly_one_due_rule():
    form = ReportForm(code="Y", name="Năm", period_type="yearly")
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert exc.value.message_dict == {
        "due_days_after_end": ["Hãy nhập số ngày sau kỳ báo cáo hoặc một ngày, tháng cố định."]
    }


def test_the_due_day_must_exist_in_its_month():
    form = ReportForm(code="Y", name="Năm", period_type="yearly", due_month=2, due_day=30)
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert exc.value.message_dict == {"due_day": ["Ngày này không có trong tháng đó."]}


def test_first_and_last_periods_must_match_the_type_and_order():
    form = ReportForm(
        code="Y", name="Năm", period_type="yearly", due_days_after_end=5,
        first_period="2020", last_period="2019Q1",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert exc.value.message_dict == {
        "last_period": ["Kỳ báo cáo không cùng loại kỳ của biểu mẫu."]
    }
    form.last_period = "2019"
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert exc.value.message_dict == {"last_period": ["Kỳ cuối ở trước kỳ đầu."]}


@pytest.mark.parametrize(
    ("bound", "number", "implausible"),
    [(Decimal(500), Decimal(501), True), (Decimal(500), Decimal(500), False),
     (Decimal(500), None, False), (None, Decimal(10**12), False)],
)  # fmt: skip
def test_only_a_number_above_the_plausible_bound_is_implausible(bound, number, implausible):
    # given an indicator with (or without) a plausible bound / when a number is weighed
    # then it is implausible only strictly above the bound
    assert Indicator(max_plausible=bound).is_implausible(number) is implausible
