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
        # Period first: files come period by period (DHIS2's and our own exports), so each
        # chunk's keys go in at one end of the index instead of all over it. In the order
        # indicator, unit, period, the index outgrew SQLite's cache and every insert of a
        # 1,000,000-value file read its page back: 3.6 s against 0.7 s.
        self.db.execute(
            "CREATE TABLE seen (p INTEGER, u INTEGER, i INTEGER, pos INTEGER, "
            "PRIMARY KEY (p, u, i)) WITHOUT ROWID"
        )
        self.periods: dict[str, int] = {}  # period ids as small numbers, for a compact key

    def _rows(self, keys: dict[tuple[int, int, str], int]) -> list[tuple[int, int, int, int]]:
        periods = self.periods
        rows = []
        for (indicator_id, unit_id, period), pos in keys.items():
            number = periods.get(period)
            if number is None:
                number = periods[period] = len(periods)
            rows.append((number, unit_id, indicator_id, pos))
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
        by_number = {(n, u, i): (key, pos) for (n, u, i, pos), key in zip(rows, keys, strict=True)}
        for start in range(0, len(rows), 200):
            part = rows[start : start + 200]
            where = " OR ".join(["(p = ? AND u = ? AND i = ?)"] * len(part))
            args = [v for row in part for v in row[:3]]
            for n, u, i, pos in self.db.execute(
                f"SELECT p, u, i, pos FROM seen WHERE {where}", args
            ):
                key, own = by_number[(n, u, i)]
                if pos != own:
                    found[key] = pos
        return found

    def close(self) -> None:
        self.db.close()
        self.dir.cleanup()
