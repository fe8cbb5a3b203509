"""The one catalogue of ctx services.

Each service is a typed function with a docstring; the CLI (and, later, the MCP
server and Agent Skills) are built from these, so every surface offers the same
jobs with the same defaults. Services take plain values, turn them into option
records at this edge, and raise only `CtxError`s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal
from pathlib import Path

from context_builder import (
    DEFAULT_ENCODING,
    PackOptions,
    PackResult,
    TiktokenTokenizer,
    TokenCache,
    default_cache_dir,
    render_tree,
)
from context_builder import pack as pack_corpus
from ingest import Corpus, ProgressFn, ReadCache, Selection, Skipped, Source, collect, resolve_source
from context_builder.embed import Device, load_embedder
from context_builder.focus import rank_chunks
from context_builder.index_cache import index_for
from ingest import DEFAULT_MAX_FILE_SIZE, CtxError, SourceError
from ingest.errors import FetchError

if TYPE_CHECKING:  # the llms.txt and web stacks are imported where used: `ctx pack` never needs their 0.25 s
    import llmstxt


class QueryError(CtxError):
    """A query that cannot be searched for (empty)."""


Style = Literal["json", "markdown", "text", "xml"]  # the keys of context_builder.STYLES

# What each parameter an agent may set means. Adapters (MCP tools, Agent Skills) expose
# exactly the service parameters named here, with these words; every other parameter
# (progress, caches, network permissions, output folders) is the operator's to set.
PARAMETERS: dict[str, str] = {
    "source": "A local folder (relative paths start at the server's first root) or an https git URL such as https://github.com/owner/repo.",
    "target": "An llms.txt file, a folder holding one, or its https URL.",
    "url": "The http(s) URL of a web page or documentation site.",
    "query": "An issue text, a question or keywords to match the content against.",
    "ref": "Branch, tag or commit to read (git sources); default: the default branch, or the folder as it is.",
    "subpath": "Only this folder of the source, relative to its top, e.g. 'src/pkg'.",
    "include": "Only files matching these gitignore-style globs, e.g. ['*.py', 'docs/**'].",
    "exclude": "Leave out files matching these gitignore-style globs, e.g. ['tests/'].",
    "max_file_size": "Skip files larger than this many bytes.",
    "style": "Layout of the pack: text (Gitingest's), markdown, xml (Repomix's) or json.",
    "budget": "Hard cap on the pack's tokens: files (with a query, the best-matching code) are chosen to fill it.",
    "compress": "Reduce code to signatures and outlines, so more files fit.",
    "limit": "How many chunks to return, best first.",
    "base_url": "The URL the docs are published at; default: the one the docs config names.",
}


@dataclass(frozen=True)
class TreeResult:
    """A source's tree with exact token counts per file (and so per folder)."""

    source: Source
    text: str
    encoding: str
    counts: dict[str, int]
    skipped: tuple[Skipped, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def pack(
    source: str,
    *,
    ref: str | None = None,
    subpath: str | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    style: Style = "text",
    budget: int | None = None,
    compress: bool = False,
    query: str | None = None,
    semantic: bool = False,
    device: Device = "auto",
    encoding: str = DEFAULT_ENCODING,
    redact: bool = True,
    cache: bool = True,
    progress: ProgressFn | None = None,
) -> PackResult:
    """Pack a folder or git repository into one prompt-ready text.

    `source` is a local folder or a git URL (https, ssh or scp-like) cloned at
    `ref`; `budget` is a hard cap on the output's tokens, filled by priority, or,
    with a `query` (an issue text, a question), by the chunks that match it best
    (`semantic` reranks them with an embedding model on `device`).
    Raises CtxError (SourceError, GitError, BudgetError, TokenizerError, ModelError).
    """
    with _tokenizer(encoding, cache) as tokenizer:
        selection = Selection(includes=include, excludes=exclude, max_file_size=max_file_size, redact=redact)
        corpus = _corpus(source, ref, subpath, selection, progress, cache)
        options = PackOptions(style, budget, compress, encoding, query, semantic, device)
        return pack_corpus(corpus, options, tokenizer, progress, index_dir=_index_dir(cache))


def tree(
    source: str,
    *,
    ref: str | None = None,
    subpath: str | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    encoding: str = DEFAULT_ENCODING,
    cache: bool = True,
    progress: ProgressFn | None = None,
) -> TreeResult:
    """The files a pack would read, as a tree with exact token counts per file and folder.

    Raises CtxError like `pack`.
    """
    with _tokenizer(encoding, cache) as tokenizer:
        selection = Selection(includes=include, excludes=exclude, max_file_size=max_file_size)
        corpus = _corpus(source, ref, subpath, selection, progress, cache)
        counts = dict(zip((d.path for d in corpus.documents), tokenizer.count_many([d.text for d in corpus.documents])))
    text = render_tree(counts, counts=counts)
    return TreeResult(corpus.source, text, encoding, counts, corpus.skipped)


@dataclass(frozen=True)
class SearchHit:
    """One ranked chunk: where it is, what it defines, how well it matches."""

    path: str
    start: int
    end: int
    symbol: str
    score: float
    text: str  # the chunk's lines, as in the file


def search(
    source: str,
    query: str,
    *,
    limit: int = 20,
    semantic: bool = False,
    device: Device = "auto",
    ref: str | None = None,
    subpath: str | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    cache: bool = True,
    progress: ProgressFn | None = None,
) -> list[SearchHit]:
    """The chunks (functions, classes, sections) of a source that best match `query`, best first.

    `semantic` reranks the best chunks with an embedding model on `device`.
    Raises CtxError like `pack`, and QueryError for an empty query.
    """
    if not query.strip():
        raise QueryError("the query is empty", hint='give the words to look for, e.g. ctx search . "token budget"')
    selection = Selection(includes=include, excludes=exclude, max_file_size=max_file_size)
    corpus = _corpus(source, ref, subpath, selection, progress, cache)
    embedder = load_embedder(device) if semantic else None
    ranked = rank_chunks(corpus.documents, query, _index_dir(cache), embedder=embedder).chunks[: max(limit, 0)]
    return [SearchHit(c.path, c.start, c.end, c.symbol, round(score, 4), c.text) for c, score in ranked]


@dataclass(frozen=True)
class IndexResult:
    """What `index` prepared: the source, how many files and chunks, and where the index lives."""

    source: Source
    files: int
    chunks: int
    folder: Path


def index(
    source: str,
    *,
    ref: str | None = None,
    subpath: str | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    progress: ProgressFn | None = None,
) -> IndexResult:
    """Build the query index of a source ahead of time, so the first `search` or `pack --query` is fast.

    Raises CtxError like `pack`.
    """
    selection = Selection(includes=include, excludes=exclude, max_file_size=max_file_size)
    corpus = _corpus(source, ref, subpath, selection, progress, True)
    folder = _indexes()
    built = index_for(corpus.documents, folder)
    return IndexResult(corpus.source, len(built.paths), len(built.chunks), folder)


@dataclass(frozen=True)
class LlmsTxtResult:
    """A generated llms.txt: its text, the files written (if any), and what was left out or odd."""

    text: str
    written: tuple[str, ...]
    warnings: tuple[str, ...]
    cut: tuple[str, ...]  # llms-full.txt pages cut by the token budget, "url: reason"
    skipped: tuple[str, ...] = ()  # crawl only: "url: reason"


def llmstxt_generate(
    source: str,
    *,
    base_url: str | None = None,
    out_dir: Path | None = None,
    full: bool = False,
    max_tokens: int | None = None,
    nested: bool = False,
    twins: bool = True,
) -> LlmsTxtResult:
    """llms.txt for a docs folder (MkDocs, Sphinx, Docusaurus, VitePress or plain Markdown, detected).

    `base_url` defaults to the site URL the docs config names. With `out_dir`, writes llms.txt, the
    pages' Markdown twins, nested per-section files (`nested`) and llms-full.txt (`full`, within
    `max_tokens`). Raises SourceError for a bad folder, CtxError when no base URL is known.
    """
    import llmstxt

    generated = llmstxt.generate(Path(source).expanduser(), base_url=base_url, twins=twins, nested=nested)
    return _llmstxt_outputs(generated, out_dir, full, max_tokens)


def llmstxt_crawl(
    url: str,
    *,
    out_dir: Path | None = None,
    full: bool = False,
    max_tokens: int | None = None,
    max_pages: int = 200,
    max_depth: int = 5,
    allow_private: bool = False,
    progress: ProgressFn | None = None,
) -> LlmsTxtResult:
    """llms.txt for a live site: crawled within the start URL's folder, robots.txt honoured,
    sitemap read, Markdown twins preferred. `allow_private` lets the crawler reach private or
    loopback addresses (refused by default). Raises FetchError when the start page cannot be had.
    """
    from ingest.web import CrawlOptions, FetchOptions, GuardPolicy, crawl_site
    from llmstxt.from_site import from_crawl

    options = CrawlOptions(max_pages=max_pages, max_depth=max_depth, fetch=FetchOptions(policy=GuardPolicy(allow_private=allow_private)))
    report = (lambda done, queued: progress("crawl", done, done + queued)) if progress else None
    crawled = crawl_site(url, options=options, progress=report)
    if not crawled.pages:
        reasons = "; ".join(f"{s.url}: {s.reason}" for s in crawled.skipped[:3]) or "nothing was reachable"
        raise FetchError(f"no readable page at {url} ({reasons})", url=url, hint="check the URL in a browser; JS-only sites cannot be read")
    result = _llmstxt_outputs(from_crawl(crawled), out_dir, full, max_tokens)
    return replace(result, skipped=tuple(f"{s.url}: {s.reason}" for s in crawled.skipped))


def _llmstxt_outputs(generated: llmstxt.Generated, out_dir: Path | None, full: bool, max_tokens: int | None) -> LlmsTxtResult:
    import llmstxt

    written: list[Path] = []
    cut: tuple[str, ...] = ()
    if out_dir is not None:
        written = llmstxt.write_outputs(generated, out_dir, full=full, max_tokens=max_tokens)
        if full:
            cut = tuple(f"{c.url}: {c.reason}" for c in llmstxt.full_text(generated, max_tokens=max_tokens).cut)
    return LlmsTxtResult(llmstxt.render(generated.doc), tuple(str(p) for p in written), generated.warnings, cut)


@dataclass(frozen=True)
class CheckResult:
    """What `llmstxt_check` found in one file: its diagnostics, errors first then by line."""

    target: str
    diagnostics: tuple[llmstxt.Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def llmstxt_check(target: str, *, allow_private: bool = False) -> list[CheckResult]:
    """Validate llms.txt against llmstxt.org v1/v2: a file, a folder's llms.txt, or a URL (fetched
    with the SSRF guard). Each deviation comes with its line and a
    fix, plus warnings where other tools would lose data. Raises SourceError or FetchError.
    """
    if "://" in target:
        from ingest.web import FetchOptions, GuardPolicy, fetch_text

        response = fetch_text(target, options=FetchOptions(policy=GuardPolicy(allow_private=allow_private)))
        return [_checked(target, response.text)]
    path = Path(target).expanduser()
    file = path / "llms.txt" if path.is_dir() else path
    if not file.is_file():
        raise SourceError(f"no llms.txt at {target}", source=target, hint="give an llms.txt file, a folder holding one, or its URL")
    return [_checked(str(file), file.read_text(encoding="utf-8", errors="replace"))]


def _checked(target: str, text: str) -> CheckResult:
    import llmstxt

    order = {"error": 0, "warning": 1, "info": 2}
    found = sorted(llmstxt.validate(text), key=lambda d: (order[d.severity], d.line, d.code))
    return CheckResult(target, tuple(found))


SERVICES = (pack, search, tree, index, llmstxt_check, llmstxt_generate, llmstxt_crawl)
# The services an agent calls (MCP tools, Agent Skills), in the order they are listed to it.
AGENT_SERVICES = (pack, search, tree, llmstxt_check, llmstxt_generate)
_log = logging.getLogger("ctx")


def _corpus(
    source: str,
    ref: str | None,
    subpath: str | None,
    selection: Selection,
    progress: ProgressFn | None,
    cache: bool,
) -> Corpus:
    resolved = resolve_source(source, ref=ref, subpath=subpath, cache_dir=default_cache_dir())
    reads = ReadCache(default_cache_dir() / "reads.sqlite") if cache else None
    try:
        return collect(resolved, selection, progress, reads)
    finally:
        if reads is not None:
            reads.close()
            if reads.warning:
                _log.warning(reads.warning)


def _indexes() -> Path:
    """Where query indexes are kept between runs."""
    return default_cache_dir() / "indexes"


def _index_dir(cache: bool) -> Path | None:
    """The index folder, or none with --no-cache."""
    return _indexes() if cache else None


@contextmanager
def _tokenizer(encoding: str, cache: bool) -> Iterator[TiktokenTokenizer]:
    token_cache = TokenCache(default_cache_dir() / "tokens.sqlite") if cache else None
    try:
        yield TiktokenTokenizer(encoding, token_cache)
    finally:
        if token_cache is not None:
            token_cache.close()
            if token_cache.warning:
                _log.warning(token_cache.warning)
