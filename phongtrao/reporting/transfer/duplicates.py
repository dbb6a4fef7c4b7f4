"""The keys an import has already seen, for naming a row repeated in a later chunk."""

import sqlite3
import tempfile
from pathlib import Path

from phongtrao.reporting.transfer.sqlite import insert_rows


class DuplicateIndex:
    """Every (indicator, unit, period) seen so far, in a scratch SQLite file, not in memory.

    A million keys would hold ~100 MB of Python objects; on disk they hold none, and the
    first row of each key is kept to name it in the message.
    """

    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="phongtrao-import-")
        self.db = sqlite3.connect(Path(self.dir.name) / "seen.sqlite3")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE seen (i INTEGER, u INTEGER, p INTEGER, pos INTEGER, "
            "PRIMARY KEY (i, u, p)) WITHOUT ROWID"
        )
        self.periods: dict[str, int] = {}  # period ids as small numbers, for a compact key

    def _rows(self, keys: dict[tuple[int, int, str], int]) -> list[tuple[int, int, int, int]]:
        periods = self.periods
        rows = []
        for (indicator_id, unit_id, period), pos in keys.items():
            number = periods.get(period)
            if number is None:
                number = periods[period] = len(periods)
            rows.append((indicator_id, unit_id, number, pos))
        return rows

    def first_seen(self, keys: dict[tuple[int, int, str], int]) -> dict[tuple, int]:
        """Keys of this chunk (each once) seen in an earlier chunk, with where; then remember
        this chunk's. The usual chunk, all new, costs its inserts and nothing else."""
        rows = self._rows(keys)
        before = self.db.total_changes
        insert_rows(self.db, "INSERT OR IGNORE INTO seen VALUES ", 4, rows)
        if self.db.total_changes - before == len(rows):
            return {}
        # Some keys were kept from an earlier chunk: their stored row is not this chunk's.
        found: dict[tuple, int] = {}
        by_number = {(i, u, n): (key, pos) for (i, u, n, pos), key in zip(rows, keys, strict=True)}
        for start in range(0, len(rows), 200):
            part = rows[start : start + 200]
            where = " OR ".join(["(i = ? AND u = ? AND p = ?)"] * len(part))
            args = [v for row in part for v in row[:3]]
            for i, u, n, pos in self.db.execute(
                f"SELECT i, u, p, pos FROM seen WHERE {where}", args
            ):
                key, own = by_number[(i, u, n)]
                if pos != own:
                    found[key] = pos
        return found

    def close(self) -> None:
        self.db.close()
        self.dir.cleanup()
