"""A report document's row in the audit reads as people say it, not as it is stored."""

import pytest
from django.contrib.contenttypes.models import ContentType

from phongtrao.accounts.audit_selectors import ChangeRow, audit_change_rows
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.documents.models import ReportJob

pytestmark = pytest.mark.django_db


def test_the_boundaries_of_a_report_are_shown_in_words(bo_y):
    # given a report asked in today's units (once shown "Địa giới: — → current")
    event = AuditEvent(
        action=AuditAction.CREATE, content_type=ContentType.objects.get_for_model(ReportJob),
        object_id="1", unit=bo_y, unit_path=bo_y.path,
        changes={"boundaries": [None, "current"], "file": [None, "documents/reports/2026/a.docx"]},
    )  # fmt: skip
    # when it is shown
    rows = audit_change_rows(event)
    # then the boundaries read as the form offers them, and where the file lies is not shown
    assert rows == [ChangeRow("địa giới", "—", "theo đơn vị hành chính hiện nay")]
