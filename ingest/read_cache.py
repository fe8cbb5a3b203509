"""Results of reading files, remembered across runs so an unchanged file is not decoded or
scanned for secrets again.

A file is known unchanged the way git's index knows it: by path, size, modification
and change times (ns) and inode. As git does, a file modified in the last couple of
seconds is not remembered ("racily clean": a second change within the clock's
granularity could go unseen). The key also holds a digest of the reading code itself,
so a new ctx (or an edited one) never reuses an old result.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

from .documents import Document, Redaction, Skipped
from .store import SqliteStore, code_digest
from .walk import Candidate

_RACY_NS = 2_000_000_000
_COLUMNS = ["text TEXT", "encoding TEXT", "size INTEGER", "redactions TEXT", "skip TEXT"]


class ReadCache:
    """Documents (or skip reasons) by file stamp and reading options."""

    def __init__(self, path: Path) -> None:
        self._store = SqliteStore(path, _COLUMNS)
        self._now = time.time_ns()

    @property
    def warning(self) -> str | None:
        return self._store.warning

    def get_many(self, candidates: Sequence[Candidate], redact: bool) -> dict[str, Document | Skipped]:
        """Remembered results by candidate path; candidates never seen (or changed) are absent."""
        keys = {_key(c, redact): c for c in candidates}
        found: dict[str, Document | Skipped] = {}
        for key, (text, encoding, size, redactions, skip) in self._store.get_many(keys).items():
            path = keys[key].path
            found[path] = Skipped(path, skip) if skip is not None else _document(path, text, encoding, size, redactions)
        return found

    def put_many(self, results: Sequence[tuple[Candidate, Document | Skipped]], redact: bool) -> None:
        """Remember results, except for files changed too recently to trust their stamp."""
        rows = {_key(c, redact): _row(r) for c, r in results if self._now - c.mtime_ns > _RACY_NS}
        self._store.put_many(rows)

    def close(self) -> None:
        self._store.close()


def _key(candidate: Candidate, redact: bool) -> bytes:
    c = candidate
    material = f"{_code_digest()}|{redact:d}{c.explicit:d}|{c.size}|{c.mtime_ns}|{c.ctime_ns}|{c.inode}|{c.abspath}"
    return hashlib.blake2b(material.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _row(result: Document | Skipped) -> tuple[object, ...]:
    if isinstance(result, Skipped):
        return (None, None, None, None, result.reason)
    redactions = json.dumps([[r.kind, r.line] for r in result.redactions])
    return (result.text, result.encoding, result.size, redactions, None)


def _document(path: str, text: str, encoding: str, size: int, redactions: str) -> Document:
    found = () if redactions == "[]" else tuple(Redaction(kind, line) for kind, line in json.loads(redactions))
    return Document(path, text, size, encoding, found)


@functools.cache
def _code_digest() -> str:
    """A digest of the modules whose behaviour decides a file's result."""
    here = Path(__file__).parent
    return code_digest(*(here / name for name in ("read.py", "decode.py", "content.py", "redact.py", "documents.py")))
