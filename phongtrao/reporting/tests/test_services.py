from decimal import Decimal

import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.services import data_value_save

pytestmark = pytest.mark.django_db


def _save(actor, form, unit, indicator, raw, version, period="2024", comment=""):
    return data_value_save(
        actor=actor, form=form, unit=unit, period=period, indicator=indicator,
        raw_value=raw, comment=comment, expected_version=version,
    )  # fmt: skip


def test_a_first_save_stores_the_value_and_audits_it(form, indicators, bo_y, clerk):
    # when the clerk types 2.150 into an empty cell
    value = _save(clerk, form, bo_y, indicators["SCHEMES_MAINTAINED"], "2.150", None)
    # then
    assert (value.value, value.number, value.version) == ("2150", Decimal(2150), 1)
    event = AuditEvent.objects.get(object_id=str(value.pk), content_type__model="datavalue")
    assert (event.action, event.actor, event.unit_id) == ("create", clerk, bo_y.pk)
    assert event.changes["value"] == [None, "2150"]


def test_a_second_save_with_the_seen_version_updates(form, indicators, bo_y, clerk):
    first = _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "5", None)
    second = _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "6", first.version)
    assert (second.value, second.version) == ("6", 2)


def test_a_stale_save_is_refused_and_keeps_the_other_persons_value(
    form, indicators, bo_y, clerk, other_clerk
):
    # given both opened the empty cell, and the other clerk saved 7 first
    _save(other_clerk, form, bo_y, indicators["SCHEMES_NEW"], "7", None)
    # when the clerk saves 9 on the version they saw
    with pytest.raises(AppError) as error:
        _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "9", None)
    # then the save is refused with the other value, and 7 stays
    assert error.value.code == ErrorCode.CONFLICT
    assert (error.value.conflict.value, error.value.conflict.updated_by) == ("7", "boy_clerk2")
    stored = DataValue.objects.get(indicator=indicators["SCHEMES_NEW"], unit=bo_y)
    assert (stored.value, stored.version) == ("7", 1)


def test_sending_the_same_save_twice_is_accepted_once(form, indicators, bo_y, clerk):
    # given a save that went through but whose answer was lost
    _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "4", None)
    audit_count = AuditEvent.objects.count()
    # when the browser sends it again with the old version
    again = _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "4", None)
    # then it is accepted without a second change
    assert (again.value, again.version) == ("4", 1)
    assert AuditEvent.objects.count() == audit_count


def test_an_empty_value_clears_the_cell(form, indicators, bo_y, clerk):
    value = _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "4", None)
    assert _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "", value.version) is None
    assert not DataValue.objects.filter(unit=bo_y).exists()
    assert AuditEvent.objects.filter(content_type__model="datavalue").latest("id").action == (
        "delete"
    )


def test_a_bad_number_writes_nothing(form, indicators, bo_y, clerk):
    with pytest.raises(AppError) as error:
        _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "-2", None)
    assert error.value.message == "Số đếm không được âm (-2)."
    assert DataValue.objects.count() == 0


def test_a_user_of_another_commune_gets_not_found(form, indicators, bo_y, make_user, cam_thanh):
    outsider = make_user("camthanh_clerk", units=(cam_thanh,))
    with pytest.raises(AppError) as error:
        _save(outsider, form, bo_y, indicators["SCHEMES_NEW"], "3", None)
    assert error.value.code == ErrorCode.NOT_FOUND
    assert DataValue.objects.count() == 0


def test_a_period_the_form_does_not_have_is_refused(form, indicators, bo_y, clerk):
    with pytest.raises(AppError) as error:
        _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "3", None, period="2024Q1")
    assert error.value.code == ErrorCode.INVALID
    assert DataValue.objects.count() == 0


def test_approved_data_refuses_changes(form, indicators, bo_y, clerk):
    # given an approved report holding the value 5
    value = _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "5", None)
    Submission.objects.create(form=form, unit=bo_y, period="2024", status=SubmissionStatus.APPROVED)
    # when the clerk changes it
    with pytest.raises(AppError) as error:
        _save(clerk, form, bo_y, indicators["SCHEMES_NEW"], "6", value.version)
    # then
    assert error.value.code == ErrorCode.CONFLICT
    assert DataValue.objects.get(pk=value.pk).value == "5"


def test_a_viewer_cannot_save(form, indicators, bo_y, make_user):
    viewer = make_user("boy_viewer", "viewer", (bo_y,))
    with pytest.raises(AppError) as error:
        _save(viewer, form, bo_y, indicators["SCHEMES_NEW"], "3", None)
    assert error.value.code == ErrorCode.FORBIDDEN
    assert DataValue.objects.count() == 0
