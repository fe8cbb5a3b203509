"""Which paths to leave out, with git's own precedence.

Git reads, from highest to lowest precedence: the `.gitignore` nearest the path
(deeper files override shallower ones; within a file the last matching line
wins, `!` re-includes), then `.git/info/exclude`. ctx adds `.ctxignore` files
(same syntax, above `.gitignore` in the same folder), the user's `--exclude`
globs (above everything) and its default rules (below everything, so a
repository's own `!negation` can bring a default-ignored file back).
Folders that are ignored are never entered, exactly as git does, so a negation
cannot resurrect a file inside an ignored folder.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import pathspec

IGNORE_FILES = (".ctxignore", ".gitignore")

# Version-control metadata: never packed, whatever any rule says.
ALWAYS = (".git", ".hg/", ".svn/", ".bzr/")
# Folders that are never source: dependencies, caches, build output.
DEFAULT_DIRS = (
    "node_modules/", "bower_components/", "jspm_packages/",
    "__pycache__/", ".venv/", "venv/", ".tox/", ".nox/", ".mypy_cache/", ".pytest_cache/",
    ".ruff_cache/", ".hypothesis/", ".eggs/", "*.egg-info/", "dist/", "build/", "target/",
    ".next/", ".nuxt/", ".svelte-kit/", ".turbo/", ".parcel-cache/", ".cache/", "coverage/",
    "htmlcov/", ".idea/", ".vscode/", ".gradle/", "vendor/", ".terraform/",
)
# Files that cost many tokens and tell a model little: lock files, media, binaries, archives.
DEFAULT_FILES = (
    ".DS_Store", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
    "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "Cargo.lock", "composer.lock",
    "Gemfile.lock", "go.sum", "flake.lock", "mix.lock", "pubspec.lock", "Podfile.lock", "bun.lock", "Package.resolved",
    "packages.lock.json", "gradle.lockfile",
    "*.min.js", "*.min.css", "*.map", "*.svg", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp",
    "*.ico", "*.webp", "*.tif", "*.tiff", "*.psd", "*.ai", "*.eps", "*.heic", "*.avif",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot", "*.mp3", "*.mp4", "*.wav", "*.ogg",
    "*.flac", "*.avi", "*.mov", "*.mkv", "*.webm", "*.zip", "*.tar", "*.gz", "*.tgz",
    "*.bz2", "*.xz", "*.zst", "*.7z", "*.rar", "*.jar", "*.war", "*.whl", "*.egg",
    "*.pyc", "*.pyo", "*.pyd", "*.so", "*.dll", "*.dylib", "*.exe", "*.o", "*.a", "*.lib",
    "*.class", "*.wasm", "*.pdf", "*.doc", "*.docx", "*.xls", "*.xlsx", "*.ppt", "*.pptx",
    "*.sqlite", "*.sqlite3", "*.db", "*.pt", "*.pth", "*.onnx", "*.safetensors", "*.ckpt",
    "*.h5", "*.pkl", "*.pickle", "*.npy", "*.npz", "*.parquet", "*.feather", "*.avro",
    "*.iso", "*.dmg", "*.bin", "*.dat",
)


class _DefaultRules:
    """ctx's default rules as set look-ups: they are plain names and `*.suffix` globs, and a
    walk asks about every path, so matching ~170 globs one by one would dominate it."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.dir_names = {p[:-1] for p in patterns if p.endswith("/") and "*" not in p}
        self.dir_suffixes = tuple(p[1:-1] for p in patterns if p.endswith("/") and p.startswith("*"))
        self.file_names = {p for p in patterns if not p.endswith("/") and "*" not in p}
        self.file_suffixes = tuple(p[1:].lower() for p in patterns if p.startswith("*.") and not p.endswith("/"))

    def match(self, path: str, *, is_dir: bool) -> bool:
        name = path.rpartition("/")[2]
        if is_dir:
            return name in self.dir_names or name.endswith(self.dir_suffixes)
        return name in self.file_names or name.lower().endswith(self.file_suffixes)


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read_lines(path: Path) -> list[str]:
    """An ignore file's lines; an unreadable one counts as empty (git does the same)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def find_git_root(folder: Path) -> Path | None:
    """The work tree that contains `folder` (itself included), found by its `.git` entry."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class IgnoreRules:
    """Answers 'is this path left out?' for paths relative to the packed root.

    Rules are keyed by folder relative to an *anchor*: the git work tree that
    contains the root (so a parent folder's `.gitignore` applies, as in git), or
    the root itself. `load(folder)` must be called for each folder as the walk
    enters it, parents first.
    """

    def __init__(self, root: Path, *, excludes: Sequence[str] = (), defaults: bool = True) -> None:
        git_root = find_git_root(root)
        self._anchor = git_root or root
        self._prefix = "" if git_root is None else root.relative_to(git_root).as_posix()
        self._prefix = "" if self._prefix == "." else self._prefix
        self._excludes = _spec([*ALWAYS, *excludes])
        self._defaults = _DefaultRules([*DEFAULT_DIRS, *DEFAULT_FILES] if defaults else [])
        self._info_exclude = _spec(_read_lines(self._anchor / ".git" / "info" / "exclude"))
        self._by_folder: dict[str, list[pathspec.GitIgnoreSpec]] = {}
        for parent in self._parents_of_root():
            self._load_anchor_relative(parent)

    def load(self, folder: str, names: Collection[str] = IGNORE_FILES) -> None:
        """Read the ignore files of `folder` (relative to the root; '' for the root).

        `names` are the entries the walk saw there, so absent ignore files cost no system call.
        """
        self._load_anchor_relative(self._anchored(folder), names)

    def ignored(self, path: str, *, is_dir: bool, explicit: bool = False) -> bool:
        """True when `path` (relative to the root, POSIX) is left out.

        `explicit` marks a path the user asked for by `--include`: default rules
        then do not apply, the repository's own rules and `--exclude` still do.
        """
        full = self._anchored(path)
        probe = full + "/" if is_dir else full
        if self._excludes.check_file(path + "/" if is_dir else path).include:
            return True
        decision = self._repository_decision(full, probe)
        if decision is not None:
            return decision
        return not explicit and self._defaults.match(path, is_dir=is_dir)

    def _repository_decision(self, full: str, probe: str) -> bool | None:
        """The nearest ignore file with an opinion decides; then `.git/info/exclude`."""
        folder = full.rpartition("/")[0]
        while True:
            for spec in self._by_folder.get(folder, ()):
                rel = probe[len(folder) + 1 :] if folder else probe
                verdict = spec.check_file(rel).include
                if verdict is not None:
                    return verdict
            if not folder:
                break
            folder = folder.rpartition("/")[0]
        return self._info_exclude.check_file(probe).include

    def _anchored(self, path: str) -> str:
        if not self._prefix:
            return path
        return f"{self._prefix}/{path}" if path else self._prefix

    def _parents_of_root(self) -> list[str]:
        """Folders from the anchor down to (not including) the root, whose ignore files apply too."""
        if not self._prefix:
            return []
        parts = self._prefix.split("/")
        return ["/".join(parts[:i]) for i in range(len(parts))]

    def _load_anchor_relative(self, folder: str, names: Collection[str] = IGNORE_FILES) -> None:
        base = self._anchor / folder if folder else self._anchor
        present = [name for name in IGNORE_FILES if name in names]
        specs = [_spec(lines) for name in present if (lines := _read_lines(base / name))]
        if specs:
            self._by_folder[folder] = specs
