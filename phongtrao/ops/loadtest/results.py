"""A load run's figures: per kind of request its count, p50/p95/p99 and errors; the whole
run's requests per second and lost writes; the machine; and the table docs/BENCHMARKS.md keeps."""

import os
import platform
import re
import shlex
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from phongtrao.ops.loadtest.users import Sample

# The aims of issue 21, in milliseconds at p95.
AIMS = {"entry page": 300, "cell save": 150}
BEGIN, END = "<!-- bench load: begin -->", "<!-- bench load: end -->"


@dataclass
class KindFigures:
    kind: str
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float


@dataclass
class Scenario:
    name: str
    users: int
    seconds: float
    requests: int
    errors: int
    writes: int
    lost: int
    kinds: list[KindFigures] = field(default_factory=list)
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(sorted_ms: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with p% of the values at or below it."""
    if not sorted_ms:
        return 0.0
    rank = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[int(rank) - 1]


def figures(samples: list[Sample]) -> list[KindFigures]:
    by_kind: dict[str, list[Sample]] = {}
    for sample in samples:
        by_kind.setdefault(sample.kind, []).append(sample)
    rows = []
    for kind, found in sorted(by_kind.items()):
        ms = sorted(s.seconds * 1000 for s in found)
        rows.append(KindFigures(
            kind, len(found), sum(1 for s in found if s.error),
            percentile(ms, 50), percentile(ms, 95), percentile(ms, 99),
        ))  # fmt: skip
    return rows


def scenario_make(name: str, *, users: int, seconds: float, samples: list[Sample], writes: int,
                  lost: int) -> Scenario:  # fmt: skip
    errors: dict[str, int] = {}
    for sample in samples:
        if sample.error:
            key = f"{sample.kind}: {sample.error}"
            errors[key] = errors.get(key, 0) + 1
    return Scenario(
        name, users, seconds, len(samples), sum(errors.values()), writes, lost,
        figures(samples), errors,
    )  # fmt: skip


def machine() -> dict[str, str]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    ram = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M)
        ram = f"{int(found.group(1)) / 1024 / 1024:.0f} GiB" if found else ""
    return {
        "nproc": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu or platform.processor(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def rerun_command(fallback: str) -> str:
    """The command that made this run, as a reader types it again: `phongtrao bench …` with the
    options it was given, less `--report` (where the figures went says nothing of them);
    `fallback` when it did not come from the command line (a test calling the command)."""
    args = sys.argv[2:] if len(sys.argv) > 2 and sys.argv[1] == "bench" else []
    kept = []
    for arg in args:
        if kept and kept[-1] == "--report":
            kept.pop()
        elif not arg.startswith("--report="):
            kept.append(arg)
    command = " ".join(["phongtrao", "bench", *map(shlex.quote, kept)]) if kept else fallback
    return "DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/phongtrao_load \\\n  " + command


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def table(scenario: Scenario) -> list[str]:
    lines = [
        f"**{scenario.name}**: {scenario.users} users, {scenario.seconds:.0f} s, "
        f"{scenario.requests:,} requests, **{scenario.rps:.1f} requests/s**, "
        f"{scenario.errors} errors, {scenario.writes:,} acknowledged writes, "
        f"**{scenario.lost} lost**",
        "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms | aim (p95) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in scenario.kinds:
        aim = AIMS.get(row.kind)
        verdict = f"< {aim} ms: {'met' if row.p95 < aim else 'missed'}" if aim else ""
        lines.append(
            f"| {row.kind} | {row.requests:,} | {row.errors} | {_ms(row.p50)} | {_ms(row.p95)} "
            f"| {_ms(row.p99)} | {verdict} |"
        )
    if scenario.error_kinds:
        lines += ["", "Errors: " + ", ".join(f"{k} ({n})" for k, n in scenario.error_kinds.items())]
    return lines


def report(scenarios: list[Scenario], *, about: dict[str, str], command: str) -> str:
    """The Markdown section of docs/BENCHMARKS.md, between its markers."""
    lines = [
        BEGIN,
        f"Run on {about['date']}: `nproc` {about['nproc']}, {about['ram']} RAM, {about['cpu']}; "
        f"load average before the run {about['load']}. Database: {about['database']}; "
        f"think time {about['think']} s between a user's actions (uniform, ±50%).",
        "",
        "```",
        command,
        "```",
        "",
    ]
    for scenario in scenarios:
        lines += [*table(scenario), ""]
    lines.append(END)
    return "\n".join(lines) + "\n"


def report_write(
    path: Path, section: str, *, begin: str = BEGIN, end: str = END,
    heading: str = "## Load: simulated users on gunicorn and nginx",
) -> None:  # fmt: skip
    """Put the section in place of the last run's (between `begin` and `end`), or under
    `heading` at the end of the file."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n" + section
    path.write_text(text)


def as_json(scenarios: list[Scenario], about: dict[str, str]) -> dict:
    return {
        "machine": about,
        "scenarios": [asdict(s) | {"rps": round(s.rps, 2)} for s in scenarios],
    }
