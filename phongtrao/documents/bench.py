"""How long a province's report (festival or movement) takes, with its annex, per format.

`phongtrao bench report` reads the database as it is (run `phongtrao demo` first) and writes
nothing but the files in a temporary folder.
"""

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from phongtrao.documents.models import ReportKind
from phongtrao.documents.selectors import report_unit_get
from phongtrao.documents.services import report_render


def bench_report(
    *, unit_code: str = "51", year: int = 2024, boundaries: str = "current", repeat: int = 3,
    formats: tuple[str, ...] = ("docx", "pdf", "xlsx"), kind: str = ReportKind.FESTIVAL,
) -> dict[str, Any]:  # fmt: skip
    """Median and best seconds per format over `repeat` runs (the first PDF pays imports)."""
    unit = report_unit_get(code=unit_code, year=year, boundaries=boundaries)
    results: dict[str, Any] = {
        "kind": kind,
        "unit": unit.name,
        "year": year,
        "boundaries": boundaries,
    }
    with tempfile.TemporaryDirectory() as folder:
        for fmt in formats:
            times, size = [], 0
            for _ in range(repeat):
                start = time.perf_counter()
                rendered = report_render(
                    unit=unit, year=year, fmt=fmt, boundaries=boundaries, kind=kind
                )
                times.append(time.perf_counter() - start)
                size = len(rendered.content)
                Path(folder, rendered.filename).write_bytes(rendered.content)
            results[fmt] = {
                "median_s": round(statistics.median(times), 3),
                "best_s": round(min(times), 3),
                "first_s": round(times[0], 3),
                "bytes": size,
            }
    return results


def add_arguments(parser) -> None:
    parser.add_argument("--unit", default="51", help="Unit code (default: Quảng Ngãi, 51).")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--boundaries", choices=["historical", "current"], default="current")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kind", choices=list(ReportKind.values), default=ReportKind.FESTIVAL)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")


def run(
    command, *, unit: str, year: int, boundaries: str, repeat: int, kind: str, **options: Any
) -> None:
    import json

    results = bench_report(
        unit_code=unit, year=year, boundaries=boundaries, repeat=repeat, kind=kind
    )
    if options.get("json"):
        command.stdout.write(json.dumps(results, ensure_ascii=False))
        return
    command.stdout.write(
        f"{results['kind']}: {results['unit']} {results['year']} ({results['boundaries']})"
    )
    command.stdout.write(f"{'format':<8}{'median s':>10}{'best s':>10}{'first s':>10}{'bytes':>10}")
    for fmt in ("docx", "pdf", "xlsx"):
        r = results[fmt]
        command.stdout.write(
            f"{fmt:<8}{r['median_s']:>10}{r['best_s']:>10}{r['first_s']:>10}{r['bytes']:>10}"
        )
