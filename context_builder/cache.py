"""Token counts remembered across runs, keyed by (encoding, content hash).

Re-packing an unchanged repository then tokenizes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from ingest.store import SqliteStore, default_cache_dir


class TokenCache:
    """Counts by (encoding, content digest); backed by a store that degrades to 'no cache' on failure."""

    def __init__(self, path: Path) -> None:
        self._store = SqliteStore(path, ["tokens INTEGER NOT NULL"])

    @property
    def warning(self) -> str | None:
        return self._store.warning

    def get_many(self, encoding: str, digests: Iterable[bytes]) -> dict[bytes, int]:
        """The counts already known for these digests (absent ones are left out)."""
        keys = {_key(encoding, d): d for d in digests}
        return {keys[k]: int(row[0]) for k, row in self._store.get_many(keys).items()}

    def put_many(self, encoding: str, counts: Mapping[bytes, int]) -> None:
        self._store.put_many({_key(encoding, d): (n,) for d, n in counts.items()})

    def close(self) -> None:
        self._store.close()


def _key(encoding: str, digest: bytes) -> bytes:
    return hashlib.blake2b(digest, digest_size=16, person=encoding.encode()[:16]).digest()


__all__ = ["TokenCache", "default_cache_dir"]
