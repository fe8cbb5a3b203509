"""The real transports: `ctx mcp serve` over stdio as a subprocess, and the hosted server over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.types import TextContent

from tests.conftest import free_port, hosted_server

TOKEN = "test-token-0123456789abcdef"
JSON_RPC = {"accept": "application/json, text/event-stream", "content-type": "application/json"}
LIST_TOOLS = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


def test_stdio_server_lists_and_calls_tools(sample_repo: Path) -> None:
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "ctx", "mcp", "serve", "--root", str(sample_repo)], env=dict(os.environ)
    )

    async def run() -> tuple[list[str], str]:
        async with Client(parameters) as client:
            names = [tool.name for tool in (await client.list_tools()).tools]
            result = await client.call_tool("tree", {"source": "."})
            block = result.content[0]
            return names, block.text if isinstance(block, TextContent) else ""

    names, text = anyio.run(run)
    assert names[:3] == ["pack", "search", "tree"]
    assert "core.py" in text


@pytest.fixture
def hosted(sample_repo: Path, tmp_path: Path) -> Iterator[str]:
    """A hosted server on a free loopback port, reading only the sample repository; yields its base URL."""
    with hosted_server(sample_repo, TOKEN, tmp_path / "server.log") as base:
        yield base


def test_requests_without_a_token_get_401_with_resource_metadata(hosted: str) -> None:
    response = httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers=JSON_RPC)
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer ") and "/.well-known/oauth-protected-resource/mcp" in challenge
    metadata = httpx.get(f"{hosted}/.well-known/oauth-protected-resource/mcp").json()
    assert metadata["resource"] == f"{hosted}/mcp" and metadata["bearer_methods_supported"] == ["header"]
    wrong = httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers={**JSON_RPC, "authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401


def test_bad_host_is_421_and_bad_origin_403_even_with_a_token(hosted: str) -> None:
    authorized = {**JSON_RPC, "authorization": f"Bearer {TOKEN}"}
    assert httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers={**authorized, "host": "attacker.example"}).status_code == 421
    assert httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers={**JSON_RPC, "host": "attacker.example"}).status_code == 421
    assert httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers={**authorized, "origin": "https://attacker.example"}).status_code == 403
    assert httpx.post(f"{hosted}/mcp", json=LIST_TOOLS, headers={**authorized, "origin": hosted}).status_code == 200  # its own origin
    assert httpx.get(f"{hosted}/healthz", headers={"host": "attacker.example"}).status_code == 421


def test_malformed_and_oversized_requests_are_refused_and_the_server_goes_on(hosted: str) -> None:
    authorized = {**JSON_RPC, "authorization": f"Bearer {TOKEN}"}
    broken = httpx.post(f"{hosted}/mcp", content=b"{not json", headers=authorized)
    assert broken.status_code == 400 and broken.json()["error"]["code"] == -32700
    huge = httpx.post(f"{hosted}/mcp", content=b"[" + b" " * 2_000_000 + b"]", headers=authorized)
    assert huge.status_code == 413
    assert httpx.get(f"{hosted}/healthz").json()["status"] == "ok"


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # the 2026-07-28 envelope, and the 2025-11-25 handshake
def test_clients_with_the_token_call_tools(hosted: str, mode: str) -> None:
    async def run() -> tuple[Any, Any]:
        http = httpx2.AsyncClient(headers={"authorization": f"Bearer {TOKEN}"}, timeout=60)
        async with http, Client(streamable_http_client(f"{hosted}/mcp", http_client=http), mode=mode) as client:
            tools = await client.list_tools()
            result = await client.call_tool("search", {"source": ".", "query": "greet a person by name", "limit": 2})
            outside = await client.call_tool("pack", {"source": "/etc"})
            return tools, (result, outside)

    tools, (result, outside) = anyio.run(run)
    assert [tool.name for tool in tools.tools][:2] == ["pack", "search"]
    assert not result.is_error and result.structured_content["hits"][0]["path"] == "src/sample/core.py"
    assert outside.is_error


def test_hosted_server_refuses_to_start_without_tokens(sample_repo: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CTX_MCP_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "ctx", "mcp", "serve", "--http", "--port", str(free_port())],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("ctx: error: the hosted server needs bearer tokens")
    assert "Traceback" not in done.stderr
