"""Resources for each root the server reads: its pack, its file tree, and its llms.txt when it has one.

A client can attach these to a conversation without a tool call. Resources are not paged,
so the pack is packed to the output cap (a budget, filled by priority) and the tree is cut
at the cap with a note pointing at the tree tool for the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from mcp.server import MCPServer

from context_builder.paging import page_text
from ctx import services

from ctx import results
from .tools import ToolContext


def add_root_resources(server: MCPServer, context: ToolContext) -> None:
    """Register `ctx://roots/<name>/{pack,tree,llms.txt}` for every root, in the roots' order."""
    names: set[str] = set()
    for number, root in enumerate(context.access.roots, start=1):
        name = root.name or "root"
        name = name if name not in names else f"{name}-{number}"
        names.add(name)
        base = f"ctx://roots/{name}"
        server.resource(f"{base}/pack", name=f"{name}: pack", mime_type="text/plain",
                        description=f"{root} packed into one text of at most {context.max_output_tokens:,} tokens.")(_pack(root, context))
        server.resource(f"{base}/tree", name=f"{name}: tree", mime_type="text/plain",
                        description=f"The files of {root} with their token counts.")(_tree(root, context))
        if (root / "llms.txt").is_file():
            server.resource(f"{base}/llms.txt", name=f"{name}: llms.txt", mime_type="text/markdown",
                            description=f"The llms.txt of {root}.")(_file(root / "llms.txt"))


def _pack(root: Path, context: ToolContext) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        result = await context.jobs.run(partial(services.pack, str(root), budget=context.max_output_tokens))
        return result.text

    return read


def _tree(root: Path, context: ToolContext) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        text, _ = results.tree(await context.jobs.run(partial(services.tree, str(root))))
        page = page_text(text, context.tokenizer, context.max_output_tokens)
        return page.text if page.cursor is None else page.text + "\n[cut here: the tree tool pages through the rest]\n"

    return read


def _file(path: Path) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    return read
