"""The walk: git's ignore semantics, default rules, symlinks and special files."""

from __future__ import annotations

import os
from pathlib import Path

import git

from ingest.walk import walk
from tests.conftest import write


def paths(root: Path, **kwargs: object) -> list[str]:
    kwargs.setdefault("max_file_size", 1_000_000)
    return [c.path for c in walk(root, **kwargs).candidates]  # type: ignore[arg-type]


def test_nested_gitignores_with_negations_follow_git(sample_repo: Path) -> None:
    found = paths(sample_repo)
    assert "keep.log" in found and "debug.log" not in found
    assert "src/sample/generated_keep.py" in found and "src/sample/generated_x.py" not in found
    assert not any(p.startswith("build/") for p in found)


def test_selection_matches_git_ls_files(sample_repo: Path) -> None:
    """Apart from ctx's default rules, the walk keeps exactly what git would."""
    tracked = git.Repo(sample_repo).git.ls_files("--cached", "--others", "--exclude-standard").splitlines()
    assert sorted(paths(sample_repo, default_ignores=False)) == sorted(tracked)


def test_default_rules_drop_lock_files_media_and_binaries(sample_repo: Path) -> None:
    found = paths(sample_repo)
    for name in ("package-lock.json", "logo.svg", ".git/HEAD"):
        assert name not in found


def test_repository_negation_beats_default_rules(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "!logo.svg\n", "logo.svg": "<svg/>\n", "a.py": "x = 1\n"})
    assert paths(tmp_path) == [".gitignore", "a.py", "logo.svg"]


def test_negation_cannot_reinclude_inside_an_ignored_folder(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "out/\n!out/keep.txt\n", "out/keep.txt": "x\n", "a.txt": "a\n"})
    assert paths(tmp_path) == [".gitignore", "a.txt"]


def test_git_info_exclude_and_ctxignore(tmp_path: Path) -> None:
    git.Repo.init(tmp_path)
    write(tmp_path, {"a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n", ".ctxignore": "c.txt\n"})
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("b.txt\n", encoding="utf-8")
    assert paths(tmp_path) == [".ctxignore", "a.txt"]


def test_ctxignore_outranks_gitignore_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "*.txt\n", ".ctxignore": "!keep.txt\n", "keep.txt": "k\n", "drop.txt": "d\n"})
    assert paths(tmp_path) == [".ctxignore", ".gitignore", "keep.txt"]


def test_parent_gitignore_applies_when_packing_a_subfolder(tmp_path: Path) -> None:
    git.Repo.init(tmp_path)
    write(tmp_path, {".gitignore": "*.tmp\nsub/private/\n", "sub/a.py": "a\n", "sub/b.tmp": "b\n", "sub/private/c.py": "c\n"})
    assert paths(tmp_path / "sub") == ["a.py"]


def test_gitignore_rules_do_not_leak_into_sibling_folders(tmp_path: Path) -> None:
    write(tmp_path, {"a/.gitignore": "*.txt\n", "a/x.txt": "x\n", "b/y.txt": "y\n"})
    assert paths(tmp_path) == ["a/.gitignore", "b/y.txt"]


def test_include_and_exclude_globs(sample_repo: Path) -> None:
    assert paths(sample_repo, includes=["*.py"], excludes=["tests/"]) == [
        "src/sample/__init__.py",
        "src/sample/config.py",
        "src/sample/core.py",
        "src/sample/generated_keep.py",
    ]


def test_include_brings_back_a_default_ignored_file(sample_repo: Path) -> None:
    assert paths(sample_repo, includes=["*.svg"]) == ["logo.svg"]


def test_max_file_size_skips_with_a_hint(tmp_path: Path) -> None:
    write(tmp_path, {"big.txt": "x" * 2000, "small.txt": "y\n"})
    result = walk(tmp_path, max_file_size=1000)
    assert [c.path for c in result.candidates] == ["small.txt"]
    assert result.skipped[0].path == "big.txt"
    assert "--max-file-size" in result.skipped[0].reason


def test_symlinks_never_leave_the_root(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"secret.txt": "outside\n"})
    root = write(tmp_path / "root", {"a.txt": "a\n", "sub/b.txt": "b\n"})
    os.symlink(outside / "secret.txt", root / "escape.txt")
    os.symlink(outside, root / "escape_dir")
    os.symlink(root / "a.txt", root / "alias.txt")
    os.symlink(root / "sub", root / "sub_alias")
    os.symlink(root / "loop", root / "loop")
    os.symlink(root / "missing", root / "dangling")
    result = walk(root, max_file_size=1000)
    assert [c.path for c in result.candidates] == ["a.txt", "alias.txt", "sub/b.txt"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert "outside the root" in reasons["escape.txt"]
    assert "outside the root" in reasons["escape_dir"]
    assert "symlink to a folder" in reasons["sub_alias"]
    assert "broken symlink" in reasons["loop"] and "broken symlink" in reasons["dangling"]


def test_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "a\n"})
    os.mkfifo(tmp_path / "pipe")
    result = walk(tmp_path, max_file_size=1000)
    assert [c.path for c in result.candidates] == ["a.txt"]
    assert result.skipped[0].path == "pipe" and "FIFO" in result.skipped[0].reason


def test_unreadable_folder_is_skipped_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "a\n", "locked/b.txt": "b\n"})
    (tmp_path / "locked").chmod(0)
    try:
        result = walk(tmp_path, max_file_size=1000)
    finally:
        (tmp_path / "locked").chmod(0o755)
    if os.geteuid() == 0:  # root reads anything; the folder is simply walked
        assert [c.path for c in result.candidates] == ["a.txt", "locked/b.txt"]
    else:
        assert result.skipped[0].path == "locked" and "unreadable" in result.skipped[0].reason


def test_virtualenvs_are_ignored_by_their_marker(tmp_path: Path) -> None:
    write(tmp_path, {"myenv/pyvenv.cfg": "home = /usr\n", "myenv/lib/x.py": "x\n", "a.py": "a\n"})
    assert paths(tmp_path) == ["a.py"]


def test_file_names_that_are_not_utf8_are_escaped_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"\xff\xfe-bad.txt"), "wb") as handle:
        handle.write(b"hello\n")
    result = walk(tmp_path, max_file_size=1000)
    assert [c.path for c in result.candidates] == ["ok.py", "\\xff\\xfe-bad.txt"]
    with open(result.candidates[1].abspath, "rb") as handle:
        assert handle.read() == b"hello\n"
