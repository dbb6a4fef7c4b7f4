"""The data migration that links older audit events of an entry's parts to the entry."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.registries.models import Scheme, SchemeType, SecurityTeam, TeamMember
from phongtrao.registries.services import entry_create
from phongtrao.registries.services.schemes import scheme_point_add, scheme_point_remove
from phongtrao.registries.services.teams import member_grade, team_member_save

pytestmark = pytest.mark.django_db

migration = importlib.import_module("phongtrao.registries.migrations.0003_audit_parents")
link_parents, PARTS = migration.link_parents, migration.PARTS


def _parents() -> dict[tuple[str, str], tuple[str, str]]:
    events = AuditEvent.objects.exclude(parent_type=None).select_related(
        "content_type", "parent_type"
    )
    return {
        (e.content_type.model, e.action + ":" + e.object_id): (e.parent_type.model, e.parent_id)
        for e in events
    }


def test_older_events_of_parts_learn_their_entry(make_user, make_area, bo_y):
    # given a model with a point kept and one removed, and a team with a graded member
    clerk = make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))
    le, kon_tu = make_area(bo_y, "Làng Le"), make_area(bo_y, "Thôn Kon Tu")
    scheme = entry_create(actor=clerk, model=Scheme, data={
        "unit": bo_y, "name": "Camera an ninh thôn Iệc", "field": "security", "level": "commune",
        "scheme_type": SchemeType.objects.get(code="camera_an_ninh"),
        "founded_on": date(2025, 8, 1),
    })  # fmt: skip
    scheme_point_add(actor=clerk, scheme=scheme, unit=le, started_on=date(2025, 9, 1))
    gone = scheme_point_add(actor=clerk, scheme=scheme, unit=kon_tu, started_on=date(2025, 9, 2))
    scheme_point_remove(actor=clerk, point=gone)
    team = entry_create(actor=clerk, model=SecurityTeam, data={
        "unit": bo_y, "name": "Tổ bảo vệ ANTT Làng Le", "areas": [le],
        "established_on": date(2025, 8, 1), "decision": "30/QĐ-UBND",
    })  # fmt: skip
    member = team_member_save(actor=clerk, team=team, member=TeamMember(
        full_name="Nguyễn Văn Bình", role="member", appointed_on=date(2025, 8, 1),
    ))  # fmt: skip
    member_grade(actor=clerk, member=member, year=2025, grade="good")
    linked = _parents()
    # and their events recorded before parts knew their entry
    AuditEvent.objects.update(parent_type=None, parent_id="")
    # when the migration runs
    link_parents(apps, None)
    # then every part's event names its entry again, the removed point's included
    assert _parents() == linked
    assert linked[("schemepoint", f"delete:{gone.pk}")] == ("scheme", str(scheme.pk))
    grading = next(k for k in linked if k[0] == "membergrading")
    assert linked[grading] == ("securityteam", str(team.pk))
    parts = AuditEvent.objects.filter(
        content_type__app_label="registries", content_type__model__in=PARTS
    )
    assert len(linked) == parts.count()
