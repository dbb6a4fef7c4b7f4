import pytest

from phongtrao.catalog.models import ReportForm
from phongtrao.core.roles import Role
from phongtrao.notifications.services import ReportRef


@pytest.fixture
def report(bo_y) -> ReportRef:
    form = ReportForm.objects.get(code="FESTIVAL")
    return ReportRef(bo_y, form, "2025", f"/reporting/entry/FESTIVAL/{bo_y.pk}/2025/")


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_clerk", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def approver(make_user, quang_ngai):
    user = make_user("qn_approver", Role.APPROVER, (quang_ngai,))
    user.full_name = "Trần Thị Bình"
    user.save(update_fields=["full_name"])
    return user
