"""The extractor's precision and recall on the corpus of test reports, or on real texts.

Each `tests/corpus/NN-name.txt` has a sidecar `NN-name.json` with the report's period, unit code
and expected figures. A figure counts as found when the indicator and the value both match;
a document is compared as a set of (indicator, value), so a figure repeated in the text is
one figure. Precision comes first: a wrong number is worse than a missing one.

`--real` scores a development set of real published texts labelled by hand, kept outside the
repository (`articles/` and `expected.json`, whose "ignore" lists doubtful figures: taking one
is neither right nor wrong), with the same definitions as the set's own `score.py`.
"""

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from phongtrao.extraction.reading import read_path
from phongtrao.extraction.report_analysis import analyse

CORPUS = Path(__file__).resolve().parent / "tests" / "corpus"
# The development set of real texts, relative to the project root (the folder of pyproject.toml).
REAL_SET = "../shared/extraction-real"


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


def real_set_default() -> Path:
    """Where `--real` looks without a path: ../shared/extraction-real beside the project root."""
    return (Path(settings.BASE_DIR).parent / REAL_SET).resolve()


Key = tuple[str, Decimal | None]


def _key(indicator: str, value: object) -> Key:
    try:
        return indicator, Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return indicator, None


@dataclass
class RealDocument:
    """One labelled text: "values" are right, "ignore" are doubtful (left out of precision)."""

    file: str
    expected: set[Key]
    ignored: set[Key]
    found: dict[Key, str]  # each figure found, with the text it was read from
    period_expected: str | None
    period_found: str | None
    unit_expected: str | None
    unit_found: str | None

    @property
    def right(self) -> set[Key]:
        return set(self.found) & self.expected

    @property
    def neutral(self) -> set[Key]:
        return (set(self.found) - self.expected) & self.ignored

    @property
    def wrong(self) -> set[Key]:
        return set(self.found) - self.expected - self.ignored

    @property
    def missed(self) -> set[Key]:
        return self.expected - set(self.found)

    @property
    def period_ok(self) -> bool:
        return self.period_expected == self.period_found

    @property
    def unit_ok(self) -> bool:
        return self.unit_expected == self.unit_found


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class RealResult:
    path: Path
    documents: list[RealDocument] = field(default_factory=list)
    with_units: bool = True

    def count(self, name: str) -> int:
        return sum(len(getattr(d, name)) for d in self.documents)

    @property
    def precision(self) -> float | None:
        return _ratio(self.count("right"), self.count("found") - self.count("neutral"))

    @property
    def precision_strict(self) -> float | None:
        return _ratio(self.count("right"), self.count("found"))

    @property
    def recall(self) -> float | None:
        return _ratio(self.count("right"), self.count("expected"))

    @property
    def periods_right(self) -> int:
        return sum(d.period_ok for d in self.documents)

    @property
    def units_right(self) -> int | None:
        return sum(d.unit_ok for d in self.documents) if self.with_units else None


def real_labels(path: Path) -> list[dict]:
    """The labelled documents of a development set; CommandError when it is not there."""
    labels_file = path / "expected.json"
    if not labels_file.is_file():
        raise CommandError(f"No development set at {path} (expected.json not found).")
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    return labels["documents"] if isinstance(labels, dict) else labels


def real_run(path: Path) -> RealResult:
    """Score the extractor on every labelled text of the set at `path`."""
    from phongtrao.extraction.selectors import unit_resolve
    from phongtrao.units.models import Unit

    result = RealResult(path=path, with_units=Unit.objects.exists())
    for label in real_labels(path):
        analysis = analyse(read_path(path / "articles" / label["file"]))
        unit = unit_resolve(analysis=analysis) if result.with_units else None
        found: dict[Key, str] = {}
        for figure in analysis.values:
            found.setdefault(_key(figure.indicator or "", figure.value), figure.text)
        result.documents.append(
            RealDocument(
                file=label["file"],
                expected={_key(v["indicator"], v["value"]) for v in label.get("values", [])},
                ignored={_key(v["indicator"], v["value"]) for v in label.get("ignore", [])},
                found=found,
                period_expected=label.get("period") or None,
                period_found=str(analysis.year) if analysis.year else None,
                unit_expected=label.get("unit_code") or None,
                unit_found=unit.code if unit else None,
            )
        )
    return result


def _show(key: Key) -> str:
    code, value = key
    return f"{code}={'?' if value is None else format(value, 'f')}"


def _real_as_dict(result: RealResult) -> dict:
    def rounded(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else round(value, 4)

    docs = result.documents
    return {
        "path": str(result.path),
        "documents": len(docs),
        "expected": result.count("expected"),
        "extracted": result.count("found"),
        "right": result.count("right"),
        "wrong": result.count("wrong"),
        "on_doubtful_labels": result.count("neutral"),
        "precision": rounded(result.precision),
        "precision_strict": rounded(result.precision_strict),
        "recall": rounded(result.recall),
        "periods_right": result.periods_right,
        "units_right": result.units_right,
        "wrong_figures": [
            f"{d.file}: {_show(k)} «{d.found[k]}»" for d in docs for k in sorted(d.wrong, key=str)
        ],
        "missed_figures": [
            f"{d.file}: {_show(k)}" for d in docs for k in sorted(d.missed, key=str)
        ],
        "periods_wrong": [
            f"{d.file}: {d.period_found or '-'} != {d.period_expected or '-'}"
            for d in docs
            if not d.period_ok
        ],
        "units_wrong": [
            f"{d.file}: {d.unit_found or '-'} != {d.unit_expected or '-'}"
            for d in docs
            if result.with_units and not d.unit_ok
        ],
    }


def bench_extract_real(path: Path, json_output: bool) -> str:
    """What `phongtrao bench extract --real [PATH] [--json]` prints."""
    data = _real_as_dict(real_run(path))
    if json_output:
        return json.dumps(data, ensure_ascii=False, indent=2)

    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    n = data["documents"]
    units = (
        f"{data['units_right']}/{n}"
        if data["units_right"] is not None
        else "- (no units in the database: run `phongtrao units load`)"
    )
    lines = [
        f"development set  {data['path']} ({n} documents)",
        f"figures          expected {data['expected']}, extracted {data['extracted']}: "
        f"right {data['right']}, wrong {data['wrong']}, "
        f"on doubtful labels {data['on_doubtful_labels']}",
        f"precision        {ratio(data['precision'])} "
        f"(doubtful counted wrong: {ratio(data['precision_strict'])})",
        f"recall           {ratio(data['recall'])}",
        f"year right       {data['periods_right']}/{n}",
        f"unit right       {units}",
    ]
    lines += [f"wrong            {row}" for row in data["wrong_figures"]]
    lines += [f"missed           {row}" for row in data["missed_figures"]]
    lines += [f"year wrong       {row}" for row in data["periods_wrong"]]
    lines += [f"unit wrong       {row}" for row in data["units_wrong"]]
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--real",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="Score the development set of real labelled texts at PATH (articles/ and "
        f"expected.json) instead of the test corpus; without PATH, {REAL_SET} relative to "
        "the project root. The unit is scored only when the units are loaded.",
    )


def run(command, **options) -> None:
    real = options.get("real")
    if real is None:
        command.stdout.write(bench_extract(options.get("json", False)))
        return
    path = Path(real).resolve() if real else real_set_default()
    command.stdout.write(bench_extract_real(path, options.get("json", False)))
