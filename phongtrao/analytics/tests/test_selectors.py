import pytest

from phongtrao.analytics.selectors import coverage
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import ReportForm, ReportFormUnitKind
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.units.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "covered", "label"),
    [
        (DataState.APPROVED, 1, "Số liệu của 1/3 đơn vị có báo cáo đã được duyệt"),
        (DataState.SUBMITTED, 2, "Số liệu của 2/3 đơn vị đã gửi báo cáo"),
        (DataState.ALL, 3, "Số liệu của 3/3 đơn vị, kể cả bản nháp"),
    ],
)
def test_coverage_counts_the_units_whose_report_is_in_the_state(
    plei_kan, make_area, vietnamese, state, covered, label
):
    # given a form for communes and residential areas, Plei Kần and two of its villages
    form = ReportForm.objects.get(code="FESTIVAL")
    ReportFormUnitKind.objects.filter(form=form).delete()
    for kind in (UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
        ReportFormUnitKind.objects.create(form=form, kind=kind)
    units = [plei_kan, make_area(plei_kan, "Thôn A"), make_area(plei_kan, "Thôn B")]
    statuses = [SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED, SubmissionStatus.DRAFT]
    for unit, status in zip(units, statuses, strict=True):
        Submission.objects.create(form=form, unit=unit, period="2019", status=status)
    # when
    found = coverage(form=form, unit=plei_kan, period="2019", state=state)
    # then
    assert (found.covered, found.expected, found.label) == (covered, 3, label)
