"""ingest: turn sources (a folder, a git URL) into clean, redacted documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .documents import Corpus, Document, Redaction, Skipped, Source
from .errors import BudgetError, CtxError, GitError, SourceError, TokenizerError
from .injection import find_injections
from .read import ProgressFn, ReadOptions, read_documents
from .read_cache import ReadCache
from .source import resolve_source
from .walk import walk

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "BudgetError",
    "Corpus",
    "CtxError",
    "Document",
    "GitError",
    "ProgressFn",
    "ReadCache",
    "Redaction",
    "Selection",
    "Skipped",
    "Source",
    "SourceError",
    "TokenizerError",
    "collect",
    "find_injections",
    "resolve_source",
]

DEFAULT_MAX_FILE_SIZE = 1_000_000  # bytes; a bigger text file is skipped with a hint


@dataclass(frozen=True)
class Selection:
    """Which files to take from a source, and how to clean them."""

    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    default_ignores: bool = True
    redact: bool = True
    max_total_size: int | None = None  # bytes of all selected files together; a bigger source is refused


def _check_total_size(paths_and_sizes: list[tuple[str, int]], limit: int | None, label: str) -> None:
    """Refuse a source whose selected files together pass `limit` bytes, before any is read."""
    total = sum(size for _, size in paths_and_sizes)
    if limit is not None and total > limit:
        raise SourceError(
            f"{label} has {len(paths_and_sizes):,} files of {total / 1e6:,.1f} MB, over the limit of {limit / 1e6:,.1f} MB",
            source=label,
            hint="narrow it with subpath or include/exclude patterns",
        )


def collect(
    source: Source,
    selection: Selection = Selection(),
    progress: ProgressFn | None = None,
    cache: ReadCache | None = None,
) -> Corpus:
    """Walk `source` and read every selected file; what could not be read is listed in `skipped`.

    With a `cache`, files unchanged since an earlier run are not decoded or scanned again.
    """
    walked = walk(
        source.root,
        includes=selection.includes,
        excludes=selection.excludes,
        max_file_size=selection.max_file_size,
        default_ignores=selection.default_ignores,
    )
    _check_total_size([(c.path, c.size) for c in walked.candidates], selection.max_total_size, source.label)
    documents, unreadable = read_documents(walked.candidates, ReadOptions(redact=selection.redact), progress, cache)
    skipped = sorted([*walked.skipped, *unreadable], key=lambda s: s.path)
    return Corpus(source=source, documents=tuple(documents), skipped=tuple(skipped), ignored=walked.ignored)
