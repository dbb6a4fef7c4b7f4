"""The maintained totals: every way of writing a value keeps them equal to a full recount."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from phongtrao.analytics.rollup import unit_total
from phongtrao.analytics.services import totals_rebuild
from phongtrao.analytics.states import DataState
from phongtrao.analytics.totals import totals_differences
from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.core.roles import Role
from phongtrao.reporting.models import DataValue, SubmissionStatus, ValueState
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.workflow import (
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
)
from phongtrao.units.selectors import unit_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival(db) -> ReportForm:
    return ReportForm.objects.get(code="FESTIVAL")


def _total(code: str, unit, period: str = "2026", state=DataState.ALL) -> Decimal | None:
    indicator = Indicator.objects.get(code=code)
    return unit_total(indicator=indicator, unit=unit, period=period, state=state)


def test_a_saved_cell_is_in_every_ancestors_total_at_once(bo_y, quang_ngai, make_area, festival):
    # given a village of Bờ Y
    village = make_area(bo_y, "Thôn Một")
    indicator = Indicator.objects.get(code="FESTIVAL_EVENTS")
    # when the village saves a figure, then changes it
    saved = data_value_save(
        actor=None, form=festival, unit=village, period="2026", indicator=indicator,
        raw_value="3", expected_version=None,
    )  # fmt: skip
    first = (_total("FESTIVAL_EVENTS", bo_y), _total("FESTIVAL_EVENTS", quang_ngai))
    data_value_save(
        actor=None, form=festival, unit=village, period="2026", indicator=indicator,
        raw_value="5", expected_version=saved.version,
    )  # fmt: skip
    second = (_total("FESTIVAL_EVENTS", bo_y), _total("FESTIVAL_EVENTS", quang_ngai))
    # then the commune and the province have each figure as soon as it is saved
    assert (first, second) == ((Decimal(3), Decimal(3)), (Decimal(5), Decimal(5)))
    assert totals_differences() == []


def test_a_cleared_cell_leaves_every_total(bo_y, quang_ngai, make_area, festival):
    # given a saved figure
    village = make_area(bo_y, "Thôn Một")
    indicator = Indicator.objects.get(code="FESTIVAL_EVENTS")
    saved = data_value_save(
        actor=None, form=festival, unit=village, period="2026", indicator=indicator,
        raw_value="3", expected_version=None,
    )  # fmt: skip
    # when it is cleared
    data_value_save(
        actor=None, form=festival, unit=village, period="2026", indicator=indicator,
        raw_value="", expected_version=saved.version,
    )  # fmt: skip
    # then no total holds it any more, and nothing is left in the kept totals
    assert (_total("FESTIVAL_EVENTS", bo_y), _total("FESTIVAL_EVENTS", quang_ngai)) == (None, None)
    assert totals_differences() == []


def test_the_workflow_moves_a_reports_values_between_states(
    bo_y, quang_ngai, make_area, make_user, festival
):
    # given a village's draft report with a figure
    village = make_area(bo_y, "Thôn Một")
    indicator = Indicator.objects.get(code="FESTIVAL_EVENTS")
    data_value_save(
        actor=None, form=festival, unit=village, period="2026", indicator=indicator,
        raw_value="4", expected_version=None,
    )  # fmt: skip
    approver = make_user("duyet", Role.APPROVER, (bo_y,))
    report = submission_open(actor=None, form=festival, unit=village, period="2026")
    seen = []

    def look() -> None:
        seen.append(tuple(_total("FESTIVAL_EVENTS", quang_ngai, state=s) for s in DataState))

    # when it is sent, returned, sent again and approved
    look()
    report = submission_submit(
        actor=None, submission=report, expected_version=report.version, warning_comment="Đủ"
    )
    look()
    report = submission_return(
        actor=approver, submission=report, expected_version=report.version, reason="Thiếu"
    )
    look()
    report = submission_submit(
        actor=None, submission=report, expected_version=report.version, warning_comment="Đủ"
    )
    report = submission_approve(actor=approver, submission=report, expected_version=report.version)
    look()
    # then the province's total in each state (approved, submitted, all) follows the report
    four = Decimal(4)
    assert seen == [
        (None, None, four),
        (None, four, four),
        (None, None, four),
        (four, four, four),
    ]
    assert report.status == SubmissionStatus.APPROVED
    assert DataValue.objects.get(unit=village).state == ValueState.APPROVED
    assert totals_differences() == []


def test_an_import_is_in_the_totals_when_it_commits(bo_y, quang_ngai, festival, tmp_path):
    # given a file of two figures of Bờ Y, one of them changed by a second file
    first = tmp_path / "a.csv"
    first.write_text(
        "indicator,unit,period,value,comment\n"
        "FESTIVAL_EVENTS,23377,2026,7,\nFESTIVAL_PARTICIPANTS,23377,2026,900,\n",
        encoding="utf-8",
    )
    second = tmp_path / "b.csv"
    second.write_text(
        "indicator,unit,period,value,comment\nFESTIVAL_EVENTS,23377,2026,9,\n", encoding="utf-8"
    )
    # when both are imported
    values_import(path=first)
    values_import(path=second)
    # then the province's totals hold the figures as drafts, and agree with a recount
    assert (_total("FESTIVAL_EVENTS", quang_ngai), _total("FESTIVAL_PARTICIPANTS", quang_ngai)) == (
        Decimal(9), Decimal(900),
    )  # fmt: skip
    assert _total("FESTIVAL_EVENTS", quang_ngai, state=DataState.SUBMITTED) is None
    assert totals_differences() == []


def test_check_finds_a_wrong_total_and_rebuild_mends_it(bo_y, make_area, festival, capsys):
    from phongtrao.analytics.models import SubtreeTotal

    # given a total spoiled behind the triggers' back
    village = make_area(bo_y, "Thôn Một")
    data_value_save(
        actor=None, form=festival, unit=village, period="2026",
        indicator=Indicator.objects.get(code="FESTIVAL_EVENTS"), raw_value="3",
        expected_version=None,
    )  # fmt: skip
    SubtreeTotal.objects.filter(unit=bo_y).update(total=Decimal(30))
    # when checked, rebuilt and checked again
    with pytest.raises(Exception, match="^1 tổng số khác"):
        call_command("analytics", "check")
    assert capsys.readouterr().out == (
        f"Đơn vị {bo_y.pk}, chỉ tiêu {Indicator.objects.get(code='FESTIVAL_EVENTS').pk}, "
        "kỳ 2026, trạng thái draft: tổng đang giữ 1 giá trị, tổng 30, "
        "đếm lại được 1 giá trị, tổng 3\n"
    )
    rebuilt = totals_rebuild()
    call_command("analytics", "check")
    # then
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Mọi tổng số đều khớp với việc đếm lại các giá trị."
    )
    assert rebuilt == 2  # Bờ Y's and Quảng Ngãi's
    assert _total("FESTIVAL_EVENTS", bo_y) == Decimal(3)


def test_old_units_values_reach_the_new_province_in_current_boundaries(plei_kan):
    # given Plei Kần's approved figure of 2019
    DataValue.objects.create(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=plei_kan, period="2019",
        value="6", number=Decimal(6), state=ValueState.APPROVED,
    )  # fmt: skip
    kon_tum = unit_get(code="62", on=plei_kan.valid_to)
    quang_ngai = unit_get(code="51")
    # when read in both boundaries
    historical = _total("SCHEMES_NEW", kon_tum, "2019", DataState.APPROVED)
    from phongtrao.reporting.selectors import Boundaries

    current = unit_total(
        indicator=Indicator.objects.get(code="SCHEMES_NEW"), unit=quang_ngai, period="2019",
        boundaries=Boundaries.CURRENT, state=DataState.APPROVED,
    )  # fmt: skip
    # then Kon Tum had it in 2019, and today's Quảng Ngãi carries it
    assert (historical, current) == (Decimal(6), Decimal(6))
