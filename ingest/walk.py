"""Walk a folder the way git would see it: sorted, pruned, never leaving the root.

The walk only looks (lstat, readdir); it opens no file, so a FIFO or a device
never blocks it. Everything it declines to read but a user might expect is
reported as `Skipped` with a reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from .documents import Skipped
from .ignore import IgnoreRules


@dataclass(frozen=True)
class Candidate:
    """A regular file inside the root that passed the rules; `explicit` if `--include` named it."""

    path: str
    abspath: str
    size: int
    explicit: bool = False
    mtime_ns: int = 0
    ctime_ns: int = 0
    inode: int = 0


@dataclass(frozen=True)
class WalkResult:
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skipped, ...]
    ignored: int


@dataclass
class _Walk:
    """Mutable state of one walk; lives only inside `walk`."""

    root: Path
    rules: IgnoreRules
    includes: pathspec.GitIgnoreSpec | None
    max_file_size: int
    candidates: list[Candidate]
    skipped: list[Skipped]
    ignored: int = 0

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(Skipped(_printable(path), reason))


def walk(
    root: Path,
    *,
    includes: Sequence[str] = (),
    excludes: Sequence[str] = (),
    max_file_size: int,
    default_ignores: bool = True,
) -> WalkResult:
    """Every file under `root` that the rules keep, in sorted path order."""
    root = root.resolve()
    state = _Walk(
        root=root,
        rules=IgnoreRules(root, excludes=excludes, defaults=default_ignores),
        includes=pathspec.GitIgnoreSpec.from_lines(includes) if includes else None,
        max_file_size=max_file_size,
        candidates=[],
        skipped=[],
    )
    _walk_folder(state, "")
    return WalkResult(tuple(state.candidates), tuple(state.skipped), state.ignored)


def _walk_folder(state: _Walk, folder: str) -> None:
    """Depth-first over one folder; entries sorted by name so output never depends on the file system."""
    directory = os.path.join(state.root, folder) if folder else str(state.root)
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as exc:
        state.skip(folder or ".", f"unreadable folder ({_why(exc)})")
        return
    state.rules.load(folder, {entry.name for entry in entries})
    for entry in entries:
        path = f"{folder}/{entry.name}" if folder else entry.name
        _visit(state, entry, path)


def _visit(state: _Walk, entry: os.DirEntry[str], path: str) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        state.skip(path, f"unreadable ({_why(exc)})")
        return
    if stat.S_ISLNK(info.st_mode):
        _visit_symlink(state, entry, path)
    elif stat.S_ISDIR(info.st_mode):
        _visit_folder(state, entry, path)
    elif stat.S_ISREG(info.st_mode):
        _visit_file(state, entry.path, path, info)
    elif not state.rules.ignored(path, is_dir=False):
        state.skip(path, "not a regular file (FIFO, socket or device)")


def _visit_folder(state: _Walk, entry: os.DirEntry[str], path: str) -> None:
    """Enter a folder unless a rule ignores it; virtualenvs go by any name, `pyvenv.cfg` gives them away."""
    if state.rules.ignored(path, is_dir=True) or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
        state.ignored += 1
        return
    _walk_folder(state, path)


def _visit_file(state: _Walk, abspath: str, path: str, info: os.stat_result) -> None:
    explicit = state.includes is not None and bool(state.includes.match_file(path))
    if state.includes is not None and not explicit:
        state.ignored += 1
        return
    if state.rules.ignored(path, is_dir=False, explicit=explicit):
        state.ignored += 1
        return
    if info.st_size > state.max_file_size:
        reason = f"too large ({info.st_size:,} bytes > {state.max_file_size:,}; raise --max-file-size to include it)"
        state.skip(path, reason)
        return
    stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    state.candidates.append(Candidate(_printable(path), abspath, info.st_size, explicit, *stamp))


def _visit_symlink(state: _Walk, entry: os.DirEntry[str], path: str) -> None:
    """Symlinks are followed only to regular files inside the root; folders are reached by their real path."""
    if state.rules.ignored(path, is_dir=False):
        state.ignored += 1
        return
    link = Path(entry.path)
    try:
        target = link.resolve(strict=True)
        info = target.stat()
    except (OSError, RuntimeError):
        state.skip(path, "broken symlink or symlink loop")
        return
    if not target.is_relative_to(state.root):
        state.skip(path, "symlink to outside the root (not followed)")
    elif stat.S_ISDIR(info.st_mode):
        state.skip(path, "symlink to a folder (not followed; its real path is packed)")
    elif stat.S_ISREG(info.st_mode):
        _visit_file(state, str(target), path, info)
    else:
        state.skip(path, "symlink to a FIFO, socket or device")


def _printable(path: str) -> str:
    """A path as shown in output: names that are not valid UTF-8 get their bad bytes escaped
    (\\xff), as git quotes them, instead of breaking the UTF-8 output."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else exc.__class__.__name__
