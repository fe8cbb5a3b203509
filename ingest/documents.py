"""The records that flow out of `ingest`: documents, skipped files, the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Redaction:
    """One secret replaced by a marker: its kind (e.g. ``aws-access-key``) and 1-based line."""

    kind: str
    line: int


@dataclass(frozen=True)
class Document:
    """One text file, decoded and redacted; `path` is POSIX and relative to the source root."""

    path: str
    text: str
    size: int
    encoding: str = "utf-8"
    redactions: tuple[Redaction, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file that would have been packed but was not, and why (shown to the user)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Source:
    """A resolved source: the local folder to read, and what to call it in output."""

    root: Path
    label: str
    ref: str | None = None
    commit: str | None = None


@dataclass(frozen=True)
class Corpus:
    """Everything ingest produced for one source, in deterministic path order."""

    source: Source
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...] = field(default=())
    ignored: int = 0
