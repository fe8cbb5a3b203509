"""Read walked files into Documents: decode, drop junk, redact secrets.

One file after another, in walk order: the work is mostly pure Python (decode
checks, junk heuristics, redaction), and a thread pool measured 2x slower here
(GIL contention) than this plain loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .content import junk_reason
from .decode import NotText, decode
from .documents import Document, Redaction, Skipped
from .redact import redact
from .walk import Candidate

ProgressFn = Callable[[str, int, int], None]
"""Called as (stage, done, total) while long work runs; adapters draw the bar."""


@dataclass(frozen=True)
class ReadOptions:
    redact: bool = True


def read_documents(
    candidates: Sequence[Candidate],
    options: ReadOptions,
    progress: ProgressFn | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Documents and skipped files, both in the order of `candidates`."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for done, candidate in enumerate(candidates, start=1):
        result = _read_one(candidate, options)
        if isinstance(result, Document):
            documents.append(result)
        else:
            skipped.append(result)
        if progress is not None and (done % 64 == 0 or done == len(candidates)):
            progress("read", done, len(candidates))
    return documents, skipped


def _read_one(candidate: Candidate, options: ReadOptions) -> Document | Skipped:
    try:
        data = candidate.abspath.read_bytes()
    except OSError as exc:
        why = exc.strerror.lower() if exc.strerror else exc.__class__.__name__
        return Skipped(candidate.path, f"unreadable ({why})")
    try:
        text, encoding = decode(data)
    except NotText as exc:
        return Skipped(candidate.path, exc.reason)
    junk = None if candidate.explicit else junk_reason(candidate.path, text)
    if junk is not None:
        return Skipped(candidate.path, f"{junk} (name it with --include to pack it anyway)")
    redactions: tuple[Redaction, ...] = ()
    if options.redact:
        text, redactions = redact(text)
    return Document(candidate.path, text, len(data), encoding, redactions)
