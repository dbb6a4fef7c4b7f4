"""Many rows into SQLite in few statements, for the import's values and its scratch index."""

import sqlite3
from collections.abc import Callable
from itertools import chain

# One statement of 500 rows measured 40-50% faster than `executemany` of one-row statements
# (2026-11-30, 200,000 values and their audit rows): every execution of a statement pays for
# itself (reset, the AUTOINCREMENT counter, constraint bookkeeping).
ROWS_PER_INSERT = 500


def insert_rows(
    db: sqlite3.Connection,
    sql: str,
    width: int,
    rows: list[tuple],
    before_each: Callable[[], None] | None = None,
) -> None:
    """`sql` ends in "VALUES "; rows go in statements of up to ROWS_PER_INSERT, each within
    SQLite's limit on parameters (999 on builds before 3.32). `before_each` is called before
    every statement (and may raise to stop)."""
    limit = db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    size = max(1, min(ROWS_PER_INSERT, limit // width))
    one = "(" + ", ".join(["?"] * width) + ")"
    full = sql + ", ".join([one] * size)
    for start in range(0, len(rows), size):
        part = rows[start : start + size]
        statement = full if len(part) == size else sql + ", ".join([one] * len(part))
        if before_each is not None:
            before_each()
        db.execute(statement, list(chain.from_iterable(part)))
