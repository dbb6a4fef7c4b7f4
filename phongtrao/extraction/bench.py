"""The extractor's precision and recall on the corpus of test reports.

Each `tests/corpus/NN-name.txt` has a sidecar `NN-name.json` with the report's period, unit code
and expected figures. A figure counts as found when the indicator and the value both match;
a document is compared as a set of (indicator, value), so a figure repeated in the text is
one figure. Precision comes first: a wrong number is worse than a missing one.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from phongtrao.extraction.reading import read_path
from phongtrao.extraction.report_analysis import analyse

CORPUS = Path(__file__).resolve().parent / "tests" / "corpus"


@dataclass
class DocumentScore:
    name: str
    expected: set[tuple[str, Decimal]]
    found: set[tuple[str, Decimal]]
    period_expected: str
    period_found: str
    unit_expected: str = ""
    unit_found: str = ""

    @property
    def wrong(self) -> set[tuple[str, Decimal]]:
        return self.found - self.expected

    @property
    def missed(self) -> set[tuple[str, Decimal]]:
        return self.expected - self.found


@dataclass
class BenchResult:
    documents: list[DocumentScore] = field(default_factory=list)

    @property
    def true_positives(self) -> int:
        return sum(len(d.found & d.expected) for d in self.documents)

    @property
    def precision(self) -> float:
        found = sum(len(d.found) for d in self.documents)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = sum(len(d.expected) for d in self.documents)
        return self.true_positives / expected if expected else 1.0

    @property
    def periods_right(self) -> int:
        return sum(d.period_expected == d.period_found for d in self.documents)

    @property
    def units_right(self) -> int:
        return sum(d.unit_expected == d.unit_found for d in self.documents)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def figure_set(rows: list[tuple[str, object]]) -> set[tuple[str, Decimal]]:
    return {(code, Decimal(str(value)).normalize()) for code, value in rows}


def bench_run(*, with_units: bool = True) -> BenchResult:
    """Score every corpus document; units are resolved only when the database holds them."""
    from phongtrao.extraction.selectors import unit_resolve
    from phongtrao.units.models import Unit

    with_units = with_units and Unit.objects.exists()
    result = BenchResult()
    for path in corpus_files():
        meta = expected_of(path)
        analysis = analyse(read_path(path))
        unit = unit_resolve(analysis=analysis) if with_units else None
        result.documents.append(
            DocumentScore(
                name=path.stem,
                expected=figure_set([(v["indicator"], v["value"]) for v in meta["values"]]),
                found=figure_set([(f.indicator, f.value) for f in analysis.values]),
                period_expected=meta["period"],
                period_found=str(analysis.year or ""),
                unit_expected=meta["unit"] if with_units else "",
                unit_found=unit.code if unit else "",
            )
        )
    return result


def _as_dict(result: BenchResult) -> dict:
    return {
        "documents": len(result.documents),
        "expected": sum(len(d.expected) for d in result.documents),
        "found": sum(len(d.found) for d in result.documents),
        "correct": result.true_positives,
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "periods_right": result.periods_right,
        "units_right": result.units_right,
        "wrong": sorted(f"{d.name}: {c}={v:f}" for d in result.documents for c, v in d.wrong),
        "missed": sorted(f"{d.name}: {c}={v:f}" for d in result.documents for c, v in d.missed),
        "units_wrong": sorted(
            f"{d.name}: {d.unit_found or '-'} != {d.unit_expected}"
            for d in result.documents
            if d.unit_found != d.unit_expected
        ),
    }


def bench_extract(json_output: bool) -> str:
    """What `phongtrao bench extract [--json]` prints."""
    data = _as_dict(bench_run())
    if json_output:
        return json.dumps(data, ensure_ascii=False, indent=2)
    lines = [
        f"documents      {data['documents']}",
        f"figures        expected {data['expected']}, found {data['found']}, "
        f"correct {data['correct']}",
        f"precision      {data['precision']:.4f}",
        f"recall         {data['recall']:.4f}",
        f"period right   {data['periods_right']}/{data['documents']}",
        f"unit right     {data['units_right']}/{data['documents']}",
    ]
    lines += [f"wrong          {row}" for row in data["wrong"]]
    lines += [f"missed         {row}" for row in data["missed"]]
    lines += [f"unit wrong     {row}" for row in data["units_wrong"]]
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")


def run(command, **options) -> None:
    command.stdout.write(bench_extract(options.get("json", False)))
