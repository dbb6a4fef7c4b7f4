import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from phongtrao.extraction.bench import (
    add_arguments,
    bench_extract,
    bench_run,
    corpus_files,
    expected_of,
    real_run,
    real_set_default,
)

pytestmark = pytest.mark.django_db


def test_the_corpus_has_thirty_reports_some_in_nfd_with_expected_figures():
    files = corpus_files()
    assert len(files) >= 30
    assert sum(expected_of(f)["nfd"] for f in files) >= 3
    assert sum(len(expected_of(f)["values"]) for f in files) >= 200


def test_precision_is_perfect_and_recall_high_on_the_corpus():
    result = bench_run()
    assert result.precision == 1.0
    assert result.recall >= 0.95


def test_the_year_and_the_unit_of_every_corpus_report_are_found():
    result = bench_run()
    assert result.periods_right == len(result.documents)
    assert result.units_right == len(result.documents)


def test_the_bench_prints_json_for_scripts():
    data = json.loads(bench_extract(json_output=True))
    assert (data["precision"], data["wrong"]) == (1.0, [])


# `bench extract --real`: a tiny labelled set written for these tests, scored with the
# definitions of the development set's score.py (the numbers below were checked against it).
REAL_SET = Path(__file__).resolve().parent / "real_set"


def test_the_real_set_is_scored_like_score_py():
    # given one figure right, one on a doubtful label, one wrong, one missed, one wrong year
    result = real_run(REAL_SET)
    # then the doubtful figure is neither right nor wrong in the main precision
    assert (result.count("expected"), result.count("found")) == (3, 4)
    assert (result.count("right"), result.count("wrong"), result.count("neutral")) == (2, 1, 1)
    assert round(result.precision, 4) == 0.6667  # 2 / (4 - 1)
    assert result.precision_strict == 0.5  # 2 / 4: the doubtful one counted wrong
    assert round(result.recall, 4) == 0.6667  # 2 / 3
    # and a null unit label is right when no unit is found
    assert (result.periods_right, result.units_right) == (1, 2)


def test_bench_extract_real_prints_precision_recall_year_and_unit():
    out = StringIO()
    call_command("bench", "extract", "--real", str(REAL_SET), stdout=out)
    lines = out.getvalue().splitlines()
    assert "precision        0.667 (doubtful counted wrong: 0.500)" in lines
    assert "recall           0.667" in lines
    assert "year right       1/2" in lines
    assert "unit right       2/2" in lines
    assert "wrong            01-tinh.txt: SCHEMES_NEW=61 «xây dựng mới 61 mô hình»" in lines
    assert "missed           01-tinh.txt: TIPS_RECEIVED=300" in lines
    assert "year wrong       02-xa.txt: 2024 != 2023" in lines


def test_bench_extract_real_json_for_scripts():
    out = StringIO()
    call_command("bench", "extract", "--real", str(REAL_SET), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {k: data[k] for k in ("precision", "recall", "periods_right", "units_right")} == {
        "precision": 0.6667, "recall": 0.6667, "periods_right": 1, "units_right": 2,
    }  # fmt: skip
    assert data["on_doubtful_labels"] == 1


def test_the_real_set_defaults_to_the_shared_folder_beside_the_project(settings):
    assert real_set_default() == (settings.BASE_DIR.parent.parent / "shared/extraction-real")
    parser = CommandParser()
    add_arguments(parser)
    assert "../shared/extraction-real relative to the project root" in " ".join(
        parser.format_help().split()
    )


def test_a_missing_real_set_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No development set"):
        call_command("bench", "extract", "--real", str(tmp_path))
