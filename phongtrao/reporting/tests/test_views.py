import pytest
from django.urls import reverse

from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def _entry(form, unit, period="2024"):
    return reverse("reporting:entry", args=[form.code, unit.pk, period])


def _cell(form, unit, code, period="2024"):
    return reverse("reporting:cell", args=[form.code, unit.pk, period, code])


def test_the_entry_screen_lists_the_forms_indicators(client, form, bo_y, clerk):
    client.force_login(clerk)
    response = client.get(_entry(form, bo_y))
    assert response.status_code == 200
    cells = [c.indicator.code for s in response.context["sections"] for c in s.cells]
    assert cells == [
        "SCHEMES_MAINTAINED", "SCHEMES_REPLICATED", "SCHEMES_NEW", "FESTIVAL_EVENTS",
        "FESTIVAL_PARTICIPANTS", "EXPLOSIVES_SURRENDERED_KG",
    ]  # fmt: skip


def test_the_entry_screen_query_count_does_not_grow_with_values(
    client, form, bo_y, clerk, indicators
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_entry(form, bo_y)).status_code == 200
        return len(captured)

    client.force_login(clerk)
    queries()  # warms Django's content-type cache, which would count once
    # given one value, then values in the period and the five years before it
    DataValue.objects.create(
        indicator=indicators["SCHEMES_NEW"], unit=bo_y, period="2024", value="1", number=1
    )
    few = queries()
    for year in range(2019, 2024):
        for n, indicator in enumerate(indicators.values()):
            DataValue.objects.create(
                indicator=indicator, unit=bo_y, period=str(year), value=str(n), number=n
            )
    # then the screen asks the database as often either way
    assert queries() == few


def test_saving_a_cell_answers_with_the_saved_cell(client, form, bo_y, clerk):
    client.force_login(clerk)
    response = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "1.240", "version": ""})
    assert response.status_code == 200
    assert 'value="1.240"' in response.content.decode()
    assert "Đã lưu" in response.content.decode()
    assert DataValue.objects.get(unit=bo_y).value == "1240"


def test_a_bad_value_shows_a_vietnamese_error_and_keeps_what_was_typed(client, form, bo_y, clerk):
    client.force_login(clerk)
    response = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "mười", "version": ""})
    html = response.content.decode()
    assert "“mười” không phải là số." in html
    assert 'value="mười"' in html
    assert DataValue.objects.count() == 0


def test_a_conflicting_save_shows_both_values(client, form, bo_y, clerk, other_clerk):
    # given the other clerk saved 7 in the cell this clerk opened empty
    client.force_login(other_clerk)
    client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "7", "version": ""})
    # when this clerk saves 9
    client.force_login(clerk)
    html = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "9", "version": ""}).content
    html = html.decode()
    # then both values are on screen and 7 is kept
    assert "boy_clerk2" in html and 'value="9"' in html
    assert DataValue.objects.get(unit=bo_y).value == "7"


def test_a_commune_user_cannot_open_another_communes_screen(
    client, form, bo_y, make_user, cam_thanh
):
    outsider = make_user("camthanh_clerk", units=(cam_thanh,))
    client.force_login(outsider)
    assert client.get(_entry(form, bo_y)).status_code == 404
    assert client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "3"}).status_code == 404
    assert DataValue.objects.count() == 0


def test_submit_then_approve_through_the_screen(client, form, bo_y, clerk, province_approver):
    client.force_login(clerk)
    client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "2", "version": ""})
    action = reverse("reporting:action", args=[form.code, bo_y.pk, "2024"])
    client.post(action, {"action": "submit", "version": 1})
    client.force_login(province_approver)
    client.post(action, {"action": "approve", "version": 2})
    submission = Submission.objects.get(unit=bo_y)
    assert submission.status == SubmissionStatus.APPROVED


def test_an_approver_reopens_a_closed_period_from_the_screen(
    client, form, bo_y, clerk, province_approver
):
    from django.utils import timezone

    # given a form whose entry closed the day after 2024 ended
    form.lock_days_after_end = 1
    form.save()
    client.force_login(clerk)
    closed = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "2", "version": ""})
    assert "đã khóa nhập liệu từ ngày 01/01/2025" in closed.content.decode()
    # when the province approver reopens it until today
    client.force_login(province_approver)
    action = reverse("reporting:action", args=[form.code, bo_y.pk, "2024"])
    today = timezone.localdate().isoformat()
    client.post(action, {"action": "reopen", "version": 1, "until": today})
    # then the clerk can save again
    client.force_login(clerk)
    client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "2", "version": ""})
    assert DataValue.objects.get(unit=bo_y).value == "2"


def test_a_saved_figure_far_from_the_previous_years_is_flagged_at_once(
    client, form, bo_y, clerk, indicators
):
    # given five years of about ten new schemes
    for year, number in zip(range(2019, 2024), (10, 11, 9, 10, 12), strict=True):
        DataValue.objects.create(
            indicator=indicators["SCHEMES_NEW"], unit=bo_y, period=str(year),
            value=str(number), number=number,
        )  # fmt: skip
    client.force_login(clerk)
    # when the clerk types 400 for 2024
    response = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "400", "version": ""})
    # then the saved cell comes back with the warning, not only after a reload
    html = response.content.decode()
    assert "Đã lưu" in html
    assert "Khác xa số liệu các năm trước của đơn vị; đề nghị kiểm tra lại." in html


def test_a_figure_above_the_plausible_bound_is_saved_with_a_warning(
    client, form, bo_y, clerk, indicators
):
    # given schemes bounded at 1.000 in the catalogue
    Indicator.objects.filter(code="SCHEMES_NEW").update(max_plausible=1000)
    client.force_login(clerk)
    # when the clerk types 2.147.483.648
    response = client.post(
        _cell(form, bo_y, "SCHEMES_NEW"), {"value": "2.147.483.648", "version": ""}
    )
    # then it is saved, and the warning names the bound
    html = response.content.decode()
    assert "Đã lưu" in html
    assert (
        "Vượt quá 1.000, giá trị lớn nhất hợp lý đặt trong danh mục chỉ tiêu; đề nghị kiểm tra lại."
        in html
    )
    assert DataValue.objects.get(unit=bo_y, indicator__code="SCHEMES_NEW").value == "2147483648"


def test_a_figure_within_the_plausible_bound_has_no_warning(client, form, bo_y, clerk, indicators):
    Indicator.objects.filter(code="SCHEMES_NEW").update(max_plausible=1000)
    client.force_login(clerk)
    response = client.post(_cell(form, bo_y, "SCHEMES_NEW"), {"value": "1.000", "version": ""})
    assert "giá trị lớn nhất hợp lý" not in response.content.decode()


def test_a_saved_figure_that_differs_from_the_registries_is_flagged_at_once(
    client, form, bo_y, clerk, make_area
):
    from datetime import date

    from phongtrao.registries.models import FestivalEvent

    # given two festival events of 2024 in the registries: Xã Bờ Y's own, and a village's
    # (the village's own, not the commune's)
    for unit, day in ((bo_y, date(2024, 8, 19)), (make_area(bo_y), date(2024, 8, 18))):
        FestivalEvent.objects.create(
            unit=unit, year=2024, held_on=day, venue="Nhà văn hóa", participants=100
        )
    client.force_login(clerk)
    # when the clerk types 2 for the commune
    response = client.post(_cell(form, bo_y, "FESTIVAL_EVENTS"), {"value": "2", "version": ""})
    # then the saved cell shows the registries' 1 (its own event) and the mismatch
    html = response.content.decode()
    assert "Theo sổ: <strong>1</strong> · khác số liệu đã nhập" in html
    assert DataValue.objects.get(unit=bo_y, indicator__code="FESTIVAL_EVENTS").value == "2"


def test_a_refused_figure_still_shows_the_registries_figure(client, form, bo_y, clerk, make_area):
    from datetime import date

    from phongtrao.registries.models import FestivalEvent

    # given one festival event in the registries
    FestivalEvent.objects.create(
        unit=bo_y, year=2024, held_on=date(2024, 8, 19), venue="Sân UBND", participants=100
    )
    client.force_login(clerk)
    # when the clerk types something that is not a number
    response = client.post(_cell(form, bo_y, "FESTIVAL_EVENTS"), {"value": "ba", "version": ""})
    # then the error and the registries' figure are both there, and nothing is stored
    html = response.content.decode()
    assert "“ba” không phải là số." in html
    assert "Theo sổ: <strong>1</strong>" in html
    assert DataValue.objects.count() == 0


def test_a_cell_of_a_unit_gone_by_the_period_is_refused(client, form, plei_kan, clerk):
    # given Thị trấn Plei Kần, which ended on 30/6/2025, within the clerk's scope through Bờ Y
    client.force_login(clerk)
    # when 777 is saved for it in 2026
    response = client.post(
        _cell(form, plei_kan, "SCHEMES_NEW", "2026"), {"value": "777", "version": ""}
    )
    # then the cell says why in Vietnamese, and nothing is written
    assert response.status_code == 200
    assert (
        "Thị trấn Plei Kần không còn tồn tại vào cuối kỳ 2026 (đã kết thúc ngày 30/06/2025): "
        "hãy nhập số liệu cho đơn vị kế thừa."
    ) in response.content.decode()
    assert (DataValue.objects.count(), Submission.objects.count()) == (0, 0)


def test_a_cell_of_a_period_to_come_is_refused(client, form, bo_y, clerk):
    # given the clerk of Bờ Y
    client.force_login(clerk)
    # when a value is saved for 2099
    response = client.post(_cell(form, bo_y, "SCHEMES_NEW", "2099"), {"value": "5", "version": ""})
    # then the cell says why in Vietnamese, and nothing is written
    assert response.status_code == 200
    assert (
        "Năm 2099 chưa bắt đầu: chỉ được nhập số liệu từ ngày 01/01/2099."
        in response.content.decode()
    )
    assert DataValue.objects.count() == 0
