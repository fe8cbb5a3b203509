"""The compact directory tree: two spaces per level, folders end in '/'.

The same layout as Repomix's, so it costs no more tokens per entry; folders come
before files, each group in name order. Deep folders can be collapsed into one
line ('name/ (N files)') so that a large repository's tree fits a budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class _Folder:
    folders: dict[str, _Folder] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    file_count: int = 0
    tokens: int = 0


def _build(paths: Iterable[str], counts: Mapping[str, int]) -> _Folder:
    root = _Folder()
    for path in paths:
        *parents, name = path.split("/")
        folder = root
        folder.file_count += 1
        folder.tokens += counts.get(path, 0)
        for part in parents:
            folder = folder.folders.setdefault(part, _Folder())
            folder.file_count += 1
            folder.tokens += counts.get(path, 0)
        folder.files.append(name)
    return root


class Tree:
    """The tree of some paths, built once and rendered at any depth (to find one that fits a budget)."""

    def __init__(self, paths: Iterable[str], counts: Mapping[str, int] | None = None) -> None:
        paths = list(paths)
        self._root = _build(paths, counts or {})
        self._counts = counts
        self.depth = max((path.count("/") for path in paths), default=0)

    def render(self, max_depth: int | None = None) -> str:
        """Folders deeper than `max_depth` (0 = only top-level entries) are collapsed to one line."""
        lines: list[str] = []
        _render(self._root, "", 0, lines, self._counts, max_depth)
        return "\n".join(lines)


def render_tree(paths: Iterable[str], *, counts: Mapping[str, int] | None = None) -> str:
    """The whole tree of `paths`; with `counts`, each line ends with its token count."""
    return Tree(paths, counts).render()


def _render(
    folder: _Folder,
    path: str,
    depth: int,
    lines: list[str],
    counts: Mapping[str, int] | None,
    max_depth: int | None,
) -> None:
    indent = "  " * depth
    for name in sorted(folder.folders):
        child = folder.folders[name]
        if max_depth is not None and depth >= max_depth:
            lines.append(f"{indent}{name}/ ({child.file_count} files{_tokens(child.tokens, counts)})")
            continue
        suffix = f" ({child.tokens:,})" if counts is not None else ""
        lines.append(f"{indent}{name}/{suffix}")
        _render(child, f"{path}{name}/", depth + 1, lines, counts, max_depth)
    for name in sorted(folder.files):
        suffix = f" ({counts.get(path + name, 0):,})" if counts is not None else ""
        lines.append(f"{indent}{name}{suffix}")


def _tokens(tokens: int, counts: Mapping[str, int] | None) -> str:
    return f", {tokens:,} tokens" if counts is not None else ""
