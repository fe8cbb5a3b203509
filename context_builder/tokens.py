"""Exact token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use; ctx must count exactly with no
network. The BPE files of `o200k_base` and `cl100k_base` ship inside ctx (byte-
identical to OpenAI's, checked against tiktoken's own published sha256), and
tiktoken's standard cache is used first when it already holds a file.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import os
import re
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import tiktoken
import tiktoken_ext.openai_public as openai_public

from ingest.errors import TokenizerError
from ingest.store import text_digest

from .cache import TokenCache

DEFAULT_ENCODING = "o200k_base"
_SHIPPED = Path(__file__).parent / "bpe"
_WORKERS = min(4, os.cpu_count() or 1)  # tiktoken releases the GIL while it encodes
_MIN_CHUNK_CHARS = 256_000  # below this a chunk is not worth a thread
_PIECE_CHARS = 32_768  # a long text is counted in pieces of about this size
# tiktoken's pre-tokenizer (o200k_base, cl100k_base) never puts a newline in the same
# piece as what follows it when the next line starts with optional spaces or tabs and
# then a visible character other than '/' (o200k glues '/' to punctuation before a
# newline). No token spans such a boundary, so counts of pieces cut there add up
# exactly; property tests check this against whole-text encoding.
_SAFE_SPLIT = re.compile(r"\n(?=[ \t]*[^\s/])")


class Tokenizer(Protocol):
    """What the packer needs from a tokenizer: exact counts, one text or many."""

    name: str

    def count(self, text: str) -> int: ...

    def count_many(self, texts: Sequence[str]) -> list[int]: ...


class TiktokenTokenizer:
    """Counts with a tiktoken encoding, remembering counts by content hash (in memory and in `cache`)."""

    def __init__(self, name: str = DEFAULT_ENCODING, cache: TokenCache | None = None) -> None:
        _check_name(name)
        self.name = name
        self._cache = cache
        self._known: dict[bytes, int] = {}

    def count(self, text: str) -> int:
        """Exact tokens of `text`; long texts are counted in parallel, cached pieces."""
        return sum(self.count_many(split_for_counting(text)))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Exact counts, in input order; only texts never seen before are encoded."""
        digests = [text_digest(text) for text in texts]
        unknown = {d: t for d, t in zip(digests, texts) if d not in self._known}
        if self._cache is not None and unknown:
            self._known.update(self._cache.get_many(self.name, unknown))
            unknown = {d: t for d, t in unknown.items() if d not in self._known}
        fresh = dict(zip(unknown, _encode_counts(self.name, list(unknown.values()))))
        if self._cache is not None:
            self._cache.put_many(self.name, fresh)
        self._known.update(fresh)
        return [self._known[d] for d in digests]


def _encode_counts(name: str, texts: Sequence[str]) -> list[int]:
    """Encode in a few large chunks on worker threads (tiktoken releases the GIL while it encodes).

    The encoding is loaded here, on the first miss: a fully cached re-pack never parses the BPE file.
    """
    if not texts:
        return []
    encoding = load_encoding(name)

    def count_chunk(chunk: Sequence[str]) -> list[int]:
        return [len(encoding.encode_ordinary(text)) for text in chunk]

    chunks = _chunks(texts)
    if len(chunks) == 1:
        return count_chunk(chunks[0])
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        return [n for counts in pool.map(count_chunk, chunks) for n in counts]


def _chunks(texts: Sequence[str]) -> list[Sequence[str]]:
    """About four chunks per worker, cut by size, so threads stay busy and futures stay few."""
    target = max(_MIN_CHUNK_CHARS, sum(map(len, texts)) // (4 * _WORKERS) + 1)
    chunks: list[Sequence[str]] = []
    start = size = 0
    for index, text in enumerate(texts):
        size += len(text)
        if size >= target:
            chunks.append(texts[start : index + 1])
            start, size = index + 1, 0
    if start < len(texts):
        chunks.append(texts[start:])
    return chunks


def count_joined(tokenizer: Tokenizer, parts: Sequence[str], known: Mapping[int, int]) -> int:
    """Exact tokens of `"".join(parts)`, given exact counts of some parts (index → tokens).

    A known part is cut at its first and last safe boundary: its middle then costs
    its known count less its two ends, and only the ends are encoded again, together
    with the text between known parts. So packing a repository tokenizes each file
    once, yet the total is that of the rendered output, not an estimate.
    """
    seams: list[str] = []
    ends: list[str] = []
    pending: list[str] = []
    middles = 0
    for index, part in enumerate(parts):
        cuts = _first_and_last_cut(part) if index in known else None
        if cuts is None:
            pending.append(part)
            continue
        head, tail = part[: cuts[0]], part[cuts[1] :]
        seams.append("".join([*pending, head]))
        pending = [tail]
        ends.extend((head, tail))
        middles += known[index]
    seams.append("".join(pending))
    counts = tokenizer.count_many(seams + ends)
    return middles + sum(counts[: len(seams)]) - sum(counts[len(seams) :])


def _first_and_last_cut(text: str) -> tuple[int, int] | None:
    """Offsets just after the first and the last safe newline in `text`, if it has one."""
    first = _SAFE_SPLIT.search(text)
    if first is None:
        return None
    last = text.rfind("\n")
    while not (last + 1 < len(text) and _SAFE_SPLIT.match(text, last)):
        last = text.rfind("\n", 0, last)
    return first.start() + 1, last + 1


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


@functools.lru_cache(maxsize=None)
def load_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, built from tiktoken's cache or ctx's shipped BPE file.

    Raises TokenizerError for an unknown name, or for an encoding ctx does not ship
    when tiktoken cannot download it.
    """
    _check_name(name)
    if (_SHIPPED / f"{name}.tiktoken").is_file():
        return tiktoken.Encoding(**_constructor_with_local_files(name)())
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken surfaces network failures as many types
        raise TokenizerError(
            f"encoding '{name}' is not shipped with ctx and could not be downloaded ({exc.__class__.__name__})",
            hint="use --encoding o200k_base or cl100k_base, which work offline",
        ) from exc


def _check_name(name: str) -> None:
    if name not in tiktoken.list_encoding_names():
        known = ", ".join(sorted(tiktoken.list_encoding_names()))
        raise TokenizerError(f"unknown encoding '{name}'", hint=f"use one of: {known}")


def _constructor_with_local_files(name: str) -> types.FunctionType:
    """tiktoken's own constructor for `name`, its BPE loader redirected to local files.

    Rebinding the loader in a copy of the function's globals reuses tiktoken's exact
    regex and special tokens without patching tiktoken for anyone else.
    """
    original: types.FunctionType = getattr(openai_public, name)
    namespace = {**original.__globals__, "load_tiktoken_bpe": _load_bpe_offline}
    return types.FunctionType(original.__code__, namespace, original.__name__)


def _load_bpe_offline(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
    """tiktoken's cached copy of `url` when present, else the copy shipped in ctx; both hash-checked.

    Parsed here rather than by `tiktoken.load.load_tiktoken_bpe`: the same result, 4x faster,
    which is most of a small pack's start-up.
    """
    cached = _tiktoken_cache_path(url)
    path = cached if cached is not None and cached.is_file() else _SHIPPED / url.rsplit("/", 1)[-1]
    data = path.read_bytes()
    if expected_hash is not None and hashlib.sha256(data).hexdigest() != expected_hash:
        raise TokenizerError(
            f"BPE file {path} does not match tiktoken's published sha256",
            hint="delete it (or reinstall ctx) so a good copy is used",
        )
    fields = data.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))


def _tiktoken_cache_path(url: str) -> Path | None:
    """Where tiktoken caches `url` (mirrors tiktoken.load.read_file_cached); None when caching is off."""
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR", os.environ.get("DATA_GYM_CACHE_DIR"))
    if cache_dir is None:
        cache_dir = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if cache_dir == "":
        return None
    return Path(cache_dir) / hashlib.sha1(url.encode()).hexdigest()
