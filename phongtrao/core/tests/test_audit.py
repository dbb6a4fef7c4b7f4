"""The audit trail's events: the action a write leaves unnamed is read from what was there."""

import pytest
from django.contrib.auth.models import Group

from phongtrao.core.audit import audit_record, build_event, snapshot
from phongtrao.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_write_with_nothing_before_is_a_creation_and_one_with_something_an_update():
    # given a group just created, then renamed
    group = Group.objects.create(name="Tổ một")
    created = build_event(actor=None, instance=group, before=None, after=snapshot(group))
    before = snapshot(group)
    group.name = "Tổ hai"
    # when the events are built without naming their action
    updated = build_event(actor=None, instance=group, before=before, after=snapshot(group))
    # then each says what happened, with what changed
    assert (created.action, updated.action) == (AuditAction.CREATE, AuditAction.UPDATE)
    assert updated.changes == {"name": ["Tổ một", "Tổ hai"]}


def test_a_named_action_is_kept_whatever_was_before():
    group = Group.objects.create(name="Tổ ba")
    # when a deletion is recorded, then it stays a deletion
    event = build_event(
        actor=None, action=AuditAction.DELETE, instance=group, before=snapshot(group), after=None
    )
    assert event.action == AuditAction.DELETE


def test_an_unnamed_update_that_changed_nothing_leaves_no_trace():
    # given a group saved again as it was
    group = Group.objects.create(name="Tổ bốn")
    before = snapshot(group)
    events = AuditEvent.objects.count()
    # when it is recorded without naming the action
    event = audit_record(actor=None, instance=group, before=before, after=snapshot(group))
    # then nothing is written
    assert event is None
    assert AuditEvent.objects.count() == events
