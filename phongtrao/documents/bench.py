"""`bench_report`: how long a province's festival report takes, with its annex, per format.

The lead wires it as `phongtrao bench report`; it reads the database as it is (run
`phongtrao demo` first) and writes nothing but the files in a temporary folder.
"""

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from phongtrao.documents.selectors import report_unit_get
from phongtrao.documents.services import report_render


def bench_report(
    *, unit_code: str = "51", year: int = 2024, boundaries: str = "current", repeat: int = 3,
    formats: tuple[str, ...] = ("docx", "pdf", "xlsx"),
) -> dict[str, Any]:  # fmt: skip
    """Median and best seconds per format over `repeat` runs (the first PDF pays imports)."""
    unit = report_unit_get(code=unit_code, year=year, boundaries=boundaries)
    results: dict[str, Any] = {"unit": unit.name, "year": year, "boundaries": boundaries}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in formats:
            times, size = [], 0
            for _ in range(repeat):
                start = time.perf_counter()
                rendered = report_render(unit=unit, year=year, fmt=fmt, boundaries=boundaries)
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
