"""ctx's Skills over MCP (the Skills extension, SEP-2640), through the SDK's own in-memory client."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
import yaml
from mcp import Client
from mcp.server import MCPServer
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, METHOD_NOT_FOUND, ErrorData
from mcp_types import Request
from pydantic import BaseModel, ConfigDict

from ctx.spec import catalogue
from mcp_servers import ServerOptions, build_server
from skills import Skill, SkillError, agent_skills
from skills.over_mcp import IDENTIFIER, SkillsExtension

COMMITTED = Path(__file__).parents[2] / "skills"
NAMES = [skill.name for skill in agent_skills()]
T = TypeVar("T")


class Raw(BaseModel):
    """Any result, every member kept as the wire gives it."""

    model_config = ConfigDict(extra="allow")


def session(body: Callable[[Client], Awaitable[T]], *, server: MCPServer | None = None, mode: str = "auto") -> T:
    async def run() -> T:
        async with Client(server or build_server(ServerOptions()), mode=mode) as client:
            return await body(client)

    return anyio.run(run)


async def request(client: Client, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """A request for a method the SDK has no typed call for, with its result as the wire gives it."""
    result = await client.session.send_request(Request[dict[str, Any], str](method=method, params=params), Raw)
    return result.model_dump()


async def refusal(client: Client, method: str, params: dict[str, Any]) -> ErrorData:
    """The protocol error a request is answered with."""
    with pytest.raises(MCPError) as raised:
        await request(client, method, params)
    return raised.value.error


def committed_files(name: str) -> dict[str, bytes]:
    folder = COMMITTED / name
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def front_matter(skill_md: bytes) -> Any:
    head = skill_md.decode("utf-8").removeprefix("---\n").split("\n---\n", 1)[0]
    return yaml.safe_load(head)


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_the_server_declares_the_extension_with_directory_read_and_keeps_its_tools() -> None:
    async def body(client: Client) -> tuple[Any, Any, list[str]]:
        capabilities = client.server_capabilities
        return capabilities.extensions, capabilities.resources, [t.name for t in (await client.list_tools()).tools]

    extensions, resources, tools = session(body)
    assert extensions == {IDENTIFIER: {"directoryRead": True}}
    assert resources is not None  # skill files are resources: the spec requires the capability
    assert tools == [spec.name for spec in catalogue()]


def test_skills_list_gives_every_ctx_skill_with_its_committed_front_matter_in_catalogue_order() -> None:
    result = session(lambda client: request(client, "skills/list", {}))
    assert [entry["uri"] for entry in result["skills"]] == [f"skill://{name}/SKILL.md" for name in NAMES]
    assert sorted(NAMES) == sorted(p.name for p in COMMITTED.glob("ctx-*"))
    for entry in result["skills"]:
        name = entry["uri"].split("/")[2]
        assert entry["frontmatter"] == front_matter((COMMITTED / name / "SKILL.md").read_bytes())
        assert entry["frontmatter"]["name"] == name and entry["frontmatter"]["description"]
    assert "nextCursor" not in result
    assert (result["ttlMs"], result["cacheScope"], result["resultType"]) == (300_000, "public", "complete")


def test_each_manifest_lists_every_committed_file_with_the_digest_and_size_of_what_resources_read_serves() -> None:
    async def body(client: Client) -> tuple[dict[str, Any], dict[str, tuple[str, str | None]]]:
        listing = await request(client, "skills/list", {})
        served = {}
        for entry in listing["skills"]:
            for item in entry["resources"]:
                content = (await client.read_resource(item["uri"])).contents[0]
                served[item["uri"]] = (getattr(content, "text", ""), content.mime_type)
        return listing, served

    listing, served = session(body)
    for entry in listing["skills"]:
        name = entry["uri"].split("/")[2]
        files = committed_files(name)
        assert entry["resources"][0]["uri"] == entry["uri"]  # SKILL.md first, then by path
        assert entry["resources"] == [{"uri": f"skill://{name}/{path}", "digest": digest(data), "size": len(data)}
                                      for path, data in sorted(files.items(), key=lambda item: (item[0] != "SKILL.md", item[0]))]
        for path, data in files.items():
            text, mime_type = served[f"skill://{name}/{path}"]
            assert text.encode("utf-8") == data
            assert mime_type == {".md": "text/markdown", ".py": "text/x-python"}[Path(path).suffix]


def test_skills_get_returns_the_entry_the_listing_gives() -> None:
    async def body(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
        return await request(client, "skills/list", {}), await request(client, "skills/get", {"uri": "skill://ctx-tree/SKILL.md"})

    listing, got = session(body)
    assert got["skill"] == next(entry for entry in listing["skills"] if entry["uri"] == "skill://ctx-tree/SKILL.md")
    assert (got["ttlMs"], got["cacheScope"]) == (300_000, "public") and "nextCursor" not in got


@pytest.mark.parametrize("uri", ["skill://ctx-nope/SKILL.md", "skill://ctx-tree/scripts/tree.py", "skill://ctx-tree"])
def test_skills_get_of_anything_but_a_served_skill_md_is_invalid_params(uri: str) -> None:
    error = session(lambda client: refusal(client, "skills/get", {"uri": uri}))
    assert error.code == INVALID_PARAMS
    assert error.message == f"No skill is served at {uri}; skills/list gives the URIs of those that are"


def test_skills_list_pages_by_next_cursor_without_splitting_an_entry() -> None:
    server = MCPServer("paged", extensions=[SkillsExtension(agent_skills(), page_size=3)])

    async def body(client: Client) -> list[dict[str, Any]]:
        pages = [await request(client, "skills/list", {})]
        while "nextCursor" in pages[-1]:
            pages.append(await request(client, "skills/list", {"cursor": pages[-1]["nextCursor"]}))
        return pages

    pages = session(body, server=server)
    assert [len(page["skills"]) for page in pages] == [3, 3, 1]
    whole = session(lambda client: request(client, "skills/list", {}))
    assert [entry for page in pages for entry in page["skills"]] == whole["skills"]
    error = session(lambda client: refusal(client, "skills/list", {"cursor": "not-a-cursor"}), server=server)
    assert error.code == INVALID_PARAMS and "nextCursor" in error.message


def test_directory_read_lists_a_folders_direct_children_with_subfolders_as_directories() -> None:
    async def body(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
        root = await request(client, "resources/directory/read", {"uri": "skill://ctx-pack"})
        return root, await request(client, "resources/directory/read", {"uri": "skill://ctx-pack/scripts"})

    root, scripts = session(body)
    files = committed_files("ctx-pack")
    description = front_matter(files["SKILL.md"])["description"]
    assert root["resources"] == [
        {"name": "ctx-pack", "uri": "skill://ctx-pack/SKILL.md", "description": description, "mimeType": "text/markdown", "size": len(files["SKILL.md"])},
        {"name": "references", "uri": "skill://ctx-pack/references", "mimeType": "inode/directory"},
        {"name": "scripts", "uri": "skill://ctx-pack/scripts", "mimeType": "inode/directory"},
    ]
    assert scripts["resources"] == [{"name": "pack.py", "uri": "skill://ctx-pack/scripts/pack.py", "description": "scripts/pack.py of the ctx-pack skill.",
                                     "mimeType": "text/x-python", "size": len(files["scripts/pack.py"])}]
    assert "nextCursor" not in root and root["resultType"] == "complete"


@pytest.mark.parametrize(("uri", "words"), [("skill://ctx-pack/SKILL.md", "is not a directory resource"),
                                            ("skill://ctx-pack/assets", "is not a directory this server serves"),
                                            ("skill://ctx-pack/", "is not a directory this server serves")])
def test_directory_read_of_a_file_or_an_unknown_folder_is_invalid_params(uri: str, words: str) -> None:
    error = session(lambda client: refusal(client, "resources/directory/read", {"uri": uri}))
    assert error.code == INVALID_PARAMS and error.message.startswith(f"{uri} {words}")


def test_directory_read_pages_by_next_cursor() -> None:
    server = MCPServer("paged", extensions=[SkillsExtension(agent_skills(), page_size=2)])

    async def body(client: Client) -> list[dict[str, Any]]:
        first = await request(client, "resources/directory/read", {"uri": "skill://ctx-pack"})
        return [first, await request(client, "resources/directory/read", {"uri": "skill://ctx-pack", "cursor": first["nextCursor"]})]

    first, second = session(body, server=server)
    assert [r["name"] for r in first["resources"]] == ["ctx-pack", "references"]
    assert [r["name"] for r in second["resources"]] == ["scripts"] and "nextCursor" not in second


def test_handshake_clients_see_the_skill_files_as_ordinary_resources_and_no_skills_methods() -> None:
    async def body(client: Client) -> tuple[Any, list[str], str, list[int]]:
        uris = [str(r.uri) for r in (await client.list_resources()).resources]
        text = getattr((await client.read_resource("skill://ctx-pack/SKILL.md")).contents[0], "text", "")
        codes = [(await refusal(client, method, params)).code
                 for method, params in [("skills/list", {}), ("skills/get", {"uri": "skill://ctx-pack/SKILL.md"}),
                                        ("resources/directory/read", {"uri": "skill://ctx-pack"})]]
        return client.server_capabilities.extensions, uris, text, codes

    extensions, uris, text, codes = session(body, mode="legacy")
    assert extensions is None  # a handshake-era initialize result cannot carry the declaration
    assert {f"skill://{name}/SKILL.md" for name in NAMES} <= set(uris)
    assert text.encode("utf-8") == (COMMITTED / "ctx-pack" / "SKILL.md").read_bytes()
    assert codes == [METHOD_NOT_FOUND] * 3


def test_a_server_of_adapted_functions_serves_no_ctx_skills() -> None:
    server = build_server(ServerOptions(), specs=catalogue()[:1])

    async def body(client: Client) -> tuple[Any, list[str]]:
        return client.server_capabilities.extensions, [str(r.uri) for r in (await client.list_resources()).resources]

    extensions, uris = session(body, server=server)
    assert not extensions and not [uri for uri in uris if uri.startswith("skill://")]


def test_size_and_digest_count_the_utf8_bytes_and_front_matter_passes_through_verbatim() -> None:
    skill = Skill(name="cafe-notes", description="Notes about café menus.", body="# Café\n\nCrème brûlée.",
                  files={"assets/menu.txt": "Thé — 3 €\n"}, metadata={"version": "2.1.0", "owner": "ops"})
    server = MCPServer("cafe", extensions=[SkillsExtension([skill])])

    async def body(client: Client) -> tuple[dict[str, Any], list[str | None]]:
        got = await request(client, "skills/get", {"uri": "skill://cafe-notes/SKILL.md"})
        return got["skill"], [r.mime_type for r in (await client.list_resources()).resources]

    entry, mime_types = session(body, server=server)
    skill_md = skill.skill_md().encode("utf-8")
    assert entry["frontmatter"] == {"name": "cafe-notes", "description": "Notes about café menus.", "metadata": {"owner": "ops", "version": "2.1.0"}}
    assert entry["resources"] == [
        {"uri": "skill://cafe-notes/SKILL.md", "digest": digest(skill_md), "size": len(skill_md)},
        {"uri": "skill://cafe-notes/assets/menu.txt", "digest": digest("Thé — 3 €\n".encode()), "size": 15},
    ]
    assert mime_types == ["text/markdown", "text/plain"]


@pytest.mark.parametrize(
    ("skills", "words"),
    [
        ([Skill(name="Bad Name", description="d", body="b")], "not a valid Skill name"),
        ([Skill(name="twice", description="d", body="b"), Skill(name="twice", description="e", body="c")], "two Skills share a name"),
        ([Skill(name="escape", description="d", body="b", files={"../x.md": "x"})], "not a plain relative path"),
        ([Skill(name="shadow", description="d", body="b", files={"SKILL.md": "x"})], "not a plain relative path"),
        ([Skill(name="empty", description="", body="b")], "lacks front matter with its name and a description"),
        ([Skill(name="huge", description="d", body="b", files={f"f/{i}.md": "x" for i in range(512)})], "over 512 files"),
    ],
)
def test_skills_that_hosts_could_not_load_are_refused_when_the_extension_is_built(skills: list[Skill], words: str) -> None:
    with pytest.raises(SkillError, match=words):
        SkillsExtension(skills)


def test_an_empty_set_of_skills_lists_nothing() -> None:
    result = session(lambda client: request(client, "skills/list", {}), server=MCPServer("empty", extensions=[SkillsExtension([])]))
    assert result["skills"] == [] and "nextCursor" not in result


def test_page_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="page_size must be at least 1"):
        SkillsExtension(agent_skills(), page_size=0)
