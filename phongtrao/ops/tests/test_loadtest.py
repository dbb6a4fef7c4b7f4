"""`phongtrao bench load`: its figures, its report, and a short real run with nothing lost."""

import importlib.util
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from phongtrao.ops.loadtest import results
from phongtrao.ops.loadtest.servers import NGINX
from phongtrao.ops.loadtest.users import Sample, kinds_of
from phongtrao.tests.databases import postgres_database


def test_the_users_follow_the_issues_mix_and_add_up():
    # when 200 and 10 users are split, then 70% enter data, 20% read dashboards, 10% import
    assert kinds_of(200) == {"entry": 140, "dashboards": 40, "imports": 20}
    assert kinds_of(10) == {"entry": 7, "dashboards": 2, "imports": 1}


def test_percentiles_are_nearest_rank():
    # given the times 1 … 100 ms
    times = [float(n) for n in range(1, 101)]
    # then p50, p95 and p99 are the 50th, 95th and 99th of them
    assert [results.percentile(times, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert results.percentile([7.0], 99) == 7.0


def test_a_scenario_counts_errors_per_kind_and_says_whether_each_aim_is_met():
    # given two saves of 100 and 200 ms, one refused, and an entry page of 400 ms
    samples = [
        Sample("cell save", 0.1), Sample("cell save", 0.2, "not saved"),
        Sample("entry page", 0.4),
    ]  # fmt: skip
    # when
    scenario = results.scenario_make("One", users=2, seconds=2, samples=samples, writes=1, lost=0)
    # then
    assert (scenario.requests, scenario.errors, scenario.rps) == (3, 1, 1.5)
    assert results.table(scenario) == [
        "**One**: 2 users, 2 s, 3 requests, **1.5 requests/s**, 1 errors, 1 acknowledged "
        "writes, **0 lost**",
        "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms | aim (p95) |",
        "|---|---:|---:|---:|---:|---:|---|",
        "| cell save | 2 | 1 | 100 | 200 | 200 | < 150 ms: missed |",
        "| entry page | 1 | 0 | 400 | 400 | 400 | < 300 ms: missed |",
        "",
        "Errors: cell save: not saved (1)",
    ]


def test_the_report_replaces_the_last_runs_section_and_keeps_the_rest(tmp_path):
    # given a benchmarks file with a load section between other sections
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# B\n\nbefore\n\n{results.BEGIN}\nold run\n{results.END}\n\n## After\n")
    # when a new run is written
    results.report_write(path, f"{results.BEGIN}\nnew run\n{results.END}\n")
    # then only the section changed
    assert path.read_text() == (
        f"# B\n\nbefore\n\n{results.BEGIN}\nnew run\n{results.END}\n\n## After\n"
    )


def test_the_rerun_command_is_the_one_typed_less_where_its_report_went(monkeypatch):
    # given a run typed with a report file, in both spellings
    typed = ["phongtrao", "bench", "load", "--think", "6", "--report", "/tmp/x.md",
             "--report=-", "--no-prepare"]  # fmt: skip
    monkeypatch.setattr(sys, "argv", typed)
    # when its command is written down, then it has every option but the report's
    assert results.rerun_command("fallback") == (
        "DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/phongtrao_load \\\n"
        "  phongtrao bench load --think 6 --no-prepare"
    )
    # and a run not typed on the command line writes the fallback
    monkeypatch.setattr(sys, "argv", ["pytest"])
    assert results.rerun_command("phongtrao bench pages --repeat 2").endswith(
        "\n  phongtrao bench pages --repeat 2"
    )


@contextmanager
def _database(tmp: Path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp / 'load.sqlite3'}"
        return
    with postgres_database(f"phongtrao_load_{os.getpid()}") as url:
        yield url


@pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is missing")
def test_a_short_run_loses_no_acknowledged_write_and_writes_its_report(tmp_path):
    # given a database of its own (the servers run in other processes) and a report file
    report = tmp_path / "BENCHMARKS.md"
    scenario = "both" if NGINX.exists() else "single"
    with _database(tmp_path) as url:
        env = os.environ | {
            "DEBUG": "1", "DATABASE_URL": url, "PHONGTRAO_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "phongtrao.settings",
        }  # fmt: skip
        # when 10 users run for 8 seconds on each scenario
        done = subprocess.run(
            [sys.executable, "-m", "phongtrao.cli", "bench", "load", "--users", "10",
             "--duration", "8", "--think", "0.5", "--scenario", scenario,
             "--report", str(report)],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        # and what one request of each kind costs alone, measured on the same database
        pages = subprocess.run(
            [sys.executable, "-m", "phongtrao.cli", "bench", "pages", "--repeat", "2",
             "--no-prepare", "--report", str(report)],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    # then it succeeds, every acknowledged write is in the database, and the report has the
    # figures of each scenario
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    summaries = [line for line in lines if line.startswith("**")]
    assert len(summaries) == (2 if scenario == "both" else 1)
    assert all(line.endswith("**0 lost**") for line in summaries), summaries
    assert all(" 0 acknowledged writes" not in line for line in summaries), summaries
    text = report.read_text()
    assert results.BEGIN in text and results.END in text
    assert "| cell save |" in text and "| entry page |" in text
    # and the pages' costs are printed with their queries, the fixed counts of the entry screen,
    # its totals and a save as the screen sends it (the first of the form's cells, one the
    # registries count) among them, and written in a section of their own beside the load's
    assert pages.returncode == 0, pages.stderr[-3000:]
    rows = [line.split(" | ") for line in pages.stdout.splitlines()[2:]]
    queries = {row[0].lstrip("| "): int(row[4].rstrip(" |")) for row in rows}
    assert list(queries) == [
        "entry page", "entry totals", "cell save", "home", "dashboard", "pivot", "report preview"
    ]  # fmt: skip
    assert (queries["entry page"], queries["entry totals"], queries["cell save"]) == (12, 8, 19)
    assert all(n > 0 for n in queries.values())
    text = report.read_text()
    assert "<!-- bench pages: begin -->" in text and results.BEGIN in text
    assert "| entry page | " in text.split("<!-- bench pages: begin -->")[1]
