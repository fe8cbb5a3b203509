"""Query indexes kept between runs, so a repeated or lightly edited query is fast.

Two levels, both under `$XDG_CACHE_HOME/ctx/indexes`:
- the whole lexical index of an exact corpus (bm25s's own numpy and JSON files), keyed
  by every file's path and content digest and by the indexing code: an unchanged
  repository loads it and indexes nothing;
- each file's chunks and terms (SQLite, keyed by path, content digest and code), so
  when a few files change, only they are chunked and tokenized again before the
  BM25 statistics are rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from ingest.documents import Document
from ingest.store import SqliteStore, code_digest, text_digest

from .chunking import Chunk, chunk_document
from .lexical import LexicalIndex, Terms, chunk_terms

_log = logging.getLogger("ctx")
_KEPT_INDEXES = 8  # saved corpus indexes kept in the cache; older ones are removed
_INDEX_CODE = ("chunking.py", "lexical.py", "compress.py")


def index_for(documents: Sequence[Document], index_dir: Path | None) -> LexicalIndex:
    """The lexical index of `documents`: loaded when this exact corpus was indexed before, else
    built from cached per-file terms where files are unchanged (and saved for next time)."""
    if index_dir is None:
        return _build(documents, None)
    digests = {doc.path: text_digest(doc.text).hex() for doc in documents}
    folder = index_dir / _corpus_key(digests)
    if folder.is_dir():
        try:
            return LexicalIndex.load(folder)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            _log.warning("query index at %s is damaged (%s); rebuilding it", folder, exc.__class__.__name__)
            shutil.rmtree(folder, ignore_errors=True)
    store = SqliteStore(index_dir / "terms.sqlite", ["chunks TEXT"])
    try:
        index = _build(documents, _TermCache(store, digests))
    finally:
        store.close()
    _save(index, folder)
    return index


def _build(documents: Sequence[Document], cache: _TermCache | None) -> LexicalIndex:
    """Chunk and tokenize only the documents the cache does not know."""
    known = cache.get_many(documents) if cache is not None else {}
    fresh: dict[str, tuple[list[Chunk], list[Terms]]] = {}
    memo: dict[str, list[str]] = {}
    chunks: list[Chunk] = []
    terms: list[Terms] = []
    for doc in documents:
        entry = known.get(doc.path)
        if entry is None:
            doc_chunks = chunk_document(doc.path, doc.text)
            entry = fresh[doc.path] = (doc_chunks, [chunk_terms(c, memo) for c in doc_chunks])
        chunks += entry[0]
        terms += entry[1]
    if cache is not None:
        cache.put_many(fresh)
    return LexicalIndex(chunks, terms=terms)


class _TermCache:
    """Each file's chunks (line ranges, kinds, symbols) and terms; chunk text is re-cut from the file."""

    def __init__(self, store: SqliteStore, digests: Mapping[str, str]) -> None:
        self._store = store
        self._digests = digests
        self._code = _index_code()

    def get_many(self, documents: Sequence[Document]) -> dict[str, tuple[list[Chunk], list[Terms]]]:
        by_key = {self._key(doc.path): doc for doc in documents}
        found: dict[str, tuple[list[Chunk], list[Terms]]] = {}
        for key, (data,) in self._store.get_many(by_key).items():
            doc = by_key[key]
            rows = json.loads(data)
            lines = doc.text.split("\n")
            chunks = [Chunk(doc.path, a, b, kind, symbol, "\n".join(lines[a - 1 : b]), context) for a, b, kind, symbol, context, _, _ in rows]
            found[doc.path] = (chunks, [(symbol_terms, body_terms) for *_, symbol_terms, body_terms in rows])
        return found

    def put_many(self, fresh: Mapping[str, tuple[list[Chunk], list[Terms]]]) -> None:
        rows = {
            self._key(path): (json.dumps([[c.start, c.end, c.kind, c.symbol, c.context, s, b] for c, (s, b) in zip(chunks, terms)]),)
            for path, (chunks, terms) in fresh.items()
        }
        self._store.put_many(rows)

    def _key(self, path: str) -> bytes:
        material = f"{self._code}|{self._digests[path]}|{path}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(material, digest_size=16).digest()


@functools.cache
def _index_code() -> str:
    here = Path(__file__).parent
    return code_digest(*(here / name for name in _INDEX_CODE), Path(__file__))


def _corpus_key(digests: Mapping[str, str]) -> str:
    """Names this exact corpus and indexing code: paths and content digests, sorted."""
    digest = hashlib.blake2b(_index_code().encode(), digest_size=16)
    for path in sorted(digests):
        digest.update(f"{path}\0{digests[path]}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _save(index: LexicalIndex, folder: Path) -> None:
    """Save beside the final folder, then rename: a reader never sees half an index. Best effort."""
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        index.save(temporary)
        os.replace(temporary, folder)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        return
    kept = sorted((p for p in folder.parent.iterdir() if p.is_dir() and not p.name.startswith(".")), key=_age)
    for old in kept[:-_KEPT_INDEXES]:
        shutil.rmtree(old, ignore_errors=True)


def _age(path: Path) -> tuple[float, str]:
    try:
        return path.stat().st_mtime, path.name
    except OSError:
        return 0.0, path.name
