"""mcp_servers: ctx's services as MCP servers, local (stdio) and hosted (Streamable HTTP)."""

from __future__ import annotations

from .access import Access, AccessError
from .jobs import JobLimits
from .server import DEFAULT_MAX_OUTPUT_TOKENS, ServerOptions, build_server, serve_stdio

__all__ = [
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "Access",
    "AccessError",
    "JobLimits",
    "ServerOptions",
    "build_server",
    "serve_stdio",
]
