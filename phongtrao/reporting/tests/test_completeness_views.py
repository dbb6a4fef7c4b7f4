from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from phongtrao.core.roles import Role
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.units.services import unit_create

pytestmark = pytest.mark.django_db

URL = reverse("reporting:completeness")
ON_TIME = datetime(2025, 8, 1, 3, tzinfo=UTC)


@pytest.fixture
def viewer(make_user, bo_y):
    return make_user("boy_viewer", Role.VIEWER, (bo_y,))


def _areas(bo_y, count: int, start: int = 1):
    return [
        unit_create(
            actor=None,
            parent=bo_y,
            kind="residential_area",
            name=f"Thôn {n:03d}",
            contact_name="Rơ Châm Hyơk",
            contact_phone="0260 3 123 456",
        )  # fmt: skip
        for n in range(start, start + count)
    ]


def _submit(form, unit, status=SubmissionStatus.SUBMITTED, period="2025") -> None:
    Submission.objects.create(
        form=form, unit=unit, period=period, status=status, submitted_at=ON_TIME
    )


def _get(client, form, unit, period="2025", **extra):
    return client.get(URL, {"form": form.code, "period": period, "unit": unit.pk, **extra})


def test_the_page_shows_totals_with_vietnamese_percentages(client, form, bo_y, viewer):
    # given Bờ Y and 6 areas expected, the commune and 5 areas submitted, 2 of them approved
    areas = _areas(bo_y, 6)
    for unit in [bo_y, *areas[:3]]:
        _submit(form, unit)
    for unit in areas[3:5]:
        _submit(form, unit, SubmissionStatus.APPROVED)
    client.force_login(viewer)
    # when
    response = _get(client, form, bo_y)
    # then
    totals = response.context["totals"]
    assert (totals.expected, totals.submitted, totals.submitted_pct) == ("7", "6", "85,7%")
    assert (totals.approved, totals.approved_pct) == ("2", "28,6%")
    html = response.content.decode()
    assert (
        '<strong data-figure="submitted">6</strong> <span data-figure="submitted-pct">85,7%' in html
    )


def test_the_late_list_gives_contact_and_links_to_the_entry_screen(client, form, bo_y, viewer):
    # given an area that has not submitted 2025, after its due date 31/08/2025
    (area,) = _areas(bo_y, 1)
    _submit(form, bo_y)
    client.force_login(viewer)
    # when
    html = _get(client, form, bo_y).content.decode()
    # then it is listed as late with its contact, linking to its 2025 entry screen
    entry = reverse("reporting:entry", args=[form.code, area.pk, "2025"])
    assert f'<a href="{entry}">Thôn 001</a>' in html
    assert "Rơ Châm Hyơk" in html and 'href="tel:02603123456"' in html
    assert "Trễ hạn" in html and "31/08/2025" in html


def test_before_the_due_date_missing_units_are_not_yet_late(client, form, bo_y, viewer):
    # given next year's period, due on 31/8 of a year still to come
    next_year = str(timezone.localdate().year + 1)
    client.force_login(viewer)
    # when
    html = _get(client, form, bo_y, period=next_year).content.decode()
    # then the commune is listed as not submitted, not late
    assert "Chưa gửi" in html and "Trễ hạn" not in html


def test_the_late_list_shows_fifty_units_a_page(client, form, bo_y, viewer):
    # given 51 areas and the commune, none submitted
    _areas(bo_y, 51)
    client.force_login(viewer)
    # when the two pages are read
    first = _get(client, form, bo_y).context["late_page"]
    second = _get(client, form, bo_y, page=2).context["late_page"]
    # then 50 then 2
    assert (len(first.object_list), len(second.object_list), first.paginator.count) == (50, 2, 52)


def test_query_count_does_not_grow_with_the_number_of_units(
    client, form, bo_y, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    # given 3 areas, 2 of them submitted
    areas = _areas(bo_y, 3)
    _submit(form, areas[0])
    _submit(form, areas[1], SubmissionStatus.APPROVED)
    with django_assert_num_queries(13):
        assert _get(client, form, bo_y).status_code == 200
    # when 40 more areas, 20 of them submitted, are added
    for area in _areas(bo_y, 40, start=10)[:20]:
        _submit(form, area)
    # then the page costs exactly as many queries
    with django_assert_num_queries(13):
        assert _get(client, form, bo_y).context["totals"].expected == "44"


def test_a_unit_outside_the_users_scope_shows_nothing_of_it(
    client, form, bo_y, cam_thanh, make_user
):
    # given a Cẩm Thành viewer / when they ask for Bờ Y
    client.force_login(make_user("ct_viewer", Role.VIEWER, (cam_thanh,)))
    response = _get(client, form, bo_y)
    # then the filter refuses the unit and no figures are shown
    assert response.status_code == 200
    assert "report" not in response.context
    assert response.context["filters"].errors["unit"]
    assert "Xã Bờ Y" not in response.content.decode()


def test_opened_from_the_menu_it_shows_the_users_unit_and_this_year(client, form, bo_y, viewer):
    # given only the test form exists in use besides the shipped festival form
    client.force_login(viewer)
    # when the page is opened without filters
    report = client.get(URL).context["report"]
    # then it shows the user's commune for the current year
    assert (report.unit, report.period.id) == (bo_y, str(timezone.localdate().year))


def test_a_province_row_links_to_the_communes_own_completeness(
    client, form, quang_ngai, bo_y, make_user
):
    # given a province approver
    client.force_login(make_user("qn_approver", Role.APPROVER, (quang_ngai,)))
    # when the province's page is shown
    html = _get(client, form, quang_ngai).content.decode()
    # then Bờ Y's row offers its own page
    assert f'href="?form={form.code}&amp;period=2025&amp;unit={bo_y.pk}"' in html


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, form, bo_y):
    response = _get(client, form, bo_y)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


APPROVE_MANY = reverse("reporting:approve_many")


def _boxes(response) -> list[str]:
    """The units whose report the page lets the user tick, by name."""
    html = response.content.decode()
    return sorted(
        row.unit.name
        for row, _shown, submission_id in response.context["rows"]
        if submission_id and f'value="{submission_id}" form="approve-many"' in html
    )


def test_an_approver_may_tick_only_sent_reports_below_their_unit(client, form, bo_y, make_user):
    # given Bờ Y's approver, Bờ Y's own report and three areas': sent, approved, draft
    areas = _areas(bo_y, 3)
    _submit(form, bo_y)
    _submit(form, areas[0])
    _submit(form, areas[1], SubmissionStatus.APPROVED)
    _submit(form, areas[2], SubmissionStatus.DRAFT)
    client.force_login(make_user("boy_approver", Role.APPROVER, (bo_y,)))
    # when they open Bờ Y's completeness
    response = _get(client, form, bo_y)
    # then only the sent area report can be ticked: not Bờ Y's own, nor the others
    assert _boxes(response) == ["Thôn 001"]
    assert "Duyệt các báo cáo đã chọn" in response.content.decode()


def test_a_viewer_is_offered_no_approval(client, form, bo_y, viewer):
    _submit(form, _areas(bo_y, 1)[0])
    client.force_login(viewer)
    response = _get(client, form, bo_y)
    assert (response.context["approvable"], _boxes(response)) == (False, [])
    assert "Duyệt các báo cáo đã chọn" not in response.content.decode()


def test_an_approvers_page_costs_the_same_queries_for_three_units_or_forty_three(
    client, form, bo_y, province_approver, django_assert_num_queries
):
    client.force_login(province_approver)
    # given 3 areas, 2 of them sent
    areas = _areas(bo_y, 3)
    _submit(form, areas[0])
    _submit(form, areas[1])
    with django_assert_num_queries(16):
        assert len(_boxes(_get(client, form, bo_y))) == 2
    # when 40 more areas, 20 of them sent, are added
    for area in _areas(bo_y, 40, start=10)[:20]:
        _submit(form, area)
    # then the page, its check boxes included, costs exactly as many queries
    with django_assert_num_queries(16):
        assert len(_boxes(_get(client, form, bo_y))) == 22


def test_the_ticked_reports_are_approved_and_the_page_says_which(
    client, form, bo_y, province_approver
):
    # given two sent area reports
    areas = _areas(bo_y, 2)
    for area in areas:
        _submit(form, area)
    ids = list(Submission.objects.order_by("unit__name").values_list("pk", flat=True))
    client.force_login(province_approver)
    # when the province approver ticks both and approves with a comment
    response = client.post(
        APPROVE_MANY,
        {"submission": ids, "comment": "Đạt", "form": form.code, "period": "2025",
         "unit": bo_y.pk},
        follow=True,
    )  # fmt: skip
    # then both are approved, and the page comes back saying so
    assert list(Submission.objects.order_by("unit__name").values_list("status", flat=True)) == [
        "approved", "approved",
    ]  # fmt: skip
    assert [str(m) for m in response.context["messages"]] == [
        "Đã duyệt 2 báo cáo: Thôn 001, Thôn 002."
    ]
    assert response.context["report"].unit == bo_y


def test_a_refused_selection_is_said_on_the_page_and_nothing_is_approved(
    client, form, bo_y, province_approver
):
    # given one sent area report and one draft
    areas = _areas(bo_y, 2)
    _submit(form, areas[0])
    _submit(form, areas[1], SubmissionStatus.DRAFT)
    ids = list(Submission.objects.order_by("unit__name").values_list("pk", flat=True))
    client.force_login(province_approver)
    # when both are approved together
    response = client.post(
        APPROVE_MANY,
        {"submission": ids, "form": form.code, "period": "2025", "unit": bo_y.pk},
        follow=True,
    )
    # then the draft's unit is named, and the sent one is still only sent
    assert [str(m) for m in response.context["messages"]] == [
        "Chưa duyệt báo cáo nào: các báo cáo sau không duyệt được. "
        "Thôn 002: Chỉ phê duyệt được báo cáo đã gửi."
    ]
    assert list(Submission.objects.order_by("unit__name").values_list("status", flat=True)) == [
        "submitted", "draft",
    ]  # fmt: skip
