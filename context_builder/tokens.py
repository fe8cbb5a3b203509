"""Exact token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use; ctx must count exactly with no
network. The BPE files of `o200k_base` and `cl100k_base` ship inside ctx (byte-
identical to OpenAI's, checked against tiktoken's own published sha256), and
tiktoken's standard cache is used first when it already holds a file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public

from ingest.errors import TokenizerError

from .cache import TokenCache

DEFAULT_ENCODING = "o200k_base"
_SHIPPED = Path(__file__).parent / "bpe"
_BATCH_CHARS = 4_000_000  # bound the token lists held in memory at once
_PIECE_CHARS = 32_768  # a long text is counted in pieces of about this size
# A newline followed by an ASCII letter or digit is always a boundary of tiktoken's
# pre-tokenizer (for o200k_base and cl100k_base), so no token spans it and counts
# of the pieces add up exactly; tests check this against whole-text encoding.
_SAFE_SPLIT = re.compile(r"\n(?=[A-Za-z0-9])")


class Tokenizer(Protocol):
    """What the packer needs from a tokenizer: exact counts, one text or many."""

    name: str

    def count(self, text: str) -> int: ...

    def count_many(self, texts: Sequence[str]) -> list[int]: ...


class TiktokenTokenizer:
    """Counts with a tiktoken encoding, remembering counts by content hash."""

    def __init__(self, name: str = DEFAULT_ENCODING, cache: TokenCache | None = None) -> None:
        self.name = name
        self._encoding = load_encoding(name)
        self._cache = cache

    def count(self, text: str) -> int:
        """Exact tokens of `text`; long texts are counted in parallel, cached pieces."""
        return sum(self.count_many(split_for_counting(text)))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Counts in input order; misses are encoded in parallel batches (tiktoken releases the GIL)."""
        if self._cache is None:
            return self._encode_counts(texts)
        digests = [_digest(text) for text in texts]
        known = self._cache.get_many(self.name, digests)
        missing = sorted({i for i, d in enumerate(digests) if d not in known})
        fresh = self._encode_counts([texts[i] for i in missing])
        new = {digests[i]: n for i, n in zip(missing, fresh)}
        self._cache.put_many(self.name, new)
        known.update(new)
        return [known[d] for d in digests]

    def _encode_counts(self, texts: Sequence[str]) -> list[int]:
        counts: list[int] = []
        for batch in _batches(texts):
            encoded = self._encoding.encode_ordinary_batch(batch, num_threads=os.cpu_count() or 1)
            counts.extend(len(tokens) for tokens in encoded)
        return counts


def split_for_counting(text: str, size: int = _PIECE_CHARS) -> list[str]:
    """Cut `text` into pieces of about `size` chars at safe boundaries (see _SAFE_SPLIT)."""
    if len(text) <= size:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = _SAFE_SPLIT.search(text, start + size)
        if cut is None:
            break
        pieces.append(text[start : cut.start() + 1])
        start = cut.start() + 1
    pieces.append(text[start:])
    return pieces


def _batches(texts: Sequence[str]) -> list[list[str]]:
    """Split texts into batches of bounded total size, so peak memory stays flat on big repos."""
    batches: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if size + len(text) > _BATCH_CHARS and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return [b for b in batches if b]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@functools.lru_cache(maxsize=None)
def load_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, built from tiktoken's cache or ctx's shipped BPE file.

    Raises TokenizerError for an unknown name, or for an encoding ctx does not ship
    when tiktoken cannot download it.
    """
    if name not in tiktoken.list_encoding_names():
        known = ", ".join(sorted(tiktoken.list_encoding_names()))
        raise TokenizerError(f"unknown encoding '{name}'", hint=f"use one of: {known}")
    if (_SHIPPED / f"{name}.tiktoken").is_file():
        return tiktoken.Encoding(**_constructor_with_local_files(name)())
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken surfaces network failures as many types
        raise TokenizerError(
            f"encoding '{name}' is not shipped with ctx and could not be downloaded ({exc.__class__.__name__})",
            hint="use --encoding o200k_base or cl100k_base, which work offline",
        ) from exc


def _constructor_with_local_files(name: str) -> types.FunctionType:
    """tiktoken's own constructor for `name`, its BPE loader redirected to local files.

    Rebinding the loader in a copy of the function's globals reuses tiktoken's exact
    regex and special tokens without patching tiktoken for anyone else.
    """
    original: types.FunctionType = getattr(openai_public, name)
    namespace = {**original.__globals__, "load_tiktoken_bpe": _load_bpe_offline}
    return types.FunctionType(original.__code__, namespace, original.__name__)


def _load_bpe_offline(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
    """tiktoken's cached copy of `url` when present, else the copy shipped in ctx; both hash-checked."""
    cached = _tiktoken_cache_path(url)
    if cached is not None and cached.is_file():
        return tiktoken.load.load_tiktoken_bpe(url, expected_hash)
    local = _SHIPPED / url.rsplit("/", 1)[-1]
    return tiktoken.load.load_tiktoken_bpe(str(local), expected_hash)


def _tiktoken_cache_path(url: str) -> Path | None:
    """Where tiktoken caches `url` (mirrors tiktoken.load.read_file_cached); None when caching is off."""
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR", os.environ.get("DATA_GYM_CACHE_DIR"))
    if cache_dir is None:
        cache_dir = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if cache_dir == "":
        return None
    return Path(cache_dir) / hashlib.sha1(url.encode()).hexdigest()
