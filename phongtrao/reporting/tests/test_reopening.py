"""An approver reopens a closed period for every unit of a subtree at once.

The festival form (seeded) closes entry 31 days after each year: 2019 closed on 31/01/2020.
In 2019 Thị trấn Plei Kần (23377) and Xã Đăk Xú (23389) were communes of Tỉnh Kon Tum, which
Quảng Ngãi took over in 2025: a Quảng Ngãi approver stands above them, not above Kon Tum.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phongtrao.catalog.models import Indicator
from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.reopening import period_reopen_subtree
from phongtrao.reporting.services import data_value_save
from phongtrao.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def until():
    return timezone.localdate() + timedelta(days=7)


def save(actor, form, unit, value: str = "5") -> DataValue | None:
    return data_value_save(
        actor=actor, form=form, unit=unit, period="2019",
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), raw_value=value,
        expected_version=None,
    )  # fmt: skip


def state() -> tuple:
    return (
        list(Submission.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def test_a_closed_2019_refuses_a_communes_save(festival, plei_kan, clerk):
    with pytest.raises(AppError) as caught:
        save(clerk, festival, plei_kan)
    assert caught.value.message == (
        "Năm 2019 đã khóa nhập liệu từ ngày 31/01/2020; đề nghị cán bộ phê duyệt mở lại."
    )


def test_a_bulk_reopen_of_a_provinces_2019_lets_every_commune_save(
    festival, kon_tum, plei_kan, dak_xu, clerk, province_approver, until
):
    # when the Quảng Ngãi approver reopens Kon Tum's 2019 at once
    reopened = period_reopen_subtree(
        actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
    )
    # then every commune of Kon Tum in 2019 has its report reopened (not Kon Tum's own,
    # which is not below Quảng Ngãi)
    communes = Unit.objects.filter(path__startswith=kon_tum.path, kind=UnitKind.COMMUNE)
    assert reopened == communes.count() == 102
    assert not Submission.objects.filter(unit=kon_tum).exists()
    # and two of its communes save their 2019 figures
    assert save(clerk, festival, plei_kan, "61").value == "61"
    assert save(clerk, festival, dak_xu, "12").value == "12"


def test_a_bulk_reopen_creates_draft_reports_reopened_until_the_day(
    festival, kon_tum, plei_kan, province_approver, until
):
    # when
    period_reopen_subtree(
        actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
    )
    # then
    report = Submission.objects.get(unit=plei_kan)
    assert (report.form, report.period, report.status, report.reopened_until) == (
        festival, "2019", SubmissionStatus.DRAFT, until
    )  # fmt: skip


def test_approved_reports_stay_approved(festival, kon_tum, plei_kan, province_approver, until):
    # given Plei Kần's approved 2019 report
    approved = Submission.objects.create(
        form=festival, unit=plei_kan, period="2019", status=SubmissionStatus.APPROVED
    )
    before = Submission.objects.filter(pk=approved.pk).values().get()
    # when
    period_reopen_subtree(
        actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
    )
    # then it is as it was
    assert Submission.objects.filter(pk=approved.pk).values().get() == before


def test_a_returned_report_is_reopened_in_place(
    festival, kon_tum, plei_kan, province_approver, until
):
    # given Plei Kần's 2019 report, returned
    returned = Submission.objects.create(
        form=festival, unit=plei_kan, period="2019", status=SubmissionStatus.RETURNED
    )
    # when
    period_reopen_subtree(
        actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
    )
    # then
    returned.refresh_from_db()
    assert (returned.status, returned.reopened_until, returned.version) == (
        SubmissionStatus.RETURNED, until, 2
    )  # fmt: skip


def test_a_bulk_reopen_is_audited_report_by_report_as_the_approvers(
    festival, kon_tum, plei_kan, province_approver, until
):
    # given
    before = AuditEvent.objects.count()
    # when
    reopened = period_reopen_subtree(
        actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
    )
    # then
    assert AuditEvent.objects.count() == before + reopened
    report = Submission.objects.get(unit=plei_kan)
    event = AuditEvent.objects.get(content_type__model="submission", object_id=str(report.pk))
    assert (event.actor, event.action, event.unit_id, event.changes["reopened_until"]) == (
        province_approver, "create", plei_kan.pk, [None, until.isoformat()]
    )  # fmt: skip


def test_a_bulk_reopen_costs_the_same_few_queries_for_a_province(
    festival, kon_tum, province_approver, until, django_assert_max_num_queries
):
    # 102 communes: a few statements per 500 reports, not a few per report
    with django_assert_max_num_queries(15):
        period_reopen_subtree(
            actor=province_approver, form=festival, unit=kon_tum, period="2019", until=until
        )


def test_a_commune_approver_cannot_reopen_its_own_report(festival, bo_y, make_user, until):
    # given Bờ Y's approver, and a closed year of Bờ Y's (no unit below it reports)
    approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    year = str(timezone.localdate().year - 1)
    before = state()
    # when
    with pytest.raises(AppError) as caught:
        period_reopen_subtree(actor=approver, form=festival, unit=bo_y, period=year, until=until)
    # then
    assert caught.value.message == (
        "Không có báo cáo nào ở đây mà bạn được mở lại: báo cáo do cấp trên của đơn vị mở lại."
    )
    assert state() == before


def test_only_an_approver_reopens(festival, kon_tum, make_user, quang_ngai, until):
    # given a province clerk, who enters data but does not approve
    clerk = make_user("qn_clerk", Role.DATA_ENTRY, (quang_ngai,))
    before = state()
    with pytest.raises(AppError) as caught:
        period_reopen_subtree(actor=clerk, form=festival, unit=kon_tum, period="2019", until=until)
    assert caught.value.message == "Chỉ cán bộ phê duyệt được làm việc này."
    assert state() == before


def test_a_reopening_must_end_today_or_later(festival, kon_tum, province_approver):
    before = state()
    with pytest.raises(AppError) as caught:
        period_reopen_subtree(
            actor=province_approver, form=festival, unit=kon_tum, period="2019",
            until=timezone.localdate() - timedelta(days=1),
        )  # fmt: skip
    assert caught.value.message == "Ngày hết hạn mở lại phải từ hôm nay trở đi."
    assert state() == before


def test_a_unit_out_of_scope_is_not_found(festival, make_user, cam_thanh, kon_tum, until):
    # given an approver of another commune
    outsider = make_user("ct_approver", Role.APPROVER, (cam_thanh,))
    before = state()
    with pytest.raises(AppError) as caught:
        period_reopen_subtree(
            actor=outsider, form=festival, unit=kon_tum, period="2019", until=until
        )
    assert (caught.value.code, state()) == ("not_found", before)


# --- the completeness page ---------------------------------------------------------------


def _page(client, form, unit, period="2019"):
    url = reverse("reporting:completeness")
    return client.get(url, {"form": form.code, "period": period, "unit": unit.pk})


def test_the_completeness_page_offers_an_approver_the_bulk_reopen(
    client, festival, kon_tum, province_approver
):
    client.force_login(province_approver)
    html = _page(client, festival, kon_tum).content.decode()
    assert 'id="reopen-subtree"' in html
    assert "Năm 2019 đã khóa nhập liệu từ ngày 31/01/2020." in html


def test_the_completeness_page_offers_nothing_to_a_clerk(client, festival, kon_tum, clerk):
    client.force_login(clerk)
    assert 'id="reopen-subtree"' not in _page(client, festival, kon_tum).content.decode()


def test_the_bulk_reopen_from_the_page_comes_back_with_what_it_did(
    client, festival, kon_tum, plei_kan, province_approver, until
):
    client.force_login(province_approver)
    # when
    response = client.post(
        reverse("reporting:reopen_subtree"),
        {"form": "FESTIVAL", "period": "2019", "unit": kon_tum.pk, "until": until.isoformat()},
        follow=True,
    )
    # then
    assert response.redirect_chain[-1][0] == (
        f"{reverse('reporting:completeness')}?form=FESTIVAL&period=2019&unit={kon_tum.pk}"
    )
    day = until.strftime("%d/%m/%Y")
    assert (
        f"Đã mở lại nhập liệu cho 102 báo cáo của Tỉnh Kon Tum, Năm 2019, đến hết ngày {day}."
        in response.content.decode()
    )
    assert Submission.objects.get(unit=plei_kan).reopened_until == until


def test_a_clerk_cannot_post_the_bulk_reopen(client, festival, kon_tum, clerk, until):
    client.force_login(clerk)
    before = state()
    response = client.post(
        reverse("reporting:reopen_subtree"),
        {"form": "FESTIVAL", "period": "2019", "unit": kon_tum.pk, "until": until.isoformat()},
    )
    assert (response.status_code, state()) == (403, before)
