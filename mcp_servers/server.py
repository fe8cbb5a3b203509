"""The ctx MCP server: the catalogue's agent services as tools, on the official SDK's `MCPServer`.

`build_server` is transport-free: `serve_stdio` runs it for a local agent, `mcp_servers.http`
hosts it. Tools are registered in the catalogue's order, so `tools/list` is the same on
every start.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from mcp.server import MCPServer
from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent

from context_builder import DEFAULT_ENCODING, TiktokenTokenizer
from ctx import services
from ingest import CtxError
from ctx.spec import ServiceSpec, catalogue
from skills import agent_skills
from skills.over_mcp import SkillsExtension

from .access import Access
from .jobs import JobLimits, Jobs
from .resources import add_root_resources
from .tools import MIN_PAGE_TOKENS, ToolContext, tool_annotations, tool_function

DEFAULT_MAX_OUTPUT_TOKENS = 20_000  # below the 25,000 tokens at which common clients cut tool output
_log = logging.getLogger("ctx.mcp")

INSTRUCTIONS = """\
ctx reads code repositories, documentation and web pages for you, within a token budget.
- pack: a whole repository (or the part matching a query) as one text; set budget to bound it.
- search: the functions, classes and sections that best match a query.
- tree: the files of a repository with their token counts, to decide what to pack.
- docs: the documentation of a library, site or repository (llms.txt, generated, or README).
- fetch_markdown: one web page as clean Markdown.
- llmstxt_check / llmstxt_generate: validate or write llms.txt files.
Long results come in pages: call again with the returned cursor to read on."""


@dataclass(frozen=True)
class ServerOptions:
    """How a server is bounded: what it may read, how many jobs run at once, how long outputs get."""

    access: Access = field(default_factory=Access)
    jobs: JobLimits = field(default_factory=JobLimits)
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS
    limits: services.Limits = field(default_factory=services.Limits)  # source size, clone time
    encoding: str = DEFAULT_ENCODING


def build_server(
    options: ServerOptions,
    *,
    auth: AuthSettings | None = None,
    token_verifier: TokenVerifier | None = None,
    specs: list[ServiceSpec] | None = None,
) -> MCPServer:
    """An MCPServer offering every agent service of the catalogue as a tool (or the given `specs`),
    and, for the catalogue, its Skills over the Skills extension (skill:// resources, skills/list)."""
    server: MCPServer = MCPServer(
        "ctx",
        title="ctx: code, docs and web pages for agents",
        instructions=INSTRUCTIONS,
        version=version("ctx-toolkit"),
        website_url="https://github.com/ctx-toolkit/ctx",
        auth=auth,
        token_verifier=token_verifier,
        log_level="WARNING",
        extensions=[SkillsExtension(agent_skills())] if specs is None else [],
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
    context = ToolContext(options.access, Jobs(options.jobs), TiktokenTokenizer(options.encoding), options.max_output_tokens, options.limits)
    arguments: dict[str, frozenset[str]] = {}
    for spec in specs if specs is not None else catalogue():
        server.add_tool(tool_function(spec, context), name=spec.name, annotations=tool_annotations(spec), structured_output=True)
        arguments[spec.name] = frozenset({*spec.parameters, "max_tokens", "cursor"})
    add_root_resources(server, context)
    server.middleware.append(_Calls(arguments))
    return server


async def serve_stdio(options: ServerOptions) -> None:
    """Serve one local agent over stdin/stdout until it closes the pipe."""
    await build_server(options).run_stdio_async()


class _Calls:
    """Refuse unknown tools and prompts with the protocol error the spec names (listing what there is),
    arguments a tool does not take with a tool error naming the ones it does, and log every call."""

    def __init__(self, arguments: dict[str, frozenset[str]]) -> None:
        self.arguments = arguments

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        params = ctx.params or {}
        if ctx.method == "prompts/get":
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown prompt: {params.get('name')!r}; this server has no prompts")
        if ctx.method != "tools/call":
            return await call_next(ctx)
        name = str(params.get("name", ""))
        if name not in self.arguments:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {name!r}; this server has {', '.join(self.arguments)}")
        unknown = sorted(set(params.get("arguments") or {}) - self.arguments[name])
        if unknown:
            takes = ", ".join(sorted(self.arguments[name]))
            text = f"{name} takes no argument {', '.join(map(repr, unknown))}; it takes {takes}"
            return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await call_next(ctx)
            outcome = "tool_error" if _is_error(result) else "ok"
            return _plain_errors(result)
        finally:
            _log.info("tool call", extra={"tool": name, "outcome": outcome, "ms": round((time.perf_counter() - started) * 1000)})


_PYDANTIC_NOISE = re.compile(r"\s*For further information visit \S+| \[type=[^\]]*\]")


def _plain_errors(result: HandlerResult) -> HandlerResult:
    """Argument errors as the agent needs them (field, what is wrong), without pydantic's links and type tags."""
    if isinstance(result, CallToolResult) and result.is_error:
        for block in result.content:
            if isinstance(block, TextContent):
                block.text = _PYDANTIC_NOISE.sub("", block.text)
    elif isinstance(result, dict) and result.get("isError"):
        for item in result.get("content", []):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                item["text"] = _PYDANTIC_NOISE.sub("", item["text"])
    return result


def _is_error(result: HandlerResult) -> bool:
    if isinstance(result, dict):
        return bool(result.get("isError"))
    return bool(getattr(result, "is_error", False))
