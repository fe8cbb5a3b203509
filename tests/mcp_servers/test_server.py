"""The MCP server through the SDK's own in-memory client: tools, schemas, paging, access, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult, TextContent

from context_builder import TiktokenTokenizer
from ctx import services
from mcp_servers import Access, ServerOptions, build_server
from tests.conftest import write


def call(server_options: ServerOptions, tool: str, arguments: dict[str, Any], *, mode: str = "auto") -> CallToolResult:
    async def run() -> CallToolResult:
        async with Client(build_server(server_options), mode=mode) as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(run)


def text_of(result: CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, TextContent))


@pytest.fixture
def options(sample_repo: Path) -> ServerOptions:
    return ServerOptions(access=Access(roots=(sample_repo,)), max_output_tokens=20_000)


def test_tools_are_the_catalogues_agent_services_in_order_with_described_parameters(options: ServerOptions) -> None:
    async def run() -> Any:
        async with Client(build_server(options)) as client:
            return (await client.list_tools()).tools

    tools = anyio.run(run)
    assert [t.name for t in tools] == [s.__name__ for s in services.AGENT_SERVICES]
    for tool in tools:
        properties = tool.input_schema["properties"]
        assert {"max_tokens", "cursor"} <= set(properties)
        assert all(p.get("description") for p in properties.values()), tool.name
        assert tool.output_schema is not None and "page" in tool.output_schema["properties"]
        assert tool.annotations is not None and tool.annotations.read_only_hint
        assert "Raises" not in (tool.description or "")
    pack = next(t for t in tools if t.name == "pack")
    assert pack.input_schema["required"] == ["source"]
    assert pack.input_schema["properties"]["include"]["type"] == "array"
    assert sorted(pack.input_schema["properties"]["style"]["enum"]) == ["json", "markdown", "text", "xml"]
    # operator-only parameters stay out of reach
    assert not {"cache", "progress", "redact", "encoding", "device", "allow_private", "out_dir"} & set(pack.input_schema["properties"])


def test_pack_tool_matches_the_service_and_reports_a_manifest(options: ServerOptions, sample_repo: Path) -> None:
    result = call(options, "pack", {"source": ".", "budget": 2000})
    assert not result.is_error
    expected = services.pack(str(sample_repo), budget=2000).text
    assert text_of(result) == expected
    facts = result.structured_content
    assert facts is not None and facts["page"]["next_cursor"] is None
    assert facts["budget"] == 2000 and facts["files_packed"] >= 1 and facts["source"] == "sample"


def test_long_output_comes_in_pages_each_within_the_cap(sample_repo: Path) -> None:
    write(sample_repo, {f"pkg/module_{i}.py": f"def function_{i}(x):\n    return x * {i}  # {'words ' * 30}\n" for i in range(120)})
    cap = 1200
    options = ServerOptions(access=Access(roots=(sample_repo,)), max_output_tokens=cap)
    tokenizer = TiktokenTokenizer()
    pages, cursor = [], None
    while True:
        arguments = {"source": ".", **({"cursor": cursor} if cursor else {})}
        result = call(options, "pack", arguments)
        assert not result.is_error, text_of(result)
        used = sum(tokenizer.count(b.text) for b in result.content if isinstance(b, TextContent))
        used += tokenizer.count(json.dumps(result.structured_content, ensure_ascii=False))
        assert used <= cap
        pages.append(result.content[0].text)  # type: ignore[union-attr]
        cursor = result.structured_content["page"]["next_cursor"]  # type: ignore[index]
        if cursor is None:
            break
        assert cursor in text_of(result)  # agents that read only text still see how to go on
    assert len(pages) > 3
    assert "".join(pages) == services.pack(str(sample_repo)).text


def test_a_cursor_from_another_output_is_refused(options: ServerOptions, sample_repo: Path) -> None:
    write(sample_repo, {"big.md": "line of text\n" * 3000})
    first = call(options, "pack", {"source": ".", "max_tokens": 1000})
    cursor = first.structured_content["page"]["next_cursor"]  # type: ignore[index]
    write(sample_repo, {"big.md": "changed\n" * 3000})
    result = call(options, "pack", {"source": ".", "max_tokens": 1000, "cursor": cursor})
    assert result.is_error and "changed" in text_of(result) and "without a cursor" in text_of(result)


def test_search_returns_the_matching_code(options: ServerOptions) -> None:
    result = call(options, "search", {"source": ".", "query": "greet a person by name", "limit": 3})
    assert not result.is_error
    assert "class Greeter" in text_of(result) or "def greet" in text_of(result)
    hits = result.structured_content["hits"]  # type: ignore[index]
    assert hits and hits[0]["path"] == "src/sample/core.py"


def test_tree_and_llmstxt_tools(options: ServerOptions, sample_repo: Path) -> None:
    tree = call(options, "tree", {"source": "."})
    assert not tree.is_error and "core.py" in text_of(tree)
    write(sample_repo, {"site/llms.txt": "# Sample\n\n> A sample.\n\n## Docs\n\n- [Guide](https://example.com/guide.md): how to\n"})
    check = call(options, "llmstxt_check", {"target": "site"})
    assert not check.is_error and check.structured_content["ok"] is True  # type: ignore[index]
    write(sample_repo, {"docs/index.md": "# Home\n\nWelcome.\n", "docs/guide.md": "# Guide\n\nSteps.\n"})
    generated = call(options, "llmstxt_generate", {"source": "docs", "base_url": "https://sample.example.com/"})
    assert not generated.is_error and "https://sample.example.com/guide" in text_of(generated)


@pytest.mark.parametrize("source", ["/etc", "../", "src/../../"])
def test_paths_outside_the_roots_are_refused(options: ServerOptions, source: str) -> None:
    result = call(options, "pack", {"source": source})
    assert result.is_error
    assert "outside the folders this server may read" in text_of(result)


def test_a_symlink_out_of_the_root_is_refused(options: ServerOptions, sample_repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"secret.txt": "top secret\n"})
    os.symlink(outside, sample_repo / "escape")
    result = call(options, "pack", {"source": "escape"})
    assert result.is_error and "outside" in text_of(result)
    packed = call(options, "pack", {"source": "."})  # the link inside the pack is not followed either
    assert "top secret" not in text_of(packed)


def test_a_server_without_roots_reads_no_local_folder(sample_repo: Path) -> None:
    result = call(ServerOptions(), "tree", {"source": str(sample_repo)})
    assert result.is_error and "--root" in text_of(result)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("http://127.0.0.1/owner/repo", "loopback"),
        ("https://10.0.0.8/owner/repo.git", "private"),
        ("file:///etc/owner/repo.git", "only http and https"),
        ("git@github.com:owner/repo.git", "only http and https"),
    ],
)
def test_urls_to_private_networks_or_other_schemes_are_refused(options: ServerOptions, source: str, words: str) -> None:
    result = call(options, "pack", {"source": source})
    assert result.is_error and words in text_of(result).lower()


def test_unknown_tool_is_a_protocol_error_naming_the_real_tools(options: ServerOptions) -> None:
    async def run() -> MCPError:
        async with Client(build_server(options)) as client:
            with pytest.raises(MCPError) as raised:
                await client.call_tool("pack_repository", {"source": "."})
            return raised.value

    error = anyio.run(run).error
    assert error.code == -32602
    assert "pack_repository" in error.message and "pack, search" in error.message


def test_unknown_arguments_and_prompts_are_refused(options: ServerOptions) -> None:
    result = call(options, "tree", {"source": ".", "bogus": 1})
    assert result.is_error and "tree takes no argument 'bogus'; it takes" in text_of(result) and "source" in text_of(result)
    too_small = call(options, "tree", {"source": ".", "max_tokens": 10})
    assert too_small.is_error and "max_tokens" in text_of(too_small)

    async def run() -> MCPError:
        async with Client(build_server(options)) as client:
            with pytest.raises(MCPError) as raised:
                await client.get_prompt("summarize", {})
            return raised.value

    assert anyio.run(run).error.code == -32602


def test_descriptions_speak_only_of_what_agents_can_set() -> None:
    for service in services.AGENT_SERVICES:
        text = services.agent_description(service)
        assert "Raises" not in text and "`semantic`" not in text and "`device`" not in text and "allow_private" not in text
        assert text.strip()
    assert "robots.txt" not in services.agent_description(services.fetch_markdown) or "Raises" not in services.agent_description(services.fetch_markdown)


def test_bad_arguments_name_the_field(options: ServerOptions) -> None:
    result = call(options, "pack", {"source": ".", "budget": "lots"})
    assert result.is_error and "budget" in text_of(result) and "valid integer" in text_of(result)
    assert "errors.pydantic.dev" not in text_of(result) and "input_value" not in text_of(result)
    missing = call(options, "search", {"source": "."})
    assert missing.is_error and "query" in text_of(missing)


def test_handshake_clients_get_the_same_tools(options: ServerOptions) -> None:
    modern = call(options, "tree", {"source": "."})
    legacy = call(options, "tree", {"source": "."}, mode="legacy")
    assert text_of(legacy) == text_of(modern)


def test_each_root_offers_its_pack_tree_and_llmstxt_as_resources(options: ServerOptions, sample_repo: Path) -> None:
    write(sample_repo, {"llms.txt": "# Sample\n\n> A sample.\n"})

    async def run() -> tuple[list[str], str, str]:
        async with Client(build_server(options)) as client:
            uris = [str(r.uri) for r in (await client.list_resources()).resources]
            pack = (await client.read_resource("ctx://roots/sample/pack")).contents[0]
            llms = (await client.read_resource("ctx://roots/sample/llms.txt")).contents[0]
            return uris, getattr(pack, "text", ""), getattr(llms, "text", "")

    uris, pack, llms = anyio.run(run)
    assert [u for u in uris if u.startswith("ctx://")] == ["ctx://roots/sample/pack", "ctx://roots/sample/tree", "ctx://roots/sample/llms.txt"]
    assert "def add" in pack and TiktokenTokenizer().count(pack) <= options.max_output_tokens
    assert llms.startswith("# Sample")


def test_a_source_over_the_size_limit_is_refused_before_reading(sample_repo: Path) -> None:
    limited = ServerOptions(access=Access(roots=(sample_repo,)), limits=services.Limits(max_total_size=500))
    result = call(limited, "pack", {"source": "."})
    assert result.is_error and "over the limit of" in text_of(result) and "subpath" in text_of(result)
    assert not call(limited, "pack", {"source": ".", "include": ["src/sample/core.py"]}).is_error


def test_docs_tool_gives_a_folders_readme_and_matches(options: ServerOptions) -> None:
    result = call(options, "docs", {"source": ".", "query": "greet"})
    assert not result.is_error, text_of(result)
    assert "A sample project for ctx tests." in text_of(result) and "def greet" in text_of(result)
    assert result.structured_content["kind"] == "readme"  # type: ignore[index]


def test_fetch_markdown_refuses_loopback_unless_the_server_allows_it(options: ServerOptions) -> None:
    result = call(options, "fetch_markdown", {"url": "http://127.0.0.1:9/page"})
    assert result.is_error and "loopback" in text_of(result)
