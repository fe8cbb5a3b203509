"""The read cache: unchanged files are not read again; changed or fresh files always are."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import ingest.read
from ingest import ReadCache, Selection, Source, collect
from tests.conftest import write

OLD = time.time() - 3600


def source(tmp_path: Path) -> Source:
    root = write(tmp_path / "repo", {"a.py": 'KEY = "AKIAIOSFODNN7EXAMPLF"\n', "b.txt": "hello\n", "blob.raw": bytes(range(256))})
    for name in ("a.py", "b.txt", "blob.raw"):
        os.utime(root / name, (OLD, OLD))
    return Source(root, "repo")


def collect_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, selection: Selection = Selection()) -> tuple[object, object]:
    src = source(tmp_path)
    first = collect(src, selection, cache=ReadCache(tmp_path / "reads.sqlite"))
    monkeypatch.setattr(ingest.read, "decode", lambda data: pytest.fail("decoded again"))
    second = collect(src, selection, cache=ReadCache(tmp_path / "reads.sqlite"))
    return first, second


def test_unchanged_files_come_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = collect_twice(tmp_path, monkeypatch)
    assert first == second
    assert second.documents[0].redactions[0].kind == "aws-access-key"  # type: ignore[attr-defined]
    assert [s.reason for s in second.skipped] == ["binary"]  # type: ignore[attr-defined]


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    cache_path = tmp_path / "reads.sqlite"
    src = source(tmp_path)
    collect(src, cache=ReadCache(cache_path))
    (src.root / "b.txt").write_text("changed!\n", encoding="utf-8")
    os.utime(src.root / "b.txt", (OLD + 5, OLD + 5))
    again = collect(src, cache=ReadCache(cache_path))
    assert [d.text for d in again.documents if d.path == "b.txt"] == ["changed!\n"]


def test_recently_modified_files_are_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = source(tmp_path)
    (src.root / "b.txt").write_text("fresh\n", encoding="utf-8")
    collect(src, cache=ReadCache(tmp_path / "reads.sqlite"))
    decoded: list[bytes] = []
    real = ingest.read.decode
    monkeypatch.setattr(ingest.read, "decode", lambda data: decoded.append(data) or real(data))
    collect(src, cache=ReadCache(tmp_path / "reads.sqlite"))
    assert decoded == [b"fresh\n"]


def test_redaction_choice_is_part_of_the_key(tmp_path: Path) -> None:
    cache_path = tmp_path / "reads.sqlite"
    src = source(tmp_path)
    collect(src, cache=ReadCache(cache_path))
    plain = collect(src, Selection(redact=False), cache=ReadCache(cache_path))
    assert "AKIAIOSFODNN7EXAMPLF" in plain.documents[0].text


def test_an_unusable_cache_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "reads.sqlite").write_bytes(b"garbage" * 100)
    cache = ReadCache(tmp_path / "reads.sqlite")
    corpus = collect(source(tmp_path), cache=cache)
    assert len(corpus.documents) == 2 and cache.warning is not None
