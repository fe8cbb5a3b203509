"""Tests for ingest.remote: cloning over file:// URLs to repositories built in tmp_path (no network)."""

from __future__ import annotations

import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import git
import pytest

from ingest.errors import GitError
from ingest.remote import clone, is_git_url

ACTOR = git.Actor("Test", "test@example.com")


@dataclass
class Remote:
    """A bare repository served over file://, and the working repo that pushes to it."""

    url: str
    bare: Path
    work: Path
    first: str  # main~1, tagged v1.0
    main: str
    dev: str


def _commit(repo: git.Repo, name: str, text: str) -> str:
    Path(repo.working_tree_dir, name).write_text(text)
    repo.index.add([name])
    return repo.index.commit(f"add {name}", author=ACTOR, committer=ACTOR).hexsha


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's git configuration out of the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    work, bare = tmp_path / "work", tmp_path / "project.git"
    with git.Repo.init(work, initial_branch="main") as repo:
        with repo.config_writer() as config:
            config.set_value("user", "name", "Test")
            config.set_value("user", "email", "test@example.com")
        first = _commit(repo, "a.txt", "one\n")
        repo.create_tag("v1.0", message="release 1.0")
        main = _commit(repo, "b.txt", "two\n")
        repo.create_head("dev", first).checkout()
        dev = _commit(repo, "dev.txt", "dev\n")
        repo.heads.main.checkout()
        git.Repo.clone_from(str(work), str(bare), bare=True).close()
    return Remote(bare.as_uri(), bare, work, first, main, dev)


def _entries(cache: Path) -> list[str]:
    """What the cache holds, minus the per-clone lock files."""
    return sorted(p.name for p in cache.iterdir() if p.suffix != ".lock")


def _push_commit(remote: Remote, name: str) -> str:
    with git.Repo(remote.work) as repo:
        sha = _commit(repo, name, "new\n")
        repo.git.push(str(remote.bare), "main")
    return sha


def test_default_branch(remote: Remote, tmp_path: Path) -> None:
    source = clone(remote.url, cache_dir=tmp_path / "cache")
    assert (source.ref, source.commit, source.label) == ("main", remote.main, "project")
    assert source.root.parent == tmp_path / "cache"
    assert sorted(p.name for p in source.root.iterdir()) == [".git", "a.txt", "b.txt"]


@pytest.mark.parametrize(
    ("ref", "expected", "files"),
    [("dev", "dev", {"a.txt", "dev.txt"}), ("v1.0", "first", {"a.txt"}), ("main", "main", {"a.txt", "b.txt"})],
)
def test_branch_and_tag(remote: Remote, tmp_path: Path, ref: str, expected: str, files: set[str]) -> None:
    source = clone(remote.url, ref=ref, cache_dir=tmp_path / "cache")
    assert (source.ref, source.commit) == (ref, getattr(remote, expected))
    assert {p.name for p in source.root.iterdir()} - {".git"} == files


def test_full_and_abbreviated_sha(remote: Remote, tmp_path: Path) -> None:
    full = clone(remote.url, ref=remote.first, cache_dir=tmp_path / "cache")
    assert (full.ref, full.commit) == (remote.first, remote.first)
    # Servers do not resolve abbreviations: ctx falls back to fetching all history and resolves it locally.
    short = clone(remote.url, ref=remote.dev[:8], cache_dir=tmp_path / "cache")
    assert (short.ref, short.commit) == (remote.dev[:8], remote.dev)
    assert (short.root / "dev.txt").is_file()


def test_reuse_keeps_checkout_and_picks_up_moved_branch(remote: Remote, tmp_path: Path) -> None:
    first = clone(remote.url, cache_dir=tmp_path / "cache")
    marker = first.root / ".git" / "ctx-test-marker"
    marker.write_text("x")
    inode = first.root.stat().st_ino
    pushed = _push_commit(remote, "c.txt")
    again = clone(remote.url, cache_dir=tmp_path / "cache")
    assert again.root == first.root and again.root.stat().st_ino == inode and marker.exists()
    assert again.commit == pushed and (again.root / "c.txt").is_file()
    assert _entries(tmp_path / "cache") == [first.root.name]


def test_switching_refs_leaves_no_stray_files(remote: Remote, tmp_path: Path) -> None:
    dev = clone(remote.url, ref="dev", cache_dir=tmp_path / "cache")
    (dev.root / "stray.txt").write_text("left behind")
    main = clone(remote.url, ref="main", cache_dir=tmp_path / "cache")
    assert {p.name for p in main.root.iterdir()} == {".git", "a.txt", "b.txt"}


def test_checked_out_full_sha_needs_no_network(remote: Remote, tmp_path: Path) -> None:
    clone(remote.url, ref=remote.main, cache_dir=tmp_path / "cache")
    shutil.rmtree(remote.bare)
    source = clone(remote.url, ref=remote.main, cache_dir=tmp_path / "cache")
    assert source.commit == remote.main
    with pytest.raises(GitError, match="repository not found"):
        clone(remote.url, ref="main", cache_dir=tmp_path / "cache")


def test_corrupt_cache_is_recloned(remote: Remote, tmp_path: Path) -> None:
    source = clone(remote.url, cache_dir=tmp_path / "cache")
    shutil.rmtree(source.root / ".git")
    again = clone(remote.url, cache_dir=tmp_path / "cache")
    assert again.root == source.root and again.commit == remote.main and (again.root / ".git").is_dir()


def test_stale_git_lock_from_a_killed_run_is_cleared(remote: Remote, tmp_path: Path) -> None:
    source = clone(remote.url, ref="dev", cache_dir=tmp_path / "cache")
    (source.root / ".git" / "index.lock").write_text("")
    assert clone(remote.url, cache_dir=tmp_path / "cache").commit == remote.main


def test_concurrent_clones_of_one_url(remote: Remote, tmp_path: Path) -> None:
    results: list[object] = []

    def run() -> None:
        try:
            results.append(clone(remote.url, cache_dir=tmp_path / "cache").commit)
        except GitError as exc:
            results.append(exc)

    for _ in range(2):  # a first clone racing itself, then runs reusing the cache
        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [remote.main] * 8
    assert len(_entries(tmp_path / "cache")) == 1


@pytest.mark.parametrize("ref", ["v9", "deadbeef"])
def test_unknown_ref(remote: Remote, tmp_path: Path, ref: str) -> None:
    with pytest.raises(GitError) as caught:
        clone(remote.url, ref=ref, cache_dir=tmp_path / "cache")
    assert caught.value.message == f"ref '{ref}' not found in {remote.url}"
    assert caught.value.hint == "check the branch/tag name or pass a full commit sha"
    assert "\n" not in str(caught.value)
    assert _entries(tmp_path / "cache") == []  # the failed first clone left nothing behind


def test_missing_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="repository not found") as caught:
        clone((tmp_path / "nope.git").as_uri(), cache_dir=tmp_path / "cache")
    assert caught.value.hint and isinstance(caught.value.__cause__, Exception)


@pytest.mark.parametrize("url", ["not a url", "ftp://host/owner/repo", "ext::sh -c touch% /tmp/x", "./repo", ""])
def test_invalid_url(tmp_path: Path, url: str) -> None:
    with pytest.raises(GitError, match="invalid git URL") as caught:
        clone(url, cache_dir=tmp_path / "cache")
    assert caught.value.hint


@pytest.mark.parametrize("ref", ["--upload-pack=touch /tmp/x", "a:b", "", "main~1"])
def test_invalid_ref(remote: Remote, tmp_path: Path, ref: str) -> None:
    with pytest.raises(GitError, match="invalid ref"):
        clone(remote.url, ref=ref, cache_dir=tmp_path / "cache")


def test_unreachable_host_hides_credentials(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="cannot reach") as caught:
        clone("https://user:s3cret@127.0.0.1:1/owner/repo.git", cache_dir=tmp_path / "cache", timeout=20)
    assert "s3cret" not in str(caught.value) and caught.value.source == "https://127.0.0.1:1/owner/repo.git"


def test_git_missing(remote: Remote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(tmp_path / "no-such-git"))
    with pytest.raises(GitError, match="git executable was not found"):
        clone(remote.url, cache_dir=tmp_path / "cache")


@pytest.mark.skipif(sys.platform == "win32", reason="gitpython cannot kill on timeout on Windows")
def test_timeout_kills_git(remote: Remote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "slow-git"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(git.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(slow))
    with pytest.raises(GitError, match=r"timed out after 0\.5s") as caught:
        clone(remote.url, cache_dir=tmp_path / "cache", timeout=0.5)
    assert caught.value.hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://github.com/owner/repo", True),
        ("https://github.com/owner/repo.git", True),
        ("https://gitlab.com/group/subgroup/project.git", True),
        ("http://git.example.com/repo.git", True),
        ("git@github.com:owner/repo.git", True),
        ("ssh://git@github.com/owner/repo.git", True),
        ("ssh://host:2222/srv/repo", True),
        ("git://example.org/repo.git", True),
        ("file:///srv/git/repo.git", True),
        ("https://example.com", False),
        ("https://github.com/owner", False),
        ("https://example.com/docs?page=2", False),
        ("./repo", False),
        ("repo", False),
        ("/abs/path", False),
        ("C:\\x", False),
        ("C:/x/y", False),
        ("user@host", False),
        ("host:path", False),
        ("ftp://host/repo.git", False),
        ("ext::sh -c touch", False),
        ("-ufoo@host:repo", False),
        ("", False),
    ],
)
def test_is_git_url(text: str, expected: bool) -> None:
    assert is_git_url(text) is expected


def test_unwritable_cache_folder(remote: Remote, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(GitError, match="cannot update the cached clone") as caught:
        clone(remote.url, cache_dir=blocker / "cache")
    assert "writable" in (caught.value.hint or "")
