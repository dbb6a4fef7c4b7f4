"""The dashboard as tables: each drawn as a chart or shown as figures, and downloadable as CSV
(the page, the CSV view and the API read the same tables)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongtrao.analytics.dashboards import Dashboard, UnitFigures
from phongtrao.analytics.tables import Chart, ChartType, Column, Kind, Row, Table
from phongtrao.catalog.models import Indicator
from phongtrao.reporting.models import SubmissionStatus
from phongtrao.units.models import Unit

STATUS_LABELS = {
    None: gettext_lazy("Not started"),
    SubmissionStatus.DRAFT: gettext_lazy("Draft"),
    SubmissionStatus.RETURNED: gettext_lazy("Returned"),
    SubmissionStatus.SUBMITTED: gettext_lazy("Submitted"),
    SubmissionStatus.APPROVED: gettext_lazy("Approved"),
}
# Tables of a dashboard: the name in the URL, and the stem of the CSV file's name.
TABLE_FILES = {
    "key": "chi-tieu-chinh",
    "trend": "xu-huong",
    "ranking": "xep-hang",
    "completeness": "muc-do-day-du",
    "units": "so-lieu-don-vi",
    "statuses": "tinh-trang-bao-cao",
}
# At most this many units with a figure are drawn in a ranking's chart (all are in its table).
RANKING_CHART_LIMIT = 20


def _indicator_label(indicator: Indicator) -> str:
    unit = f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""
    return f"{indicator.name}{unit}"


def dashboard_tables(dashboard: Dashboard) -> dict[str, Table]:
    """The dashboard's tables, each drawn as a chart or shown as figures, and downloadable."""
    q = dashboard.query
    this, last = str(q.year), str(q.year - 1)
    chosen = _indicator_label(q.indicator)
    tables = [
        Table(
            name="key",
            file_stem=TABLE_FILES["key"],
            title=_("Key figures of %(year)s") % {"year": q.year},
            columns=[
                Column(_("Indicator")),
                Column(_("Unit of measure")),
                Column(last, Kind.NUMBER),
                Column(this, Kind.NUMBER),
                Column(_("Change"), Kind.CHANGE),
                Column(_("Change (%)"), Kind.PERCENT_CHANGE),
            ],
            rows=[
                Row(
                    [
                        k.indicator.name,
                        k.indicator.unit_of_measure,
                        k.previous,
                        k.value,
                        k.delta,
                        k.percent,
                    ]
                )
                for k in dashboard.key
            ],  # fmt: skip
        ),
        Table(
            name="trend",
            file_stem=TABLE_FILES["trend"],
            title=_("%(indicator)s over the years") % {"indicator": q.indicator.name},
            columns=[Column(_("Year")), Column(chosen, Kind.NUMBER)],
            rows=[Row([str(p.year), p.value]) for p in dashboard.trend],
            chart=Chart(ChartType.LINE, labels=0, series=[1]),
        ),
        Table(
            name="ranking",
            file_stem=TABLE_FILES["ranking"],
            title=(
                _("Communes ranked by %(indicator)s")
                if dashboard.is_province
                else _("Units below ranked by %(indicator)s")
            )
            % {"indicator": q.indicator.name},
            columns=[
                Column(_("Rank"), Kind.NUMBER),
                Column(_("Unit"), Kind.UNIT),
                Column(this, Kind.NUMBER),
                Column(last, Kind.NUMBER),
                Column(_("Change"), Kind.CHANGE),
            ],
            rows=[Row([r.rank, r.unit, r.value, r.previous, r.delta]) for r in dashboard.ranking],
            chart=Chart(ChartType.HBAR, labels=1, series=[2], limit=RANKING_CHART_LIMIT),
        ),
        Table(
            name="completeness",
            file_stem=TABLE_FILES["completeness"],
            title=_("Completeness of the festival report"),
            columns=[
                Column(_("Year")),
                Column(_("Expected"), Kind.NUMBER),
                Column(_("Submitted"), Kind.NUMBER),
                Column(_("On time"), Kind.NUMBER),
                Column(_("Approved"), Kind.NUMBER),
                Column(_("Submitted (%)"), Kind.PERCENT),
                Column(_("Approved (%)"), Kind.PERCENT),
            ],
            rows=[
                Row(
                    [
                        str(c.year),
                        c.expected,
                        c.submitted,
                        c.on_time,
                        c.approved,
                        c.submitted_pct,
                        c.approved_pct,
                    ]
                )
                for c in dashboard.completeness
            ],  # fmt: skip
            chart=Chart(ChartType.BAR, labels=0, series=[5, 6], maximum=100),
        ),
    ]
    if not dashboard.is_province:
        tables += [
            Table(
                name="units",
                file_stem=TABLE_FILES["units"],
                title=_("Figures of %(year)s by unit") % {"year": q.year},
                columns=[
                    Column(_("Unit"), Kind.UNIT),
                    *[Column(i.name, Kind.NUMBER) for i in dashboard.indicators],
                ],
                rows=[
                    Row(
                        [_units_row_label(r), *r.values],
                        role="own" if r.is_own else "total" if r.is_total else "",
                    )
                    for r in dashboard.units_table
                ],
            ),
            Table(
                name="statuses",
                file_stem=TABLE_FILES["statuses"],
                title=_("Festival reports of %(year)s") % {"year": q.year},
                columns=[
                    Column(_("Unit"), Kind.UNIT),
                    Column(_("State")),
                    Column(_("Submitted at"), Kind.DATE),
                ],
                rows=[
                    Row([s.unit, str(STATUS_LABELS[s.status]), s.submitted_at])
                    for s in dashboard.statuses
                ],
            ),
        ]
    return {t.name: t for t in tables}


def _units_row_label(row: UnitFigures) -> Unit | str:
    if row.is_own:
        return _("%(unit)s (own report)") % {"unit": row.unit.name}
    if row.is_total:
        return _("Total of %(unit)s") % {"unit": row.unit.name}
    return row.unit
