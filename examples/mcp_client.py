"""Call one ctx MCP tool and print its whole text, following the cursor from page to page.

    python examples/mcp_client.py --config examples/mcp/agent_config.json tree source=.
    CTX_MCP_TOKEN=... python examples/mcp_client.py --url http://localhost:8000/mcp search source=https://github.com/pallets/click query="parse options"

--config reads an agent's MCP config (the `mcpServers` JSON that desktop agents use) and
starts its "ctx" server over stdio; --url talks to a hosted server with the token in
$CTX_MCP_TOKEN. Arguments are key=value; a value that parses as JSON is sent as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.types import TextContent


def arguments(pairs: list[str]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            parsed[key] = json.loads(value)
        except json.JSONDecodeError:
            parsed[key] = value
    return parsed


async def call_all_pages(client: Client, tool: str, args: dict[str, Any]) -> int:
    cursor = None
    while True:
        result = await client.call_tool(tool, {**args, **({"cursor": cursor} if cursor else {})})
        first = result.content[0] if result.content else None
        text = first.text if isinstance(first, TextContent) else ""
        if result.is_error:
            print(f"error: {text}", file=sys.stderr)
            return 1
        sys.stdout.write(text)
        cursor = (result.structured_content or {}).get("page", {}).get("next_cursor")
        if not cursor:
            return 0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--config", help="an mcpServers JSON file with a 'ctx' entry (stdio)")
    where.add_argument("--url", help="a hosted server's /mcp URL (token in $CTX_MCP_TOKEN)")
    parser.add_argument("tool")
    parser.add_argument("args", nargs="*", metavar="key=value")
    options = parser.parse_args()
    if options.config:
        with open(options.config, encoding="utf-8") as handle:
            entry = json.load(handle)["mcpServers"]["ctx"]
        server = StdioServerParameters(command=entry["command"], args=entry["args"], env=dict(os.environ))
        async with Client(server) as client:
            return await call_all_pages(client, options.tool, arguments(options.args))
    headers = {"authorization": f"Bearer {os.environ.get('CTX_MCP_TOKEN', '')}"}
    async with httpx2.AsyncClient(headers=headers, timeout=300) as http:
        async with Client(streamable_http_client(options.url, http_client=http)) as client:
            return await call_all_pages(client, options.tool, arguments(options.args))


def leaf(error: BaseException) -> BaseException:
    """The first real error inside the exception groups that task groups wrap errors in."""
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error


if __name__ == "__main__":
    try:
        sys.exit(anyio.run(main))
    except (Exception, BaseExceptionGroup) as error:  # one line for the user, not a traceback
        print(f"error: cannot use the server: {leaf(error)} (check the URL or command, and $CTX_MCP_TOKEN)", file=sys.stderr)
        sys.exit(1)
