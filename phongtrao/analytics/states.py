"""Which data a total includes (DESIGN.md, "What a number means").

Every figure the app shows or prints is read in one of three states; the stored state of each
value (`reporting.models.ValueState`) is that of the report it belongs to.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from phongtrao.reporting.models import ValueState


class DataState(StrEnum):
    # Only what an approver accepted.
    APPROVED = "approved"
    # Sent and approved reports: the default for analytics and reports.
    SUBMITTED = "submitted"
    # Drafts too: a unit's own work in progress.
    ALL = "all"


DEFAULT_STATE = DataState.SUBMITTED

STORED_STATES: dict[DataState, tuple[str, ...]] = {
    DataState.APPROVED: (ValueState.APPROVED,),
    DataState.SUBMITTED: (ValueState.SUBMITTED, ValueState.APPROVED),
    DataState.ALL: (ValueState.DRAFT, ValueState.SUBMITTED, ValueState.APPROVED),
}

STATE_LABELS = {
    DataState.APPROVED: _("approved reports only"),
    DataState.SUBMITTED: _("submitted and approved reports"),
    DataState.ALL: _("all data, drafts included"),
}

# "Số liệu của 87/110 đơn vị đã gửi báo cáo": what the covered units did, per state.
COVERAGE_LABELS = {
    DataState.APPROVED: _("Figures of %(covered)s/%(expected)s units whose report is approved"),
    DataState.SUBMITTED: _("Figures of %(covered)s/%(expected)s units that have sent their report"),
    DataState.ALL: _("Figures of %(covered)s/%(expected)s units, drafts included"),
}
