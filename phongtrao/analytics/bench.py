"""`phongtrao bench analytics`: pivot, freshness and the DHIS2-style comparator at scale.

Run it on a database of its own (DATABASE_URL): it adds residential areas under every old
commune and imports a national data set through the app's own import (`values_import`, one
DHIS2 CSV file per year), then measures, in one run:
(a) a national pivot, every province x every indicator x one year, and x 8 years;
(b) freshness: a commune saves a value (the entry screen's service); time until the national
    total (every province rolled up) shows it;
(c) the pivot of (a) in today's boundaries over a pre-2025 year;
(d) a DHIS2-style comparator on the same data and engine: a denormalised table with one row per
    value and its ancestor at every level, rebuilt, then the pivot of (a) on it.
The data set is made once: a second run finds it and measures only (--regenerate makes it again).
`--scale small` does the same for the two old provinces of today's Quảng Ngãi.
"""

import json
import statistics
import tempfile
import time
import zlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from phongtrao.analytics.rollup import rollup
from phongtrao.analytics.states import DataState
from phongtrao.catalog.models import (
    Indicator,
    ReportForm,
    ReportFormItem,
    ReportFormSection,
    ReportFormUnitKind,
    ValueType,
)
from phongtrao.catalog.periods import PeriodType, period_parse
from phongtrao.core.console import progress_writer
from phongtrao.core.text import format_number, search_key
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.selectors import Boundaries, period_ids_within
from phongtrao.reporting.services import data_value_save
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.formats import DHIS2_CSV_HEADER, Format
from phongtrao.units.models import LEGACY_END, REFORM_DATE, Unit, UnitKind

FORM_CODE = "BENCH_ANALYTICS"
OLD_YEARS = range(2019, 2025)
NEW_YEARS = range(2025, 2027)
PIVOT_YEAR = "2024"
COMPARATOR = "bench_dhis2_analytics"
FILE_ROWS = 1_000_000
SCALES = {
    # provinces (codes of old provinces; None: all), areas per commune, indicators per area
    "national": (None, 10, 30),
    "small": (("51", "62"), 3, 30),
}


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--repeat", type=int, default=30, help="Runs of each timed query.")
    parser.add_argument("--regenerate", action="store_true", help="Make the data set again.")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _timed(func: Callable[[], Any], repeat: int) -> list[float]:
    func()  # warm: the first run reads the tables into the cache, as any later user would
    times = []
    for _i in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def _p95(times: list[float]) -> float:
    return _ms(sorted(times)[max(0, round(len(times) * 0.95) - 1)])


def _old_communes(provinces: tuple[str, ...] | None) -> list[Unit]:
    qs = Unit.objects.valid_on(LEGACY_END).filter(kind=UnitKind.COMMUNE)
    if provinces:
        within = Q()
        roots = Unit.objects.valid_on(LEGACY_END).filter(kind=UnitKind.PROVINCE, code__in=provinces)
        for root in roots:
            within |= Q(path__startswith=root.path)
        qs = qs.filter(within)
    return list(qs.order_by("path"))


def _new_communes(provinces: tuple[str, ...] | None) -> list[Unit]:
    qs = Unit.objects.valid_on(REFORM_DATE).filter(kind=UnitKind.COMMUNE)
    if provinces:
        roots = Unit.objects.valid_on(REFORM_DATE).filter(kind=UnitKind.PROVINCE, code__in=["51"])
        qs = qs.filter(parent__in=roots)
    return list(qs.order_by("path"))


def _form(indicators: list[Indicator]) -> ReportForm:
    """A yearly form of every indicator that never closes, so the import takes past years."""
    form, created = ReportForm.objects.get_or_create(
        code=FORM_CODE,
        defaults={"name": "Benchmark", "period_type": PeriodType.YEARLY, "due_days_after_end": 30},
    )
    if created:
        section = ReportFormSection.objects.create(form=form, name="Benchmark")
        ReportFormItem.objects.bulk_create(
            ReportFormItem(form=form, section=section, indicator=i, order=n)
            for n, i in enumerate(indicators)
        )
        for kind in (UnitKind.COMMUNE, UnitKind.RESIDENTIAL_AREA):
            ReportFormUnitKind.objects.create(form=form, kind=kind)
    return form


def _areas(communes: list[Unit], per_commune: int) -> list[str]:
    """Residential areas under each old commune, made in bulk; their codes."""
    existing = set(
        Unit.objects.filter(kind=UnitKind.RESIDENTIAL_AREA, parent__in=communes).values_list(
            "code", flat=True
        )
    )
    new = []
    for commune in communes:
        for n in range(1, per_commune + 1):
            code = f"{commune.code}{n:02d}"
            if code in existing:
                continue
            name = f"Thôn {n} {commune.short_name}"
            new.append(Unit(
                code=code, kind=UnitKind.RESIDENTIAL_AREA, type_name="Thôn", name=name,
                short_name=name, parent=commune, depth=commune.depth + 1, path="",
                valid_from=commune.valid_from, valid_to=commune.valid_to,
                search_key=search_key(f"{name} {code}"),
            ))  # fmt: skip
    Unit.objects.bulk_create(new, batch_size=5000)
    parent_path = Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    own = Concat(Cast(F("id"), CharField()), Value("/"), output_field=CharField())
    Unit.objects.filter(kind=UnitKind.RESIDENTIAL_AREA, path="").update(
        path=Concat(Subquery(parent_path), own, output_field=CharField())
    )
    return [f"{c.code}{n:02d}" for c in communes for n in range(1, per_commune + 1)]


def _write_year(folder: Path, year: int, rows: list[tuple[list[str], list[str]]]) -> list[Path]:
    """The year's values as DHIS2 CSV files of at most FILE_ROWS rows (uploads stop at 100 MB)."""
    paths: list[Path] = []
    out = None
    written = 0
    for codes, units in rows:
        for unit in units:
            for k, code in enumerate(codes):
                if written % FILE_ROWS == 0:
                    if out:
                        out.close()
                    paths.append(folder / f"{year}-{len(paths)}.csv")
                    out = paths[-1].open("w", encoding="utf-8")
                    out.write(",".join(DHIS2_CSV_HEADER) + "\n")
                number = zlib.crc32(f"{unit}{code}{year}".encode()) % 97 + k % 5
                out.write(f"{code},{year},{unit},,,{number},,,\n")
                written += 1
    if out:
        out.close()
    return paths


def _generate(scale: str, indicators: list[Indicator], say: Callable[[str], None]) -> float:
    provinces, per_commune, area_indicators = SCALES[scale]
    started = time.perf_counter()
    old, new = _old_communes(provinces), _new_communes(provinces)
    say(_("Residential areas under %(n)s old communes…") % {"n": format_number(len(old))})
    areas = _areas(old, per_commune)
    codes = [i.code for i in indicators]
    area_codes = codes[:area_indicators]
    with tempfile.TemporaryDirectory(prefix="phongtrao-bench-") as tmp:
        for year in [*OLD_YEARS, *NEW_YEARS]:
            communes = old if year in OLD_YEARS else new
            rows = [(codes, [c.code for c in communes])]
            if year in OLD_YEARS:
                rows.append((area_codes, areas))
            written = sum(len(codes) * len(units) for codes, units in rows)
            say(
                _("%(year)s: importing %(n)s values…") % {"year": year, "n": format_number(written)}
            )
            for path in _write_year(Path(tmp), year, rows):
                result = values_import(path=path, fmt=Format.DHIS2_CSV, today=date(year + 1, 1, 2))
                if result.problem_count:
                    raise RuntimeError("\n".join(result.lines()[:20]))
                path.unlink()
                _analyze()
    return time.perf_counter() - started


def _analyze(everything: bool = False) -> None:
    """Statistics after each million rows, and of every table before measuring: autovacuum
    comes later, and until it does the planner takes a table grown from nothing to millions for
    an empty one (the import's check of existing values went from a few ms to 1.5 s a chunk in
    the first national run; the successions of the provinces were joined to a sequential scan
    of 114,000 units, 31 ms)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = "" if everything else " reporting_datavalue, analytics_subtreetotal"
            cursor.execute(f"ANALYZE{tables}")
        elif everything:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")


def _provinces(day: date) -> list[Unit]:
    return list(Unit.objects.valid_on(day).filter(kind=UnitKind.PROVINCE).order_by("code"))


def _comparator_rebuild() -> None:
    """DHIS2's way: a table of every value with its ancestor at every level, made anew."""
    level = {
        "postgresql": "NULLIF(split_part(u.path, '/', {n}), '')::bigint",
        "sqlite": "json_extract('[' || replace(rtrim(u.path, '/'), '/', ',') || ']', '$[{m}]')",
    }[connection.vendor]
    levels = ", ".join(level.format(n=n, m=n - 1) + f" AS uidlevel{n}" for n in range(1, 5))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COMPARATOR}")
        cursor.execute(
            f"CREATE TABLE {COMPARATOR} AS SELECT v.indicator_id, v.period, v.state, v.number, "
            f"{levels} FROM reporting_datavalue v JOIN units_unit u ON u.id = v.unit_id "
            "WHERE v.number IS NOT NULL"
        )
        cursor.execute(f"CREATE INDEX {COMPARATOR}_period ON {COMPARATOR} (period)")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {COMPARATOR}")


def _comparator_pivot(period_ids: list[str]) -> list[tuple]:
    marks = ", ".join(["%s"] * len(period_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT uidlevel1, indicator_id, SUM(number) FROM {COMPARATOR} "
            f"WHERE period IN ({marks}) GROUP BY uidlevel1, indicator_id",
            period_ids,
        )
        return cursor.fetchall()


def _freshness(form: ReportForm, indicator: Indicator, repeat: int) -> list[float]:
    """A commune saves a value through the entry screen's service; the time until the sum of
    every province's total (today's boundaries) shows it."""
    commune = _new_communes(None)[0]
    provinces = _provinces(date(2026, 12, 31))
    times = []
    for _i in range(repeat):
        current = DataValue.objects.filter(indicator=indicator, unit=commune, period="2026").first()
        number = (current.number if current else Decimal(0)) + 1
        before = sum(rollup(indicators=[indicator], units=provinces, periods=["2026"],
                            state=DataState.ALL).values())  # fmt: skip
        started = time.perf_counter()
        with transaction.atomic():
            data_value_save(
                actor=None, form=form, unit=commune, period="2026", indicator=indicator,
                raw_value=format_number(number),
                expected_version=current.version if current else None,
            )  # fmt: skip
        after = sum(rollup(indicators=[indicator], units=provinces, periods=["2026"],
                           state=DataState.ALL).values())  # fmt: skip
        times.append(time.perf_counter() - started)
        if after - before != number - (current.number if current else 0):
            raise RuntimeError(f"the national total did not follow: {before} -> {after}")
    return times


def measure(*, scale: str, repeat: int, regenerate: bool, say: Callable[[str], None]) -> dict:
    indicators = list(
        Indicator.objects.filter(is_active=True, owner__isnull=True)
        .exclude(value_type=ValueType.TEXT)
        .order_by("code")
    )
    form = _form(indicators)
    generated = None
    if regenerate or not DataValue.objects.filter(period=PIVOT_YEAR).exists():
        generated = _generate(scale, indicators, say)
    _analyze(everything=True)
    say(_("Measuring…"))
    old, now = _provinces(date(2024, 12, 31)), _provinces(date(2026, 12, 31))
    every_year = [str(y) for y in [*OLD_YEARS, *NEW_YEARS]]

    def pivot() -> dict:
        return rollup(indicators=indicators, units=old, periods=[PIVOT_YEAR], state=DataState.ALL)

    pivot_times = _timed(pivot, repeat)
    eight = _timed(
        lambda: rollup(indicators=indicators, units=old + now, periods=every_year,
                       state=DataState.ALL),
        max(5, repeat // 3),
    )  # fmt: skip
    current = _timed(
        lambda: rollup(indicators=indicators, units=now, periods=[PIVOT_YEAR],
                       boundaries=Boundaries.CURRENT, state=DataState.ALL),
        repeat,
    )  # fmt: skip
    fresh = _freshness(form, indicators[0], max(5, repeat // 3))
    say(_("Rebuilding the DHIS2-style table…"))
    started = time.perf_counter()
    _comparator_rebuild()
    rebuild = time.perf_counter() - started
    ids = period_ids_within(period_parse(PIVOT_YEAR))
    comparator = _timed(lambda: _comparator_pivot(ids), max(3, repeat // 6))
    # The two ways must agree before their times mean anything.
    ours = pivot()
    theirs = {(i, u): n for u, i, n in _comparator_pivot(ids)}
    for (indicator_id, unit_id, _p), number in ours.items():
        if abs(Decimal(theirs.get((indicator_id, unit_id), 0)) - number) > Decimal("0.001"):
            raise RuntimeError(f"comparator and engine differ at {indicator_id}, {unit_id}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COMPARATOR}")
    figures = {
        "engine": connection.vendor,
        "scale": scale,
        "values": DataValue.objects.count(),
        "units": Unit.objects.count(),
        "indicators": len(indicators),
        "generation_s": None if generated is None else round(generated, 1),
        "pivot_cells": len(indicators) * len(old),
        "pivot_p50_ms": _ms(statistics.median(pivot_times)),
        "pivot_p95_ms": _p95(pivot_times),
        "pivot_8y_p95_ms": _p95(eight),
        "freshness_ms": _p95(fresh),
        "current_pivot_p95_ms": _p95(current),
        "comparator_rebuild_ms": _ms(rebuild),
        "comparator_query_ms": _ms(statistics.median(comparator)),
    }
    figures["aims"] = {
        "pivot_p95_under_30ms": figures["pivot_p95_ms"] < 30,
        "pivot_100x_faster_than_comparator": figures["comparator_query_ms"]
        >= 100 * figures["pivot_p95_ms"],
        "freshness_under_100ms": figures["freshness_ms"] < 100,
        "freshness_1000x_shorter_than_rebuild": figures["comparator_rebuild_ms"]
        >= 1000 * figures["freshness_ms"],
        "current_under_3x_pivot": figures["current_pivot_p95_ms"] < 3 * figures["pivot_p95_ms"],
    }
    return figures


def run(command: BaseCommand, *, scale: str, repeat: int, regenerate: bool, **options) -> None:
    figures = measure(
        scale=scale, repeat=repeat, regenerate=regenerate, say=progress_writer(command.stderr)
    )
    if options["json"]:
        command.stdout.write(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        command.stdout.write(f"{key}\t{value}")
