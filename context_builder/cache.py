"""A small SQLite cache of token counts keyed by (encoding, content hash).

Re-packing an unchanged repository then tokenizes nothing. The cache is an
optimisation only: if the database cannot be opened or written, ctx counts
without it and says so once through `warning`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import platformdirs

_SCHEMA = """
CREATE TABLE IF NOT EXISTS token_counts (
    encoding TEXT NOT NULL,
    digest BLOB NOT NULL,
    tokens INTEGER NOT NULL,
    PRIMARY KEY (encoding, digest)
) WITHOUT ROWID
"""
_CHUNK = 500  # stays under SQLite's bound-parameter limit


def default_cache_dir() -> Path:
    """ctx's cache folder: `$XDG_CACHE_HOME/ctx` on Linux, the platform's user cache elsewhere."""
    return platformdirs.user_cache_path("ctx", appauthor=False)


class TokenCache:
    """Token counts remembered across runs; failures degrade to 'no cache' with one warning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warning: str | None = None
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    def get_many(self, encoding: str, digests: Iterable[bytes]) -> dict[bytes, int]:
        """The counts already known for these digests (absent ones are left out)."""
        found: dict[bytes, int] = {}
        wanted = sorted(set(digests))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT digest, tokens FROM token_counts WHERE encoding = ? AND digest IN ({marks})"
            for digest, tokens in self._query(sql, [encoding, *chunk]):
                found[bytes(digest)] = int(tokens)
        return found

    def put_many(self, encoding: str, counts: Mapping[bytes, int]) -> None:
        """Remember counts; a write failure disables the cache for the rest of the run."""
        if self._db is None or not counts:
            return
        rows = [(encoding, digest, tokens) for digest, tokens in sorted(counts.items())]
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO token_counts VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._disable(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _query(self, sql: str, params: list[object]) -> list[tuple[bytes, int]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._disable(exc)
            return []

    def _disable(self, exc: Exception) -> None:
        self.warning = f"token cache at {self.path} unavailable ({exc}); counting without it"
        if self._db is not None:
            self._db.close()
        self._db = None
