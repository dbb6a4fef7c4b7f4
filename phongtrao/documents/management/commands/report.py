"""`phongtrao report festival|movement --unit CODE --period YEAR --out PATH [--format]
[--boundaries] [--state approved|submitted|all]`.

A stable contract (DESIGN.md): prints the path written; exit 1 with a message on a unit,
period or template that cannot be used.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.analytics.states import DEFAULT_STATE, DataState
from phongtrao.catalog.periods import PeriodType, period_parse
from phongtrao.core.errors import AppError
from phongtrao.documents.models import DocumentFormat, ReportKind
from phongtrao.documents.selectors import report_unit_get
from phongtrao.documents.services import report_render
from phongtrao.reporting.selectors import Boundaries


class Command(BaseCommand):
    help = "Write a report of a unit's subtree for a year (DOCX, PDF or the XLSX annex)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        helps = {
            ReportKind.FESTIVAL: "The yearly festival report.",
            ReportKind.MOVEMENT: "The movement's yearly report (tổng kết Phong trào).",
        }
        for kind in ReportKind:
            report = sub.add_parser(kind.value, help=helps[kind])
            report.add_argument("--unit", required=True, help="Unit code (51, 23377).")
            report.add_argument("--period", required=True, help="The year (2019).")
            report.add_argument("--out", required=True, help="The file to write.")
            report.add_argument(
                "--format", choices=[f.value for f in DocumentFormat],
                help="Taken from the file name's ending when omitted (docx by default).",
            )  # fmt: skip
            report.add_argument(
                "--boundaries", choices=[b.value for b in Boundaries],
                default=Boundaries.HISTORICAL,
            )  # fmt: skip
            report.add_argument(
                "--state", choices=[s.value for s in DataState], default=DEFAULT_STATE.value,
                help="Which data: approved reports only, submitted and approved (the default), "
                "or all, drafts included.",
            )  # fmt: skip
            report.add_argument(
                "--builtin", action="store_true",
                help="Use the built-in template, not the province's.",
            )  # fmt: skip

    def handle(self, *args, kind: str, unit: str, period: str, out: str, **options) -> None:
        path = Path(out)
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in DocumentFormat.values:
            fmt = DocumentFormat.DOCX
        try:
            parsed = period_parse(period)
            if parsed.type != PeriodType.YEARLY:
                raise CommandError(_("The report is yearly: give a year, e.g. 2019."))
            report_unit = report_unit_get(
                code=unit, year=parsed.year, boundaries=options["boundaries"]
            )
            rendered = report_render(
                unit=report_unit, year=parsed.year, fmt=fmt, boundaries=options["boundaries"],
                use_builtin=options["builtin"], kind=kind, state=options["state"],
            )  # fmt: skip
        except AppError as exc:
            raise CommandError(" ".join([exc.message, *exc.details])) from exc
        path.write_bytes(rendered.content)
        self.stdout.write(str(path))
