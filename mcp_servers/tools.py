"""MCP tools generated from the service catalogue, so the tools and the CLI cannot drift apart.

Each tool is a service from `ctx.services` with the parameters `services.PARAMETERS`
describes (everything else is the operator's: network permissions, caches), plus
`max_tokens` and `cursor`, because every tool's text is paged to fit the client's
output cap. Paths and URLs are checked against the server's `Access` before a service
sees them; the service runs in a job slot off the event loop; a `CtxError` becomes a
tool error the agent can act on (what is wrong; how to fix it).
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from mcp.types import CallToolResult, ContentBlock, TextContent, ToolAnnotations
from pydantic import Field

from context_builder import Tokenizer
from context_builder.paging import TextPage, page_text
from ctx import services
from ingest import CtxError

from ctx.spec import ServiceSpec
from .access import Access
from .jobs import Jobs

# Parameters naming something to read, and how the server checks each before the service runs.
_CHECKED = {"source": Access.source, "target": Access.source, "url": Access.url}
_ALLOW_PRIVATE = "allow_private"  # a service parameter the server sets from its own configuration


@dataclass(frozen=True)
class ToolContext:
    """What every tool call needs from the server."""

    access: Access
    jobs: Jobs
    tokenizer: Tokenizer
    max_output_tokens: int
    limits: services.Limits


def tool_function(spec: ServiceSpec, context: ToolContext) -> Callable[..., Awaitable[CallToolResult]]:
    """An async function with the service's agent-facing signature, for `MCPServer.add_tool`."""
    service, name, shape = spec.function, spec.name, spec.shape
    signature = inspect.signature(service, eval_str=True)
    exposed = [
        inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=p.default, annotation=_described(p, spec.parameters[p.name]))
        for p in signature.parameters.values()
        if p.name in spec.parameters
    ]
    paging = [
        inspect.Parameter("max_tokens", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            int | None, Field(ge=MIN_PAGE_TOKENS, description=f"Tokens per page of output ({MIN_PAGE_TOKENS} to {context.max_output_tokens}, the default).")]),
        inspect.Parameter("cursor", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            str | None, Field(description="The next_cursor of the previous page, to read on; same other arguments.")]),
    ]
    takes_private = _ALLOW_PRIVATE in signature.parameters
    takes_limits = "limits" in signature.parameters

    async def call(**arguments: Any) -> CallToolResult:
        max_tokens = min(arguments.pop("max_tokens") or context.max_output_tokens, context.max_output_tokens)
        cursor = arguments.pop("cursor")
        try:
            for key, check in _CHECKED.items() if spec.guarded else ():
                if key in arguments:
                    arguments[key] = await check(context.access, arguments[key])
            if takes_private:
                arguments[_ALLOW_PRIVATE] = context.access.allow_private
            if takes_limits:
                arguments["limits"] = context.limits
            result = await context.jobs.run(partial(service, **arguments))
            text, facts = shape(result)
            return _paged(text, facts, context.tokenizer, max_tokens, cursor)
        except CtxError as error:
            return CallToolResult(content=[TextContent(type="text", text=f"{name} failed: {error}")], is_error=True)
        except Exception as error:
            if spec.guarded:  # a bug in ctx: the SDK logs it and tells the client no more than that
                raise
            message = f"{name} raised {type(error).__name__}: {error}"  # a user's own function (`ctx adapt`)
            return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)

    call.__name__ = name
    call.__doc__ = spec.description + _PAGING_NOTE
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # read by the SDK's inspect.signature
        [*exposed, *paging], return_annotation=Annotated[CallToolResult, spec.record]
    )
    return call


MIN_PAGE_TOKENS = 1_000  # below this the facts repeated on every page would leave no room for the text
_PAGING_NOTE = "\n\nLong output comes in pages: when `page.next_cursor` is set, call again with `cursor` to read on."


def tool_annotations(spec: ServiceSpec) -> ToolAnnotations | None:
    """Every ctx tool only reads; the ones given URLs reach the open web. A user's function: unknown."""
    if not spec.guarded:
        return None
    reaches_web = bool({"url", "target", "source"} & set(spec.parameters))
    return ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=reaches_web)


def _described(parameter: inspect.Parameter, words: str) -> Any:
    annotation = Any if parameter.annotation is inspect.Parameter.empty else parameter.annotation
    if typing.get_origin(annotation) is tuple:  # JSON has arrays, not tuples; pydantic turns the list back
        annotation = list[typing.get_args(annotation)[0]]  # type: ignore[misc]
    return Annotated[annotation, Field(description=words)]


def _paged(text: str, facts: dict[str, Any], tokenizer: Tokenizer, max_tokens: int, cursor: str | None) -> CallToolResult:
    """One page of `text` with the facts, the whole result within `max_tokens` counted exactly.

    The facts and the continuation line cost tokens too, so the page gets what they leave;
    when the first try overshoots (the page counts differ once joined), the page shrinks.
    """
    if cursor is not None:  # the lists were on the first page; later pages keep the counts, not the items
        facts = {key: [] if isinstance(value, list) else value for key, value in facts.items()}
    overhead = tokenizer.count(json.dumps(facts, ensure_ascii=False)) + _PAGE_INFO_TOKENS
    room = max(1, max_tokens - overhead)
    while True:
        page = page_text(text, tokenizer, room, cursor)
        result = _result(page, facts)
        used = sum(tokenizer.count(block.text) for block in result.content if isinstance(block, TextContent))
        used += tokenizer.count(json.dumps(result.structured_content, ensure_ascii=False))
        if used <= max_tokens or room == 1:
            return result
        room = max(1, room - (used - max_tokens))


_PAGE_INFO_TOKENS = 120  # the page record and the continuation line, generously


def _result(page: TextPage, facts: dict[str, Any]) -> CallToolResult:
    info = {
        "tokens": page.tokens, "total_tokens": page.total_tokens, "start_char": page.start,
        "total_chars": page.total_chars, "next_cursor": page.cursor,
    }
    content: list[ContentBlock] = [TextContent(type="text", text=page.text)]
    if page.cursor:
        left = page.total_chars - page.start - len(page.text)
        content.append(TextContent(type="text", text=f"[{left:,} more characters: call again with cursor={page.cursor!r}]"))
    return CallToolResult(content=content, structured_content={"page": info, **facts})
