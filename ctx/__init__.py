"""ctx: the front door. `ctx.services` is the catalogue; `ctx.cli` the command line."""

from __future__ import annotations

from ingest import CtxError

from .services import SERVICES, IndexResult, QueryError, SearchHit, TreeResult, index, pack, search, tree

__all__ = ["SERVICES", "CtxError", "IndexResult", "QueryError", "SearchHit", "TreeResult", "index", "pack", "search", "tree"]
