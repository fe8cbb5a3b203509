"""ctx: the front door. `ctx.services` is the catalogue; `ctx.cli` the command line."""

from __future__ import annotations

from ingest import CtxError

from .services import (
    SERVICES, CheckResult, DocsResult, IndexResult, LlmsTxtResult, MarkdownResult, QueryError, SearchHit, TreeResult,
    docs, fetch_markdown, index, llmstxt_check, llmstxt_crawl, llmstxt_generate, pack, search, tree,
)

__all__ = [
    "SERVICES", "CheckResult", "CtxError", "DocsResult", "IndexResult", "LlmsTxtResult", "MarkdownResult", "QueryError",
    "SearchHit", "TreeResult", "docs", "fetch_markdown", "index", "llmstxt_check", "llmstxt_crawl", "llmstxt_generate",
    "pack", "search", "tree",
]
