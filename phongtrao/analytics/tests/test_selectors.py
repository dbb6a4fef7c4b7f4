import pytest

from phongtrao.analytics.selectors import coverage, coverages
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import ReportForm, ReportFormUnitKind
from phongtrao.reporting.models import Submission, SubmissionStatus
from phongtrao.reporting.selectors import Boundaries
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


@pytest.mark.parametrize("boundaries", list(Boundaries))
def test_coverages_of_several_forms_and_periods_are_each_the_coverage(
    plei_kan, bo_y, make_area, boundaries, django_assert_num_queries
):
    # given the festival form and a quarterly one, reports of Plei Kần (2019, 2020) and of a
    # village of Bờ Y (2026)
    festival = ReportForm.objects.get(code="FESTIVAL")
    quarterly = ReportForm.objects.create(
        code="TEST_Q", name="Biểu quý", period_type="quarterly", due_days_after_end=15
    )
    ReportFormUnitKind.objects.create(form=quarterly, kind=UnitKind.COMMUNE)
    village = make_area(bo_y, "Thôn A")
    for form, unit, period, status in (
        (festival, plei_kan, "2019", SubmissionStatus.APPROVED),
        (festival, plei_kan, "2020", SubmissionStatus.SUBMITTED),
        (festival, village, "2026", SubmissionStatus.SUBMITTED),
        (quarterly, plei_kan, "2019Q3", SubmissionStatus.SUBMITTED),
    ):
        Submission.objects.create(form=form, unit=unit, period=period, status=status)
    pairs = [(festival, "2019"), (festival, "2020"), (festival, "2026"), (quarterly, "2019Q3")]
    # when they are counted at once for Bờ Y, and one by one
    with django_assert_num_queries(4 if boundaries == Boundaries.CURRENT else 3):
        together = coverages(pairs=pairs, unit=bo_y, boundaries=boundaries)
    apart = [
        coverage(form=form, unit=bo_y, period=period, boundaries=boundaries)
        for form, period in pairs
    ]
    # then each is the same; Bờ Y counts Plei Kần's reports in today's boundaries only
    assert together == apart
    covered = [c.covered for c in together]
    assert covered == ([1, 1, 1, 1] if boundaries == Boundaries.CURRENT else [0, 0, 1, 0])


def test_coverage_of_a_form_no_unit_kind_reports_expects_nobody(
    plei_kan, django_assert_num_queries
):
    # given the festival form reported by no kind of unit, and a report of Plei Kần anyway
    form = ReportForm.objects.get(code="FESTIVAL")
    ReportFormUnitKind.objects.filter(form=form).delete()
    Submission.objects.create(
        form=form, unit=plei_kan, period="2019", status=SubmissionStatus.APPROVED
    )
    # when its coverage is counted (the form's unit kinds only: nothing else to ask)
    with django_assert_num_queries(1):
        found = coverage(form=form, unit=plei_kan, period="2019")
    # then
    assert (found.covered, found.expected) == (0, 0)
