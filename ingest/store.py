"""A small SQLite key-value store for ctx's caches, which must never break a run.

Every cache is an optimisation only: if its database cannot be opened, read or
written, the run goes on without it and `warning` says so once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import platformdirs

_CHUNK = 500  # stays under SQLite's bound-parameter limit


def code_digest(*files: Path) -> str:
    """A digest of source files whose behaviour decides a cached result, so that a new (or an
    edited) ctx never reuses what an older one computed."""
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def text_digest(text: str) -> bytes:
    """A text's content hash, the key under which ctx's caches remember what they computed from it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def default_cache_dir() -> Path:
    """ctx's cache folder: `$XDG_CACHE_HOME/ctx` on Linux, the platform's user cache elsewhere."""
    return platformdirs.user_cache_path("ctx", appauthor=False)


class SqliteStore:
    """One table `rows(key BLOB PRIMARY KEY, <columns>)`; failures disable the store, with a warning."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.warning: str | None = None
        self._columns = tuple(columns)
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            schema = ", ".join(["key BLOB PRIMARY KEY", *self._columns])
            self._db.execute(f"CREATE TABLE IF NOT EXISTS rows ({schema}) WITHOUT ROWID")
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, tuple[Any, ...]]:
        """The stored rows (without the key) for those keys that are present."""
        found: dict[bytes, tuple[Any, ...]] = {}
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"SELECT * FROM rows WHERE key IN ({','.join('?' * len(chunk))})"
            for key, *values in self._query(sql, chunk):
                found[bytes(key)] = tuple(values)
        return found

    def put_many(self, rows: dict[bytes, tuple[Any, ...]]) -> None:
        """Store rows (key → values); a write failure disables the store for the rest of the run."""
        if self._db is None or not rows:
            return
        marks = ",".join("?" * (len(self._columns) + 1))
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(f"INSERT OR REPLACE INTO rows VALUES ({marks})", [(k, *v) for k, v in sorted(rows.items())])
        except sqlite3.Error as exc:
            self._disable(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _query(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._disable(exc)
            return []

    def _disable(self, exc: Exception) -> None:
        self.warning = f"cache at {self.path} unavailable ({exc}); going on without it"
        if self._db is not None:
            self._db.close()
        self._db = None
