"""Exact, offline token counting."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import tiktoken
from hypothesis import given, settings
from hypothesis import strategies as st

from context_builder.cache import TokenCache
from context_builder.tokens import TiktokenTokenizer, _tiktoken_cache_path, count_joined, load_encoding, split_for_counting
from ingest.errors import TokenizerError

SHIPPED = Path(__file__).parents[2] / "context_builder" / "bpe"
PUBLISHED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}


@pytest.mark.parametrize("name", sorted(PUBLISHED_SHA256))
def test_shipped_bpe_files_are_tiktokens_published_ones(name: str) -> None:
    assert hashlib.sha256((SHIPPED / f"{name}.tiktoken").read_bytes()).hexdigest() == PUBLISHED_SHA256[name]


def test_counts_offline_with_an_empty_tiktoken_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty"))
    load_encoding.cache_clear()
    try:
        assert TiktokenTokenizer("o200k_base").count("hello world") == 2
        assert TiktokenTokenizer("cl100k_base").count("hello world") == 2
    finally:
        load_encoding.cache_clear()


def test_uses_tiktokens_cache_when_it_holds_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    cached = _tiktoken_cache_path(url)
    assert cached is not None and cached.parent == tmp_path
    cached.write_bytes((SHIPPED / "o200k_base.tiktoken").read_bytes())
    load_encoding.cache_clear()
    try:
        assert load_encoding("o200k_base").encode_ordinary("hello world") == [24912, 2375]
    finally:
        load_encoding.cache_clear()


def test_special_token_text_is_counted_as_plain_text() -> None:
    assert TiktokenTokenizer().count("<|endoftext|>") == 7


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(TokenizerError, match="unknown encoding 'nope'.*o200k_base"):
        TiktokenTokenizer("nope")


def test_cached_counts_are_reused(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "tokens.sqlite")
    first = TiktokenTokenizer(cache=cache).count_many(["alpha beta", "gamma"])
    again = TokenCache(tmp_path / "tokens.sqlite")
    assert len(again.get_many("o200k_base", [hashlib.blake2b(b"gamma", digest_size=16).digest()])) == 1
    assert TiktokenTokenizer(cache=again).count_many(["gamma", "alpha beta"]) == first[::-1]


def test_a_broken_cache_degrades_to_counting_without_it(tmp_path: Path) -> None:
    (tmp_path / "tokens.sqlite").write_bytes(b"this is not a database" * 100)
    cache = TokenCache(tmp_path / "tokens.sqlite")
    assert TiktokenTokenizer(cache=cache).count("hello world") == 2
    assert cache.warning is not None and "going on without it" in cache.warning


_texty = st.text(
    alphabet=st.sampled_from(list("ab Z9\n\n\r  \t\t.,;:/()_-=#*é中🙂'\"\u00a0\u2028\x0b\x1c\u3000")), max_size=400
)


@settings(max_examples=1000, deadline=None)
@given(_texty, st.integers(min_value=1, max_value=40))
@pytest.mark.parametrize("name", sorted(PUBLISHED_SHA256))
def test_counting_in_pieces_equals_counting_whole(name: str, text: str, size: int) -> None:
    encoding: tiktoken.Encoding = load_encoding(name)
    pieces = split_for_counting(text, size)
    assert "".join(pieces) == text
    assert sum(len(encoding.encode_ordinary(p)) for p in pieces) == len(encoding.encode_ordinary(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(_texty, min_size=1, max_size=6), st.data())
def test_count_joined_equals_counting_the_joined_text(parts: list[str], data: st.DataObject) -> None:
    tokenizer = TiktokenTokenizer()
    indexes = data.draw(st.sets(st.integers(min_value=0, max_value=len(parts) - 1)))
    known = {i: tokenizer.count(parts[i]) for i in indexes}
    assert count_joined(tokenizer, parts, known) == tokenizer.count("".join(parts))


def test_a_corrupt_bpe_file_in_tiktokens_cache_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    cached = _tiktoken_cache_path(url)
    assert cached is not None
    cached.write_bytes(b"IQ== 0\n")
    load_encoding.cache_clear()
    try:
        with pytest.raises(TokenizerError, match="does not match tiktoken's published sha256"):
            load_encoding("cl100k_base")
    finally:
        load_encoding.cache_clear()


@pytest.mark.parametrize("name", sorted(PUBLISHED_SHA256))
def test_fast_bpe_parse_equals_tiktokens(name: str) -> None:
    import tiktoken.load

    from context_builder.tokens import _load_bpe_offline

    path = SHIPPED / f"{name}.tiktoken"
    assert _load_bpe_offline(f"https://example.invalid/{name}.tiktoken") == tiktoken.load.load_tiktoken_bpe(str(path))
