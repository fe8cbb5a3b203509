"""Structural priority: what a reader needs first when not everything fits.

Tiers, best first: 0 README and docs; 1 manifests and entry points; 2 source;
3 tests, fixtures, examples, benchmarks; 4 changelogs, licences and other
bulk. Within a tier, shallower paths come first, then path order, so the
order is total and never depends on the file system.

A budget is filled by weighted fair queuing over the tiers (`fill_order`): the
first file of each tier comes first, in tier order, and then each tier
advances in proportion to its weight, so a large docs folder cannot crowd all
the source out of a small budget, and source gets the largest share.
"""

from __future__ import annotations

from collections.abc import Sequence

DOCS, MANIFEST, SOURCE, TESTS, BULK = range(5)
TIER_NAMES = ("README and docs", "manifest or entry point", "source", "tests and examples", "changelog, licence or other")

_DOC_SUFFIXES = (".md", ".mdx", ".rst", ".txt", ".adoc", ".markdown")
_DOC_DIRS = {"doc", "docs", "documentation", "guide", "guides", "manual"}
_MANIFESTS = {
    "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "package.json", "tsconfig.json",
    "cargo.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle",
    "cmakelists.txt", "makefile", "dockerfile", "gemfile", "composer.json", "mix.exs",
    "meson.build", "build.zig", "deno.json", "pubspec.yaml", "environment.yml", "tox.ini",
    "manifest.in", "justfile", "docker-compose.yml", "compose.yaml",
}
_ENTRY_POINTS = {
    "__main__.py", "main.py", "cli.py", "app.py", "manage.py", "wsgi.py", "asgi.py", "main.go",
    "main.rs", "lib.rs", "index.js", "index.ts", "index.mjs", "main.js", "main.ts", "main.c",
    "main.cpp", "main.java", "application.java", "program.cs",
}
_TEST_DIRS = {
    "test", "tests", "testing", "__tests__", "spec", "specs", "fixtures", "fixture", "testdata",
    "test_data", "examples", "example", "samples", "sample", "bench", "benches", "benchmark",
    "benchmarks", "e2e", "integration", "__mocks__", "mocks",
}
_BULK_PREFIXES = ("changelog", "changes", "history", "news", "license", "licence", "copying", "notice",
                  "authors", "contributors", "code_of_conduct", "releasenotes", "release-notes", "pkg-info")
_BULK_DIRS = {"changelogs", "changes", "licenses", "licences", "legal", "news", "release-notes"}


def tier(path: str) -> int:
    """The priority tier of a POSIX path (lower is more important)."""
    *parents, name = path.lower().split("/")
    folders = set(parents)
    depth = len(parents) + 1
    if name.startswith(_BULK_PREFIXES) or folders & _BULK_DIRS:
        return BULK
    if folders & _TEST_DIRS or _is_test_file(name):
        return TESTS
    if _is_manifest(name, depth) or _is_entry_point(name, depth):
        return MANIFEST
    if (name.startswith("readme") or name.endswith(_DOC_SUFFIXES)) and _is_doc(name, depth, folders):
        return DOCS
    return SOURCE


def _main_folders_first(paths: Sequence[str]) -> list[int]:
    """Indexes in priority order, where within a tier the top-level folder holding most of that
    tier's files comes first (the main package before packaging scripts), top-level files before all."""
    counts: dict[tuple[int, str], int] = {}
    for path in paths:
        group = (tier(path), path.split("/", 1)[0] if "/" in path else "")
        counts[group] = counts.get(group, 0) + 1

    def key(index: int) -> tuple[int, int, int, str, int, str]:
        path = paths[index]
        level, depth = tier(path), path.count("/")
        folder = path.split("/", 1)[0] if depth else ""
        return level, min(depth, 1), -counts[(level, folder)], folder, depth, path

    return sorted(range(len(paths)), key=key)


WEIGHTS = {DOCS: 2.0, MANIFEST: 1.0, SOURCE: 4.0, TESTS: 1.0, BULK: 1.0}


def fill_order(items: Sequence[tuple[str, int]]) -> list[int]:
    """Indexes of `(path, tokens)` items in the order a budget should take them.

    Each item's key is the tokens its tier has placed before it divided by the
    tier's weight; ties go to the better tier, then priority order. Bulk (changelogs,
    licences) only follows everything else.
    """
    ranked = _main_folders_first([path for path, _ in items])
    spent = dict.fromkeys(WEIGHTS, 0)
    keys: list[tuple[bool, float, int, int]] = []
    for position, index in enumerate(ranked):
        path, tokens = items[index]
        level = tier(path)
        keys.append((level == BULK, spent[level] / WEIGHTS[level], level, position))
        spent[level] += tokens
    return [ranked[position] for *_, position in sorted(keys)]


def _is_doc(name: str, depth: int, folders: set[str]) -> bool:
    """Prose near the top or under a docs folder; a README deep in the source tree is a template, not docs."""
    if folders & _DOC_DIRS:
        return True
    if name.startswith("readme"):
        return depth <= 2
    return depth == 1 or (not name.endswith(".txt") and depth <= 2)


def _is_manifest(name: str, depth: int) -> bool:
    """Build and dependency manifests at the top (or one folder down, for monorepos)."""
    return depth <= 2 and (name in _MANIFESTS or (name.startswith("requirements") and name.endswith(".txt")))


def _is_entry_point(name: str, depth: int) -> bool:
    """Entry points near the top (a package's `__init__.py` at depth <= 2 counts)."""
    return (name in _ENTRY_POINTS and depth <= 3) or (name == "__init__.py" and depth <= 2)


def _is_test_file(name: str) -> bool:
    stem = name.split(".")[0]
    return (
        stem.startswith("test_")
        or stem.endswith(("_test", "_tests", "_spec"))
        or ".test." in name
        or ".spec." in name
        or name == "conftest.py"
    )
