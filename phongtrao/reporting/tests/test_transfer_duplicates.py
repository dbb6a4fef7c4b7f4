"""The scratch index of keys an import has already seen."""

import sqlite3

from phongtrao.reporting.transfer.duplicates import DuplicateIndex


def test_the_duplicate_index_stays_within_an_old_sqlites_parameter_limit():
    # given a scratch index limited to 999 parameters, as SQLite builds before 3.32 are
    index = DuplicateIndex()
    index.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    first = {(1, unit, "2026"): unit + 2 for unit in range(600)}
    try:
        # when a chunk of 600 keys, then one that repeats one of them, are remembered
        assert index.first_seen(first) == {}
        found = index.first_seen({(1, 599, "2026"): 5000, (2, 1, "2026"): 5001})
    finally:
        index.close()
    # then the repeat names the row where the key was first seen
    assert found == {(1, 599, "2026"): 601}
