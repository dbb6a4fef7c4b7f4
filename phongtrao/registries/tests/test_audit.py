"""Where a registry's files are stored stays out of the audit; the names people gave them show."""

import pytest
from django.contrib.contenttypes.models import ContentType

from phongtrao.accounts.audit_selectors import audit_change_rows
from phongtrao.core.models import AuditAction, AuditEvent
from phongtrao.registries.models import FestivalPhoto, Plan

pytestmark = pytest.mark.django_db


def _event(model, bo_y, changes) -> AuditEvent:
    return AuditEvent(
        action=AuditAction.UPDATE, content_type=ContentType.objects.get_for_model(model),
        object_id="1", unit=bo_y, unit_path=bo_y.path, changes=changes,
    )  # fmt: skip


def test_a_plan_s_attachment_shows_its_name_not_its_path(bo_y):
    # given a plan whose file was attached, stored under a path of the server
    event = _event(Plan, bo_y, {
        "attachment": ["", "registries/plans/2026/5f3a.pdf"],
        "attachment_name": ["", "Kế hoạch 12.pdf"],
    })  # fmt: skip
    # when it is shown, then only the file's own name is
    assert [(r.before, r.after) for r in audit_change_rows(event)] == [("—", "Kế hoạch 12.pdf")]


def test_a_festival_photo_shows_its_name_not_its_paths(bo_y):
    # given a photo stored as an image and a thumbnail
    event = _event(FestivalPhoto, bo_y, {
        "image": [None, "photos/2026/ab12.jpg"], "thumbnail": [None, "photos/2026/ab12-t.jpg"],
        "original_name": [None, "anh-ngay-hoi.jpg"],
    })  # fmt: skip
    # when it is shown, then only the file's own name is
    assert [(r.before, r.after) for r in audit_change_rows(event)] == [("—", "anh-ngay-hoi.jpg")]
