"""`ctx skill from-mcp`: any MCP server as one Skill, whose script calls the server as an MCP client would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from mcp import Client, StdioServerParameters

from ctx.cli import cli
from skills import (
    McpEndpoint, McpPrompt, McpResource, McpServer, McpServerError, McpTool, check_skill, mcp_skill, read_mcp_server, write_skill,
)
from skills.model import MAX_BODY_LINES
from tests.conftest import hosted_server

EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31"  # pinned: the test compares its tools' answers
TOKEN = "from-mcp-test-token-0123456789"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "description": "What to look for."},
        "limit": {"type": "integer", "default": 10},
        "ratio": {"type": "number"},
        "exact": {"type": "boolean"},
        "kind": {"type": "string", "enum": ["code", "docs"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ref": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "filter": {"$ref": "#/$defs/Filter"},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "rows": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["query", "filter"],
    "$defs": {"Filter": {"type": "object", "properties": {"path": {"type": "string"}}}},
}
DEMO = McpServer(
    name="demo",
    version="1.0",
    title="Demo <b>tools</b>",
    instructions="Search first, then [read](guide.md) what it finds.",
    tools=(
        McpTool("search", "Search the demo.\n\nSee [the guide](guide.md) and [the site](https://example.com).", SCHEMA),
        McpTool("get sum", "Add two numbers.", {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}}),
    ),
    resources=(
        McpResource("demo://notes", name="Notes: Read Me!", mime_type="text/markdown", text="# Notes\n"),
        McpResource("demo://logo", name="logo", mime_type="image/png", note="binary, read it through an MCP client"),
    ),
    templates=(McpResource("demo://files/{path}", name="File", note="a template, read only through an MCP client"),),
    prompts=(McpPrompt("review", "Review code.", arguments=(("code", "The code.", True), ("focus", "", False))),),
)
STDIO = McpEndpoint(command=("demo-server", "--stdio"))

FAKE_SERVER = '''
import json
from pydantic import BaseModel
from mcp.server import MCPServer

server = MCPServer("fake", version="1.0")


class Filter(BaseModel):
    path: str
    depth: int


@server.tool()
def echo_args(text: str, count: int = 1, ratio: float = 0.5, loud: bool = False, tags: list[str] | None = None,
              filter: Filter | None = None, either: str | int = "x") -> str:
    """Return the arguments it received, as JSON."""
    got = {"text": text, "count": count, "ratio": ratio, "loud": loud, "tags": tags,
           "filter": filter.model_dump() if filter else None, "either": either}
    return json.dumps(got, sort_keys=True)


@server.tool(name="ns/fails badly")
def fails() -> str:
    """Always fails."""
    raise ValueError("it always fails")


server.run()
'''


def _tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), os.access(p, os.X_OK)) for p in sorted(folder.rglob("*")) if p.is_file()}


def _script(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The generated dispatcher, run as an agent runs it."""
    return subprocess.run([sys.executable, str(folder / "scripts" / "call.py"), *args], capture_output=True, text=True,
                          timeout=120, env=env)


def _direct(command: tuple[str, ...], tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The same call made through the SDK's own client, in the shape call.py prints."""
    parameters = StdioServerParameters(command=command[0], args=list(command[1:]), env=dict(os.environ))

    async def run() -> dict[str, Any]:
        async with Client(parameters) as client:
            result = await client.call_tool(tool, arguments)
        text = "\n".join(getattr(block, "text", "") for block in result.content if block.type == "text")
        return {"tool": tool, "is_error": bool(result.is_error), "text": text, "structured": result.structured_content}

    return anyio.run(run)


def _ctx(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ctx", *args], capture_output=True, text=True, timeout=120, env=env)


# Rendering: records in, a Skill out.

def test_each_scalar_argument_becomes_an_option_with_its_type_and_default() -> None:
    body = mcp_skill(DEMO, STDIO)[0].body
    assert "python3 scripts/call.py search --query STRING --json '{\"filter\": ...}' [options]" in body
    for line in [
        "- `--query` (string; required): What to look for.",
        "- `--limit` (integer; optional, default 10)",
        "- `--ratio` (number; optional)",
        "- `--exact` (boolean; optional)",
        '- `--kind` (string, one of: "code", "docs"; optional)',
        "- `--tags` (list of string: repeat the option; optional)",
        "- `--ref` (string; optional)",  # a nullable string is a string
    ]:
        assert f"\n{line}\n" in body
    assert "python3 scripts/call.py 'get sum' [options]" in body  # a name that is no option name is quoted, not renamed


def test_objects_unions_and_lists_of_objects_are_flagged_to_go_inside_json(tmp_path: Path) -> None:
    body = mcp_skill(DEMO, STDIO)[0].body
    assert "\n- `filter` (an object; required). Pass as JSON: `--json '{\"filter\": {...}}'`\n" in body
    assert "\n- `either` (a union of types; optional). Pass as JSON: `--json '{\"either\": ...}'`\n" in body
    assert "\n- `rows` (a list of objects or mixed values; optional). Pass as JSON: `--json '{\"rows\": [...]}'`\n" in body
    folder = write_skill(mcp_skill(DEMO, STDIO)[0], tmp_path)
    helped = _script(folder, "search", "--help")
    assert helped.returncode == 0
    assert "Pass these arguments inside --json:\n  either (a union of types): --json '{\"either\": ...}'\n" in helped.stdout
    assert "  filter (an object, required): --json '{\"filter\": {...}}'\n" in helped.stdout
    missing = _script(folder, "search", "--query", "x")  # checked before any server is started
    assert missing.returncode == 2 and missing.stderr.endswith("error: missing filter (inside --json)\n")


@pytest.mark.parametrize(("properties", "line"), [
    ({"x": {"type": ["string", "null"]}}, "- `--x` (string; optional)"),
    ({"x": {"enum": ["a", "b", None]}}, '- `--x` (string, one of: "a", "b"; optional)'),
    ({"x": {"allOf": [{"$ref": "#/$defs/Mode"}], "default": "fast"}}, '- `--x` (string, one of: "fast", "slow"; optional, default "fast")'),
    ({"x": {"type": "array", "items": {"type": "integer"}}}, "- `--x` (list of integer: repeat the option; optional)"),
    ({"x": {"type": "boolean", "default": True}}, "- `--x` (boolean; optional, default true)"),
    ({"x": {}}, "- `x` (a value of any type; optional). Pass as JSON: `--json '{\"x\": ...}'`"),
    ({"x": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}},
     "- `x` (a list of objects or mixed values; optional). Pass as JSON: `--json '{\"x\": [...]}'`"),
    ({"x": {"type": "object", "additionalProperties": {"type": "string"}}},
     "- `x` (an object; optional). Pass as JSON: `--json '{\"x\": {...}}'`"),
    ({"json": {"type": "string"}}, "- `json` (a name the command line cannot take as an option; optional). Pass as JSON: `--json '{\"json\": ...}'`"),
    ({"two words": {"type": "string"}},
     "- `two words` (a name the command line cannot take as an option; optional). Pass as JSON: `--json '{\"two words\": ...}'`"),
    ({"x": {"type": "boolean"}, "no-x": {"type": "string"}},
     "- `x` (a name the command line cannot take as an option; optional). Pass as JSON: `--json '{\"x\": ...}'`"),
])
def test_each_schema_shape_is_an_option_or_goes_inside_json(properties: dict[str, Any], line: str) -> None:
    schema = {"type": "object", "properties": properties, "$defs": {"Mode": {"enum": ["fast", "slow"]}}}
    body = mcp_skill(replace(DEMO, tools=(McpTool("t", "A tool.", schema),)), STDIO)[0].body
    assert f"\n{line}\n" in body


def test_the_same_records_in_any_order_give_the_same_bytes(tmp_path: Path) -> None:
    shuffled = replace(DEMO, tools=DEMO.tools[::-1], resources=DEMO.resources[::-1])
    first = write_skill(mcp_skill(DEMO, STDIO)[0], tmp_path / "a")
    second = write_skill(mcp_skill(shuffled, STDIO)[0], tmp_path / "b")
    assert _tree(first) == _tree(second)
    assert list(_tree(first)) == [
        "SKILL.md", "references/instructions.md", "references/prompts.md", "references/resources/notes-read-me.md",
        "references/tools.json", "scripts/call.py",
    ]


def test_a_server_name_that_is_no_skill_name_is_normalized_with_a_warning() -> None:
    skill, warnings = mcp_skill(replace(DEMO, name="My Server/Ünï"), STDIO)
    assert skill.name == "my-server-uni"
    assert warnings == ["the name 'My Server/Ünï' is not a valid Skill name; using 'my-server-uni'"]
    assert mcp_skill(DEMO, STDIO, name="demo-tools")[0].name == "demo-tools"
    anonymous = mcp_skill(replace(DEMO, name=""), STDIO)
    assert anonymous[0].name == "mcp-server" and "pass --name" in anonymous[1][-1]


def test_angle_brackets_are_cleaned_and_the_skill_passes_both_validators(tmp_path: Path) -> None:
    skill = mcp_skill(DEMO, STDIO)[0]
    assert skill.description.startswith("Calls the tools of the MCP server demo (Demo (b)tools(/b)) from the command line")
    assert "<" not in skill.description and ">" not in skill.description
    folder = write_skill(skill, tmp_path)
    assert check_skill(folder) == []  # relative links in server text are made inert, not left dangling
    validated = subprocess.run([str(Path(sys.executable).parent / "agentskills"), "validate", str(folder)], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_text_resources_are_saved_binary_ones_listed_and_schemas_kept_sorted() -> None:
    skill = mcp_skill(DEMO, STDIO)[0]
    assert skill.files["references/resources/notes-read-me.md"] == "# Notes\n"
    assert "\n- [Notes: Read Me!](references/resources/notes-read-me.md) (`demo://notes`)\n" in skill.body
    assert "\n- `demo://logo` (logo; not saved: binary, read it through an MCP client)\n" in skill.body
    assert "\n- `demo://files/{path}` (File; a template, read only through an MCP client)\n" in skill.body
    tools = json.loads(skill.files["references/tools.json"])
    assert skill.files["references/tools.json"] == json.dumps(tools, sort_keys=True, indent=2) + "\n"
    assert list(tools) == ["get sum", "search"] and tools["search"]["inputSchema"] == SCHEMA
    assert "## `review`\n\nReview code.\n\n- `code` (required): The code.\n- `focus` (optional)\n" in skill.files["references/prompts.md"]


def test_a_url_is_written_with_the_name_of_its_token_variable_never_a_token() -> None:
    skill = mcp_skill(DEMO, McpEndpoint(url="https://tools.example.com/mcp", token_env="DEMO_TOKEN"))[0]
    assert 'SERVER: dict[str, Any] = {"token_env": "DEMO_TOKEN", "url": "https://tools.example.com/mcp"}\n' in skill.files["scripts/call.py"]
    assert "set `$DEMO_TOKEN` to the bearer token" in skill.body
    assert skill.compatibility is not None and "pip install 'mcp>=2.3,<3'" in skill.compatibility


def test_a_server_with_many_tools_and_resources_keeps_their_details_in_references(tmp_path: Path) -> None:
    many = replace(DEMO, tools=tuple(McpTool(f"tool-{n:03}", f"Tool {n}.", SCHEMA) for n in range(60)),
                   resources=tuple(McpResource(f"demo://doc/{n}", name=f"doc {n:03}", text=f"{n}\n") for n in range(400)))
    skill = mcp_skill(many, STDIO)[0]
    assert "### `tool-042`" in skill.files["references/tools.md"] and "\n- `tool-042`: Tool 42.\n" in skill.body
    assert "\n- [doc 007](resources/doc-007.txt) (`demo://doc/7`)\n" in skill.files["references/resources.md"]
    assert "All of them (resources: 400, templates: 1): [references/resources.md](references/resources.md)." in skill.body
    folder = write_skill(skill, tmp_path)
    assert check_skill(folder) == [] and len(skill.body.splitlines()) < MAX_BODY_LINES
    assert (folder / "references" / "resources" / "doc-007.txt").read_text(encoding="utf-8") == "7\n"


# Round trips: the generated script against real servers, compared with the SDK's own client.

@pytest.fixture
def ctx_server(sample_repo: Path) -> tuple[str, ...]:
    return (sys.executable, "-m", "ctx", "mcp", "serve", "--root", str(sample_repo))


def test_a_skill_of_ctxs_own_server_answers_as_the_server_does(ctx_server: tuple[str, ...], tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["skill", "from-mcp", "--out", str(tmp_path / "a"), "--", *ctx_server])
    assert done.exit_code == 0, done.output
    folder = tmp_path / "a" / "ctx"
    assert [p for p in check_skill(folder) if p.severity == "error"] == []
    calls = [(["tree", "--source", "."], {"source": "."}),
             (["search", "--source", ".", "--query", "greet", "--limit", "1"], {"source": ".", "query": "greet", "limit": 1})]
    for args, arguments in calls:
        proc = _script(folder, *args)
        assert proc.returncode == 0, proc.stderr
        printed = json.loads(proc.stdout)
        assert printed == _direct(ctx_server, args[0], arguments)
        assert printed["structured"] is not None and not printed["is_error"]
    again = CliRunner().invoke(cli, ["skill", "from-mcp", "--out", str(tmp_path / "b"), "--", *ctx_server])
    assert again.exit_code == 0 and _tree(folder) == _tree(tmp_path / "b" / "ctx")


@pytest.fixture
def fake_server(tmp_path: Path) -> tuple[str, ...]:
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER, encoding="utf-8")
    return (sys.executable, str(script))


def test_options_and_json_reach_the_tool_and_a_tool_error_exits_1(fake_server: tuple[str, ...], tmp_path: Path) -> None:
    record = anyio.run(lambda: read_mcp_server(McpEndpoint(command=fake_server)))
    folder = write_skill(mcp_skill(record, McpEndpoint(command=fake_server))[0], tmp_path)
    proc = _script(folder, "echo_args", "--text", "hi", "--count", "3", "--loud", "--tags", "a", "--tags", "b",
                   "--json", '{"filter": {"path": "src", "depth": 2}, "either": 7, "count": 9}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(json.loads(proc.stdout)["text"]) == {
        "text": "hi", "count": 3, "ratio": 0.5, "loud": True, "tags": ["a", "b"], "filter": {"path": "src", "depth": 2}, "either": 7,
    }
    failed = _script(folder, "ns/fails badly")  # dispatched by its exact name
    assert failed.returncode == 1 and json.loads(failed.stdout)["is_error"] is True
    assert failed.stderr.count("\n") == 1 and failed.stderr.startswith("call.py: the tool ns/fails badly reported an error")


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, ...], McpServer]:
    """The reference server, installed once with npm into a folder of its own; skipped when it cannot be had."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        pytest.skip("npm and node are needed to install the reference server-everything")
    prefix = tmp_path_factory.mktemp("server-everything")
    started = time.monotonic()
    try:
        installed = subprocess.run(
            [npm, "install", "--prefix", str(prefix), "--cache", str(prefix / ".npm-cache"), "--no-audit", "--no-fund",
             "--loglevel", "error", EVERYTHING], capture_output=True, text=True, timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"npm install {EVERYTHING} took over 120 s")
    if installed.returncode != 0:
        pytest.skip(f"npm cannot install {EVERYTHING}: {(installed.stderr.strip().splitlines() or ['no output'])[-1]}")
    command = (str(prefix / "node_modules" / ".bin" / "mcp-server-everything"), "stdio")
    try:
        record = anyio.run(lambda: read_mcp_server(McpEndpoint(command=command), timeout=max(10, 120 - (time.monotonic() - started))))
    except McpServerError as exc:
        pytest.skip(f"server-everything does not start with node {subprocess.getoutput(f'{node} --version')}: {exc}")
    return command, record


def test_a_skill_of_the_reference_everything_server_answers_as_the_server_does(
    everything: tuple[tuple[str, ...], McpServer], tmp_path: Path,
) -> None:
    command, record = everything
    skill, warnings = mcp_skill(record, McpEndpoint(command=command))
    assert warnings == ["the name 'mcp-servers/everything' is not a valid Skill name; using 'mcp-servers-everything'"]
    folder = write_skill(skill, tmp_path)
    assert check_skill(folder) == []
    assert "python3 scripts/call.py echo --message STRING\n" in skill.body
    calls = [
        (["echo", "--message", "hello from a Skill"], "echo", {"message": "hello from a Skill"}),
        (["get-sum", "--json", '{"a": 2, "b": 3.5}'], "get-sum", {"a": 2, "b": 3.5}),
        (["get-structured-content", "--location", "Chicago"], "get-structured-content", {"location": "Chicago"}),
    ]
    for args, tool, arguments in calls:
        proc = _script(folder, *args)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == _direct(command, tool, arguments)
    assert json.loads(_script(folder, "echo", "--message", "hi").stdout)["text"] == "Echo: hi"


# The command line: bad input is one line and a way out.

def test_an_existing_skill_folder_is_refused_without_force(ctx_server: tuple[str, ...], tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["skill", "from-mcp", "--out", str(tmp_path), "--", *ctx_server]).exit_code == 0
    refused = _ctx("skill", "from-mcp", "--out", str(tmp_path), "--", *ctx_server)
    assert refused.returncode == 1
    assert refused.stderr == f"ctx: error: {tmp_path / 'ctx'} already exists; choose another --out folder, or pass --force to replace it\n"
    assert CliRunner().invoke(cli, ["skill", "from-mcp", "--out", str(tmp_path), "--force", "--", *ctx_server]).exit_code == 0


@pytest.mark.parametrize(("command", "said"), [
    (["false"], "ctx: error: false exited before answering; run the command by hand to see why it stops\n"),
    ([sys.executable, "-c", "import sys; sys.exit('no config found')"], "exited before answering (it said: no config found)"),
    (["no-such-mcp-server-program"], "ctx: error: cannot start no-such-mcp-server-program: No such file or directory; "),
    ([sys.executable, "-c", "import time; time.sleep(60)"], "did not answer within 1 s; it may need longer to start (raise --timeout)"),
])
def test_a_server_that_does_not_start_or_answer_is_one_line(command: list[str], said: str, tmp_path: Path) -> None:
    proc = _ctx("skill", "from-mcp", "--out", str(tmp_path), "--timeout", "1", "--", *command)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and said in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_says_how_to_give_the_server() -> None:
    helped = CliRunner().invoke(cli, ["skill", "from-mcp", "--help"], terminal_width=100, prog_name="ctx")
    assert helped.exit_code == 0
    assert "Usage: ctx skill from-mcp [OPTIONS] (URL | -- COMMAND...)" in helped.output
    assert "--token-env NAME" in helped.output and "ctx skill from-mcp --out skills -- npx -y" in helped.output
    wrong = CliRunner().invoke(cli, ["skill", "from-mcp", "--out", "x", "--token-env", "T", "--", "false"])
    assert wrong.exit_code == 2 and "apply to a URL, not to a command" in wrong.output


@pytest.fixture
def hosted(sample_repo: Path, tmp_path: Path) -> Iterator[str]:
    """ctx's hosted server on a free loopback port, with a token; yields its /mcp URL."""
    with hosted_server(sample_repo, TOKEN, tmp_path / "server.log") as base:
        yield f"{base}/mcp"


def test_a_url_needs_a_token_which_the_skill_reads_from_the_environment(hosted: str, tmp_path: Path) -> None:
    plain = {key: value for key, value in os.environ.items() if key not in ("CTX_MCP_TOKEN", "DEMO_TOKEN")}
    refused = _ctx("skill", "from-mcp", "--out", str(tmp_path), hosted, env=plain)
    assert refused.returncode == 1
    assert refused.stderr == (f"ctx: error: {hosted} refused the request: 401 Unauthorized; "
                              "pass a token: --token-env NAME (a variable holding it) or --token-file FILE\n")
    done = _ctx("skill", "from-mcp", "--out", str(tmp_path), "--token-env", "DEMO_TOKEN", hosted, env={**plain, "DEMO_TOKEN": TOKEN})
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "ctx"
    assert not any(TOKEN.encode() in data for data, _ in _tree(folder).values())
    called = _script(folder, "tree", "--source", ".", env={**plain, "DEMO_TOKEN": TOKEN})
    assert called.returncode == 0 and "core.py" in json.loads(called.stdout)["text"]
    without = _script(folder, "tree", "--source", ".", env=plain)
    assert without.returncode == 1 and without.stdout == ""
    assert without.stderr == f"call.py: error: {hosted} refused the request: 401 Unauthorized; set $DEMO_TOKEN to a bearer token the server accepts\n"
