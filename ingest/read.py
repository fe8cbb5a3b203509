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
from .read_cache import ReadCache
from .walk import Candidate

ProgressFn = Callable[[str, int, int], None]
"""Called as (stage, done, total) while long work runs; adapters draw the bar."""


_UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ReadOptions:
    redact: bool = True


def read_documents(
    candidates: Sequence[Candidate],
    options: ReadOptions,
    progress: ProgressFn | None = None,
    cache: ReadCache | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Documents and skipped files, both in the order of `candidates`; unchanged files come from `cache`."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    known = cache.get_many(candidates, options.redact) if cache is not None else {}
    fresh: list[tuple[Candidate, Document | Skipped]] = []
    for done, candidate in enumerate(candidates, start=1):
        result = known.get(candidate.path)
        if result is None:
            result = _read_one(candidate, options)
            if not _transient(result):
                fresh.append((candidate, result))
        if isinstance(result, Document):
            documents.append(result)
        else:
            skipped.append(result)
        if progress is not None and (done % 64 == 0 or done == len(candidates)):
            progress("read", done, len(candidates))
    if cache is not None:
        cache.put_many(fresh, options.redact)
    return documents, skipped


def _transient(result: Document | Skipped) -> bool:
    """An unreadable file may be readable next time without its stamp changing: never remembered."""
    return isinstance(result, Skipped) and result.reason.startswith(_UNREADABLE)


def _read_one(candidate: Candidate, options: ReadOptions) -> Document | Skipped:
    try:
        with open(candidate.abspath, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        why = exc.strerror.lower() if exc.strerror else exc.__class__.__name__
        return Skipped(candidate.path, f"{_UNREADABLE} ({why})")
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
