"""`ctx adapt`: a user's typed functions as a command, an MCP server and a Skill, through ctx's own adapters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from click.testing import CliRunner
from mcp import Client, StdioServerParameters
from mcp.types import TextContent

from ctx.adapt import AdaptError, load_spec
from ctx.cli import cli
from mcp_servers import ServerOptions, build_server
from skills import check_skill

TOOLS = '''\
from dataclasses import dataclass


@dataclass
class Stats:
    words: int
    chars: int


def count_words(text: str, *, min_length: int = 1, stop: list[str] | None = None) -> Stats:
    """Count the words of a text.

    Args:
        text: The text to count.
        min_length: Only words at least this long.
        stop: Words to leave out.
    """
    words = [w for w in text.split() if len(w) >= min_length and w not in (stop or [])]
    return Stats(len(words), len(text))


def divide(a: float, b: float) -> float:
    """Divide a by b."""
    return a / b
'''


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "userfns"
    folder.mkdir()
    (folder / "mytools.py").write_text(TOOLS, encoding="utf-8")
    return folder


def test_call_runs_the_function_with_options_from_its_signature(module_dir: Path) -> None:
    done = CliRunner().invoke(cli, ["adapt", "call", "--path", str(module_dir), "mytools:count_words",
                                    "--text", "a bb ccc", "--min-length", "2", "--stop", "bb"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["result"] == {"words": 1, "chars": 8}


@pytest.mark.parametrize(
    ("target", "words"),
    [("mytools", "is not MODULE:FUNCTION"), ("nothere:f", "cannot import nothere"), ("mytools:nope", "mytools has no function nope"),
     ("mytools:Stats", "is a class")],
)
def test_bad_targets_are_one_line_errors(module_dir: Path, target: str, words: str) -> None:
    with pytest.raises(AdaptError, match=words):
        load_spec(target, module_dir)


def test_a_function_that_raises_is_reported_in_one_line(module_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run([sys.executable, "-m", "ctx", "adapt", "call", "--path", str(module_dir), "mytools:divide", "--a", "1", "--b", "0"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1 and done.stderr.strip() == "ctx: error: divide raised ZeroDivisionError: float division by zero; fix the function or its arguments"


def test_the_functions_as_mcp_tools(module_dir: Path) -> None:
    specs = [load_spec("mytools:count_words", module_dir), load_spec("mytools:divide", module_dir)]

    async def run() -> tuple[object, object, object]:
        async with Client(build_server(ServerOptions(), specs=specs)) as client:
            tools = (await client.list_tools()).tools
            ok = await client.call_tool("count_words", {"text": "one two three", "stop": ["two"]})
            failed = await client.call_tool("divide", {"a": 1, "b": 0})
            return tools, ok, failed

    tools, ok, failed = anyio.run(run)
    count = tools[0]  # type: ignore[index]
    assert [t.name for t in tools] == ["count_words", "divide"]  # type: ignore[attr-defined]
    assert count.input_schema["properties"]["min_length"]["description"] == "Only words at least this long."
    assert count.description.startswith("Count the words of a text.")
    assert ok.structured_content["result"] == {"words": 2, "chars": 13}  # type: ignore[attr-defined]
    assert failed.is_error and "ZeroDivisionError" in failed.content[0].text  # type: ignore[attr-defined]


def test_serve_over_stdio(module_dir: Path) -> None:
    server = StdioServerParameters(command=sys.executable, args=["-m", "ctx", "adapt", "serve", "--path", str(module_dir), "mytools:divide"],
                                   env=dict(os.environ))

    async def run() -> str:
        async with Client(server) as client:
            result = await client.call_tool("divide", {"a": 3, "b": 2})
            block = result.content[0]
            return block.text if isinstance(block, TextContent) else ""

    assert json.loads(anyio.run(run)) == 1.5


def test_the_functions_as_skills(module_dir: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["adapt", "skill", "--path", str(module_dir), "mytools:count_words", "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    folder = tmp_path / "out" / "count-words"
    assert check_skill(folder) == []
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([str(folder / "scripts" / "count_words.py"), "--text", "x yy"], capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["result"] == {"words": 2, "chars": 4}
