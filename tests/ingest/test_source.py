"""Resolving what the user typed: folders, subpaths, and repository page URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import SourceError, resolve_source
from ingest.source import split_web_url
from tests.conftest import write


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/psf/requests", ("https://github.com/psf/requests", None, None)),
        ("https://github.com/psf/requests/tree/main", ("https://github.com/psf/requests", "main", None)),
        ("https://github.com/psf/requests/tree/v2.32.3/src/requests/", ("https://github.com/psf/requests", "v2.32.3", "src/requests")),
        ("https://gitlab.com/group/sub/proj/-/tree/dev/docs", ("https://gitlab.com/group/sub/proj", "dev", "docs")),
        ("git@github.com:psf/requests.git", ("git@github.com:psf/requests.git", None, None)),
    ],
)
def test_repository_page_urls_split_into_url_ref_and_subpath(url: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_web_url(url) == expected


def test_subpath_narrows_the_root(tmp_path: Path) -> None:
    write(tmp_path, {"src/pkg/a.py": "a\n"})
    source = resolve_source(str(tmp_path), subpath="src/pkg", cache_dir=tmp_path / "cache")
    assert source.root == (tmp_path / "src" / "pkg").resolve()
    assert source.label.endswith("/src/pkg")


@pytest.mark.parametrize("subpath", ["../outside", "/etc", "missing"])
def test_bad_subpaths_are_refused(tmp_path: Path, subpath: str) -> None:
    write(tmp_path, {"a.py": "a\n"})
    with pytest.raises(SourceError, match="subpath"):
        resolve_source(str(tmp_path), subpath=subpath, cache_dir=tmp_path / "cache")


def test_ref_on_a_folder_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "a\n"})
    with pytest.raises(SourceError, match="--ref needs a git repository"):
        resolve_source(str(tmp_path), ref="main", cache_dir=tmp_path / "cache")


def test_ref_on_a_local_repository_leaves_its_work_tree_alone(sample_repo: Path, tmp_path: Path) -> None:
    (sample_repo / "README.md").write_text("# uncommitted edit\n", encoding="utf-8")
    source = resolve_source(str(sample_repo), ref="HEAD", cache_dir=tmp_path / "cache")
    assert source.root != sample_repo
    assert (source.root / "README.md").read_text(encoding="utf-8").startswith("# Sample")
    assert (sample_repo / "README.md").read_text(encoding="utf-8") == "# uncommitted edit\n"
