"""The demo's reports: what `phongtrao demo` leaves for the completeness pages and their
browser test (moved from reporting's tests with the demo, which is above reporting)."""

import pytest
from django.utils import timezone

from phongtrao.catalog.models import ReportForm
from phongtrao.catalog.periods import period_parse
from phongtrao.core.roles import Role
from phongtrao.ops.demo import demo_create
from phongtrao.reporting.completeness import Figures, completeness_get
from phongtrao.reporting.models import Submission
from phongtrao.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_user):
    user = make_user("root", Role.ADMIN)
    user.is_superuser = True
    return user


def test_the_demo_fills_reports_once_and_leaves_bo_ys_own_report_of_this_year_empty(
    demo, superuser
):
    # given the demo (`demo`: run once for the tests that read it), run twice as administrators do
    count = Submission.objects.count()
    demo_create()
    # when Bờ Y's completeness of this year is asked
    form = ReportForm.objects.get(code="FESTIVAL")
    year = period_parse(str(timezone.localdate().year))
    bo_y = Unit.objects.get(code="23377", kind=UnitKind.COMMUNE, valid_to=None)
    report = completeness_get(form=form, period=year, unit=bo_y, user=superuser)
    # then nothing was added the second time, and the figures the browser test starts from hold
    assert Submission.objects.count() == count
    assert report.rows[0].figures == Figures(expected=1)
    # (on time or not depends on the day the demo ran, so it is not asserted)
    totals = report.totals
    assert (totals.expected, totals.submitted, totals.approved) == (8, 2, 1)
