"""Approving many reports at once (reporting/approval_bulk.py): all of them, or none."""

import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.notifications.models import Notification
from phongtrao.reporting.approval_bulk import submissions_approve_many
from phongtrao.reporting.models import DataValue, Submission, SubmissionStatus
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.workflow import submission_open, submission_submit

pytestmark = pytest.mark.django_db


def _sent(form, unit, actor, period="2024") -> Submission:
    submission = submission_open(actor=actor, form=form, unit=unit, period=period)
    return submission_submit(actor=actor, submission=submission, expected_version=1)


@pytest.fixture
def communes(form, bo_y, cam_thanh, make_user):
    """Bờ Y's and Cẩm Thành's reports, each sent by its own clerk."""
    bo_y_clerk = make_user("boy_clerk_b", Role.DATA_ENTRY, (bo_y,))
    ct_clerk = make_user("ct_clerk", Role.DATA_ENTRY, (cam_thanh,))
    return [_sent(form, bo_y, bo_y_clerk), _sent(form, cam_thanh, ct_clerk)]


def _state() -> tuple:
    """Every report's status and version, the audit events and the notifications."""
    return (
        sorted(Submission.objects.values_list("unit__name", "status", "version")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_each_report_is_approved_audited_and_told_on_its_own(communes, province_approver):
    # given two communes' sent reports
    events, told = AuditEvent.objects.count(), Notification.objects.count()
    # when the province approves both at once with one comment
    approved = submissions_approve_many(
        actor=province_approver, submission_ids=[s.pk for s in communes], comment="Đạt"
    )
    # then both are approved with the comment, by the province, one audit event and one
    # notification (to each commune's clerk) per report
    rows = Submission.objects.order_by("unit__name").values_list(
        "unit__name", "status", "approved_by__username", "approved_comment", "version"
    )
    assert list(rows) == [
        ("Phường Cẩm Thành", "approved", "qn_approver", "Đạt", 3),
        ("Xã Bờ Y", "approved", "qn_approver", "Đạt", 3),
    ]
    assert sorted(s.unit.name for s in approved) == ["Phường Cẩm Thành", "Xã Bờ Y"]
    assert AuditEvent.objects.count() - events == 2
    assert sorted(
        Notification.objects.filter(kind="approved").values_list("recipient__username", flat=True)
    ) == ["boy_clerk_b", "ct_clerk"]
    assert Notification.objects.count() - told == 2


def test_one_report_not_sent_refuses_them_all_naming_its_unit(
    form, communes, province_approver, make_area, bo_y, make_user
):
    # given the two sent reports and an area's report still a draft
    area = make_area(bo_y, "Thôn Đăk Răng")
    draft = submission_open(
        actor=make_user("area_clerk", Role.DATA_ENTRY, (area,)), form=form, unit=area,
        period="2024",
    )  # fmt: skip
    before = _state()
    # when the province approves the three at once
    with pytest.raises(AppError) as refused:
        submissions_approve_many(
            actor=province_approver, submission_ids=[*(s.pk for s in communes), draft.pk]
        )
    # then nothing is approved and the message names the unit and why
    assert (refused.value.code, refused.value.message, refused.value.details) == (
        ErrorCode.INVALID,
        "Chưa duyệt báo cáo nào: các báo cáo sau không duyệt được.",
        ["Thôn Đăk Răng: Chỉ phê duyệt được báo cáo đã gửi."],
    )
    assert _state() == before


def test_a_report_of_the_approvers_own_unit_is_refused_and_nothing_changes(
    form, bo_y, make_area, make_user
):
    # given Bờ Y's approver and two reports sent: an area's, and Bờ Y's own
    approver = make_user("boy_approver", Role.APPROVER, (bo_y,))
    clerk = make_user("boy_clerk_c", Role.DATA_ENTRY, (bo_y,))
    area = _sent(form, make_area(bo_y, "Làng Le"), clerk)
    own = _sent(form, bo_y, clerk)
    before = _state()
    # when the commune approver approves both
    with pytest.raises(AppError) as refused:
        submissions_approve_many(actor=approver, submission_ids=[area.pk, own.pk])
    # then Bờ Y's own report is named, and the area's is not approved either
    assert refused.value.details == [
        "Xã Bờ Y: Báo cáo do cấp trên phê duyệt: bạn không thể duyệt báo cáo của chính đơn vị mình."
    ]
    assert _state() == before


def test_a_report_outside_the_approvers_units_answers_as_missing(communes, make_user, cam_thanh):
    # given Cẩm Thành's approver, and Bờ Y's report among those asked
    approver = make_user("ct_approver", Role.APPROVER, (cam_thanh,))
    before = _state()
    # when they approve it with the others
    with pytest.raises(AppError) as refused:
        submissions_approve_many(actor=approver, submission_ids=[s.pk for s in communes])
    # then it is "not found", Bờ Y is not named, and nothing changes
    assert (refused.value.code, refused.value.details) == (ErrorCode.NOT_FOUND, [])
    assert "Bờ Y" not in refused.value.message
    assert _state() == before


def test_nothing_chosen_is_refused(province_approver, communes):
    before = _state()
    with pytest.raises(AppError) as refused:
        submissions_approve_many(actor=province_approver, submission_ids=[])
    assert refused.value.message == "Hãy chọn ít nhất một báo cáo để duyệt."
    assert _state() == before


def test_a_data_entry_user_cannot_approve_many(communes, make_user, quang_ngai):
    clerk = make_user("qn_clerk", Role.DATA_ENTRY, (quang_ngai,))
    before = _state()
    with pytest.raises(AppError) as refused:
        submissions_approve_many(actor=clerk, submission_ids=[s.pk for s in communes])
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert _state() == before
    assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.SUBMITTED}


@pytest.fixture
def areas_sent(form, bo_y, make_area, make_user):
    """Sends `count` reports of areas of Bờ Y, each by the commune's clerk."""
    clerk = make_user("boy_clerk_n", Role.DATA_ENTRY, (bo_y,))

    def send(count: int) -> list[Submission]:
        return [_sent(form, make_area(bo_y, f"Thôn {n}"), clerk) for n in range(count)]

    return send


@pytest.mark.parametrize("count", [2, 6])
def test_approving_many_reports_costs_the_same_queries_as_approving_two(
    areas_sent, province_approver, count, django_assert_num_queries
):
    # given two, or six, areas' reports sent by the same clerk
    ids = [s.pk for s in areas_sent(count)]
    # when the province approves them at once
    # then 15 queries either way: the approver's scope, the reports, the approver's units and
    # their successions, one UPDATE of the reports, their re-read, one UPDATE of their values'
    # states, one insert of their audit events, the units' users, the sender's scope, one
    # insert of the notifications, and the savepoints
    with django_assert_num_queries(15):
        submissions_approve_many(actor=province_approver, submission_ids=ids)
    assert set(Submission.objects.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}


def test_the_values_of_every_report_approved_at_once_are_approved(
    form, bo_y, make_area, make_user, indicators, province_approver
):
    # given two areas' reports sent, each with a value, and a value of a report never sent
    clerk = make_user("boy_clerk_v", Role.DATA_ENTRY, (bo_y,))
    areas = [make_area(bo_y, "Thôn A"), make_area(bo_y, "Thôn B"), make_area(bo_y, "Thôn C")]
    for n, area in enumerate(areas, start=1):
        data_value_save(
            actor=clerk, form=form, unit=area, period="2024", indicator=indicators["SCHEMES_NEW"],
            raw_value=str(n), expected_version=None,
        )  # fmt: skip
    sent = [_sent(form, area, clerk) for area in areas[:2]]
    # when the province approves the two at once
    submissions_approve_many(actor=province_approver, submission_ids=[s.pk for s in sent])
    # then the two reports' values are approved, the third area's value stays a draft
    assert sorted(DataValue.objects.values_list("unit__name", "state")) == [
        ("Thôn A", "approved"), ("Thôn B", "approved"), ("Thôn C", "draft"),
    ]  # fmt: skip


def test_each_report_approved_at_once_is_audited_as_one_approval(communes, province_approver):
    # when the province approves both communes' reports at once
    submissions_approve_many(
        actor=province_approver, submission_ids=[s.pk for s in communes], comment=" Đạt "
    )
    # then each report's audit event holds its own change, by the approver, in its unit
    events = AuditEvent.objects.filter(actor=province_approver).order_by("unit_path")
    assert [(e.object_id, e.unit_id, sorted(e.changes)) for e in events] == sorted(
        [
            (str(s.pk), s.unit_id,
             ["approved_at", "approved_by", "approved_comment", "approved_unit", "status",
              "version"])
            for s in communes
        ],
        key=lambda row: Submission.objects.get(pk=int(row[0])).unit.path,
    )  # fmt: skip
    assert [e.changes["approved_comment"] for e in events] == [["", "Đạt"], ["", "Đạt"]]
