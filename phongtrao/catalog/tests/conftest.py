from collections.abc import Callable

import pytest

from phongtrao.catalog.models import Indicator, ReportForm
from phongtrao.catalog.services import form_create


@pytest.fixture
def festival(db) -> ReportForm:
    return ReportForm.objects.get(code="FESTIVAL")


@pytest.fixture
def indicator(db) -> Callable[[str], Indicator]:
    return lambda code: Indicator.objects.get(code=code)


@pytest.fixture
def make_form(db) -> Callable[..., ReportForm]:
    def make(code: str = "QUARTERLY_SECURITY", **fields) -> ReportForm:
        defaults = {
            "name": "Báo cáo quý về an ninh, trật tự",
            "period_type": "quarterly",
            "unit_kinds": ["commune"],
            "due_days_after_end": 10,
        }
        return form_create(actor=None, code=code, **(defaults | fields))

    return make
