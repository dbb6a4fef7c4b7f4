import json

import pytest

from phongtrao.extraction.bench import bench_extract, bench_run, corpus_files, expected_of

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
