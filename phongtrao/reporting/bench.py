"""`phongtrao bench import`: values per second and peak memory of `values import`.

It generates a file of N values over the units of a real province (Quảng Ngãi by default),
every whole-number indicator and as many monthly periods as needed (from 2100, so no real data
is touched), then runs `phongtrao values import` on it in a child process per format: the same
code path, validation and audit included. Peak memory is the child's own maximum resident set
size (`getrusage(RUSAGE_SELF).ru_maxrss`), Django and all included. Afterwards the values, the
import's record, changes and audit event, and the benchmark's form are deleted unless --keep.
Stages and the child's progress go to standard error, the figures to standard output.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
    ValueType,
)
from phongtrao.catalog.periods import MAX_YEAR, Period, PeriodType
from phongtrao.core.console import progress_writer
from phongtrao.core.models import AuditEvent
from phongtrao.core.text import format_number
from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
from phongtrao.reporting.transfer.formats import DHIS2_CSV_HEADER, Format
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit
from phongtrao.units.selectors import unit_get

FORM_CODE = "BENCH_IMPORT"
FIRST_YEAR = 2100
FORMATS = {"dhis2-json": [Format.DHIS2_JSON], "dhis2-csv": [Format.DHIS2_CSV]}
FORMATS["both"] = FORMATS["dhis2-json"] + FORMATS["dhis2-csv"]


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--format", choices=list(FORMATS), default="both")
    parser.add_argument("--province", default="51", help="The province whose units are used.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--keep", action="store_true", help="Keep the imported values.")


def _setup(province: str) -> tuple[list[tuple[str, str]], list[Indicator]]:
    indicators = list(
        Indicator.objects.filter(value_type=ValueType.WHOLE, is_active=True).order_by("code")
    )
    form, created = ReportForm.objects.get_or_create(
        code=FORM_CODE,
        defaults={"name": "Benchmark", "period_type": PeriodType.MONTHLY,
                  "due_days_after_end": 30, "first_period": f"{FIRST_YEAR}01"},
    )  # fmt: skip
    if created:
        section = ReportFormSection.objects.create(form=form, name="Benchmark")
        ReportFormItem.objects.bulk_create(
            ReportFormItem(form=form, section=section, indicator=i, order=n)
            for n, i in enumerate(indicators)
        )
        for kind in ADMINISTRATIVE_KINDS:
            ReportFormUnitKind.objects.create(form=form, kind=kind)
    root = unit_get(code=province, on=Period(PeriodType.YEARLY, FIRST_YEAR).end)
    units = list(
        Unit.objects.descendants_of(root, include_self=True)
        .valid_on(Period(PeriodType.YEARLY, FIRST_YEAR).end)
        .filter(kind__in=ADMINISTRATIVE_KINDS)
        .order_by("path")
        .values_list("code", "kind")
    )
    return units, indicators


def _periods(count: int) -> list[str]:
    period, ids = Period(PeriodType.MONTHLY, FIRST_YEAR, 1), []
    for _i in range(count):
        ids.append(period.id)
        period = period.next()
    return ids


def _keys(n: int, units: list[str], codes: list[str]):
    periods = _periods(math.ceil(n / (len(units) * len(codes))))
    i = 0
    for period in periods:
        for unit in units:
            for code in codes:
                if i == n:
                    return
                yield i, code, unit, period
                i += 1


def generate(path: Path, fmt: Format, n: int, units: list[str], codes: list[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        if fmt == Format.DHIS2_JSON:
            out.write('{"dataValues": [')
            for i, code, unit, period in _keys(n, units, codes):
                out.write("," if i else "")
                out.write(
                    f'\n{{"dataElement": "{code}", "period": "{period}", '
                    f'"orgUnit": "{unit}", "value": "{i * 7919 % 5000}"}}'
                )
            out.write("\n]}\n")
        else:
            out.write(",".join(DHIS2_CSV_HEADER) + "\n")
            for i, code, unit, period in _keys(n, units, codes):
                out.write(f"{code},{period},{unit},,,{i * 7919 % 5000},,,\n")


def _child(path: Path, fmt: Format) -> dict[str, Any]:
    """`phongtrao values import` in a fresh process, timed from outside, memory from inside."""
    code = (
        "import resource, sys, time, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'phongtrao.settings')\n"
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from io import StringIO\n"
        "out = StringIO(); start = time.perf_counter()\n"
        f"call_command('values', 'import', {str(path)!r}, '--format', {fmt.value!r}, stdout=out)\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(repr((seconds, peak, out.getvalue())))\n"
    )
    # The child's standard error is the terminal's: its progress lines show on long runs.
    # Its periods, from 2100 on, have not begun: the setting lets them in, in that process only.
    ahead = (date(MAX_YEAR, 12, 31) - date.today()).days
    done = subprocess.run(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"REPORTING_DAYS_AHEAD": str(ahead)},
    )
    if done.returncode != 0:
        raise CommandError(_("The import failed; its error is printed above."))
    seconds, peak_kb, summary = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307
    return {"seconds": seconds, "peak_kb": peak_kb, "summary": summary.split()}


def _cleanup(periods: list[str], last_import: int) -> None:
    # Plain SQL: nothing else points at values of periods from 2100 on, and the ORM's delete
    # would first load a million ids to clear references that cannot exist.
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(periods), 100):
            part = [p for p in periods[start : start + 100] if p >= f"{FIRST_YEAR}01"]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM {table} WHERE period IN ({marks})", part)
        changes = connection.ops.quote_name(ValueChange._meta.db_table)
        cursor.execute(f"DELETE FROM {changes} WHERE value_import_id > %s", [last_import])
    imports = ValueImport.objects.filter(pk__gt=last_import)
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ValueImport),
        object_id__in=[str(pk) for pk in imports.values_list("pk", flat=True)],
    ).delete()
    imports.delete()


def _reclaim() -> None:
    """Give PostgreSQL back the space of the rows just deleted, so each run imports into tables
    as lean as the first run's: fifteen runs without it left 6.9 GB of dead rows and index entries
    behind, and an import of 1,000,000 values took 72-88 s instead of 51 s. (SQLite reuses the
    pages it freed by itself.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (DataValue, ValueChange):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def run(command: BaseCommand, *, values: int, format: str, province: str, **options: Any) -> None:
    units, indicators = _setup(province)
    codes = [i.code for i in indicators]
    unit_codes = [u for u, _kind in units]
    periods = _periods(math.ceil(values / (len(units) * len(codes))))
    results, say = [], progress_writer(command.stderr)
    with tempfile.TemporaryDirectory(prefix="phongtrao-bench-") as tmp:
        for fmt in FORMATS[format]:
            path = Path(tmp) / f"values.{'json' if fmt == Format.DHIS2_JSON else 'csv'}"
            stage = {"format": fmt.value, "n": format_number(values)}
            say(_("%(format)s: writing a file of %(n)s values…") % stage)
            generate(path, fmt, values, unit_codes, codes)
            say(_("%(format)s: importing %(n)s values…") % stage)
            last_import = ValueImport.objects.order_by("-pk").values_list("pk", flat=True).first()
            started = time.perf_counter()
            measured = _child(path, fmt)
            wall = time.perf_counter() - started
            if not options["keep"]:
                _cleanup(periods, last_import or 0)
                _reclaim()
            results.append({
                "format": fmt.value, "values": values, "engine": connection.vendor,
                "units": len(units), "indicators": len(codes), "periods": len(periods),
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "seconds": round(measured["seconds"], 2),
                "values_per_second": round(values / measured["seconds"]),
                "peak_memory_mb": round(measured["peak_kb"] / 1024, 1),
                "wall_seconds_with_startup": round(wall, 2),
                "summary": measured["summary"],
            })  # fmt: skip
            path.unlink()
    if not options["keep"]:
        ReportForm.objects.filter(code=FORM_CODE).delete()
    if options["json"]:
        command.stdout.write(json.dumps(results, indent=2))
        return
    command.stdout.write(
        f"{'engine':<11}{'format':<12}{'values':>10}{'seconds':>10}{'values/s':>10}{'peak MB':>9}"
    )
    for r in results:
        command.stdout.write(
            f"{r['engine']:<11}{r['format']:<12}{r['values']:>10}{r['seconds']:>10}"
            f"{r['values_per_second']:>10}{r['peak_memory_mb']:>9}"
        )
