#!/usr/bin/env python3
"""Call one tool of an MCP server from the command line and print its result as JSON.

    python3 scripts/call.py TOOL [--ARG VALUE ...] [--json '{"ARG": ...}']
    python3 scripts/call.py TOOL --help      the tool's options
    python3 scripts/call.py --help           every tool

`ctx skill from-mcp` copies this file into each Skill it writes, with SERVER below filled in:
the command that starts the server over stdio, or its Streamable HTTP URL and the environment
variable the bearer token is read from at each call (a token is never written down). The tools'
input schemas come from ../references/tools.json. The result is one JSON object, {"tool",
"is_error", "text", "structured"}; the script exits 1, with one line on stderr, when the tool
reports an error or the server cannot be reached, and 2 on a usage mistake.

ctx itself connects to servers through `session` below, so the Skill and ctx reach them alike.
Needs Python 3.11+ and the MCP Python SDK 2.x: pip install 'mcp>=2.3,<3'.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import sys
import tempfile
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

SERVER: dict[str, Any] = {}  # filled in by ctx skill from-mcp

CALL_TIMEOUT = 300.0
SDK = "pip install 'mcp>=2.3,<3'"
SCALARS = ("string", "integer", "number", "boolean")
RESERVED = ("help", "json")  # the script's own options
OPTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
T = TypeVar("T")


class Unreachable(Exception):
    """The server could not be started, reached or understood; `kind` names the cause, for a hint."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind  # sdk | start | timeout | exited | auth | http | connect | protocol


def describe(server: Mapping[str, Any]) -> str:
    """The server as a person would type it: its URL, or its command line."""
    return str(server["url"]) if server.get("url") else shlex.join(server.get("command") or [])


async def session(server: Mapping[str, Any], token: str | None, timeout: float, work: Callable[[Any], Awaitable[T]]) -> T:
    """Connect to `server`, run `work(client)` with the connected `mcp.Client`, and disconnect,
    all within `timeout` seconds; raises Unreachable (one line, with a `kind`) on any failure."""
    try:  # imported before the clock starts: a cold import of the SDK alone can take a second
        import anyio
        import httpx2  # noqa: F401
        import mcp.client.stdio  # noqa: F401
        import mcp.client.streamable_http  # noqa: F401
    except ImportError as exc:
        raise Unreachable(f"the MCP Python SDK 2.x is not installed: {SDK}", "sdk") from exc
    statuses: list[int] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            with anyio.fail_after(timeout):
                async with _client(server, token, errlog, statuses) as client:
                    return await work(client)
        except Unreachable:
            raise
        except Exception as exc:  # the transport's, the SDK's and the server's failures alike become one line
            raise Unreachable(*_explain(_leaf(exc), server, statuses, errlog, timeout)) from exc


@asynccontextmanager
async def _client(server: Mapping[str, Any], token: str | None, errlog: IO[str], statuses: list[int]) -> AsyncIterator[Any]:
    """An entered `mcp.Client`: over Streamable HTTP for a URL, else a subprocess over stdio."""
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamable_http_client

    if server.get("url"):
        import httpx2

        async def record(response: httpx2.Response) -> None:
            statuses.append(response.status_code)

        headers = {"authorization": f"Bearer {token}"} if token else {}
        http = httpx2.AsyncClient(headers=headers, timeout=CALL_TIMEOUT, event_hooks={"response": [record]})
        async with http, Client(streamable_http_client(str(server["url"]), http_client=http)) as client:
            yield client
        return
    command = [str(part) for part in server.get("command") or []]
    if not command:
        raise Unreachable("no server command or URL is set in this script", "start")
    parameters = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    async with Client(stdio_client(parameters, errlog=cast(TextIO, errlog))) as client:
        yield client


def _leaf(error: BaseException) -> BaseException:
    """The first real error inside the exception groups that task groups wrap errors in."""
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error


def _explain(error: BaseException, server: Mapping[str, Any], statuses: list[int], errlog: IO[str], timeout: float) -> tuple[str, str]:
    """What went wrong, in one line, and its kind."""
    where = describe(server)
    refused = [status for status in statuses if status >= 400]
    if isinstance(error, TimeoutError):
        return f"{where} did not answer within {timeout:g} s", "timeout"
    if 401 in refused:
        return f"{where} refused the request: 401 Unauthorized", "auth"
    if refused:
        return f"{where} answered HTTP {refused[0]}", "http"
    if isinstance(error, OSError) and not server.get("url"):
        return f"cannot start {where}: {error.strerror or error}", "start"
    if type(error).__name__ in ("ConnectError", "ConnectTimeout"):
        return f"cannot connect to {where}: {error}", "connect"
    if "Connection closed" in str(error) and not server.get("url"):
        errlog.seek(0)
        said = [line.strip() for line in errlog.read().splitlines() if line.strip()]
        return f"{where} exited before answering" + (f" (it said: {said[-1][:200]})" if said else ""), "exited"
    return f"{where} failed: {str(error).splitlines()[0] if str(error) else type(error).__name__}", "protocol"


@dataclass(frozen=True)
class Argument:
    """One argument of a tool, and how the command line takes it: as an option of a scalar `kind`
    (repeated when `many`), or, when `json_only` says why, only inside --json."""

    name: str
    required: bool
    description: str
    kind: str = ""  # string | integer | number | boolean; "" when json_only
    many: bool = False
    choices: tuple[Any, ...] = ()
    json_only: str = ""  # why it cannot be an option, e.g. "an object"
    default: str = ""  # the schema's default, as JSON; "" when none (or null)

    @property
    def flag(self) -> str:
        return f"--{self.name}"


def arguments(schema: Mapping[str, Any]) -> list[Argument]:
    """Each argument of a tool's input schema, sorted by name: nullable scalars and lists of them
    are options; objects, unions and lists of objects must be passed inside --json."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    names = set(properties)
    found = []
    for name in sorted(properties):
        spec = properties[name] if isinstance(properties[name], Mapping) else {}
        shape = _shape(spec, schema)
        description = " ".join(str(spec.get("description") or _resolve(spec, schema).get("description") or "").split())
        default = json.dumps(spec["default"], ensure_ascii=False) if spec.get("default") is not None else ""
        common = {"name": name, "required": name in required, "description": description, "default": default}
        if isinstance(shape, str):
            found.append(Argument(**common, json_only=shape))
        elif not OPTION_NAME.fullmatch(name) or name in RESERVED or (shape[0] == "boolean" and f"no-{name}" in names):
            found.append(Argument(**common, json_only="a name the command line cannot take as an option"))
        else:
            found.append(Argument(**common, kind=shape[0], many=shape[1], choices=shape[2]))
    return found


def _resolve(schema: Any, root: Mapping[str, Any]) -> Mapping[str, Any]:
    """`schema` with local $refs (#/$defs/..., #/definitions/...) and one-element allOfs followed."""
    for _ in range(20):
        if not isinstance(schema, Mapping):
            return {}
        if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
            target: Any = root
            for part in schema["$ref"][2:].split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            schema = target
        elif isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema
    return {}


def _one_type(schema: Any, root: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema's single non-null alternative (a nullable X is an X), or None for a real union."""
    found = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if isinstance(found.get(key), list):
            arms = [arm for arm in found[key] if _resolve(arm, root).get("type") != "null"]
            return _one_type(arms[0], root) if len(arms) == 1 else None
    kinds = found.get("type")
    if isinstance(kinds, list):
        rest = [kind for kind in kinds if kind != "null"]
        return {**found, "type": rest[0]} if len(rest) == 1 else None
    return found


def _scalar(schema: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """(type, choices) of a scalar schema, else None."""
    choices = tuple(value for value in schema.get("enum") or () if value is not None)
    kind = schema.get("type")
    if kind is None and choices and all(isinstance(value, str) for value in choices):
        kind = "string"
    return (kind, choices) if kind in SCALARS else None


def _shape(spec: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[str, bool, tuple[Any, ...]] | str:
    """(kind, many, choices) for an option, or why the argument must go inside --json."""
    schema = _one_type(spec, root)
    if schema is None:
        return "a union of types"
    if schema.get("type") == "array":
        items = _one_type(schema.get("items") or {}, root)
        item = _scalar(items) if items is not None else None
        return (item[0], True, item[1]) if item else "a list of objects or mixed values"
    scalar = _scalar(schema)
    if scalar:
        return scalar[0], False, scalar[1]
    return "an object" if schema.get("type") == "object" or "properties" in schema else "a value of any type"


def json_example(argument: Argument, schema: Mapping[str, Any]) -> str:
    """--json '{"name": ...}' with a placeholder shaped like the argument."""
    spec = _one_type((schema.get("properties") or {}).get(argument.name) or {}, schema) or {}
    placeholder = {"object": "{...}", "array": "[...]"}.get(str(spec.get("type")), "...")
    if "properties" in spec:
        placeholder = "{...}"
    return f"--json '{{{json.dumps(argument.name)}: {placeholder}}}'"


def _number(text: str) -> int | float:
    """A JSON number: an integer when written as one."""
    return int(text) if re.fullmatch(r"[-+]?\d+", text.strip()) else float(text)


def tool_parser(tool: Mapping[str, Any]) -> argparse.ArgumentParser:
    """The command line of one tool, built from its input schema."""
    schema = tool.get("inputSchema") or {}
    found = arguments(schema)
    inside = [a for a in found if a.json_only]
    epilog = "\n".join(
        [f"Pass {'this argument' if len(inside) == 1 else 'these arguments'} inside --json:"]
        + [f"  {a.name} ({a.json_only}{', required' if a.required else ''}): {json_example(a, schema)}" for a in inside]
    ) if inside else None
    parser = argparse.ArgumentParser(
        prog=f"call.py {shlex.quote(str(tool['name']))}", description=tool.get("description") or None, epilog=epilog,
        allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    types: dict[str, Callable[[str], Any]] = {"string": str, "integer": int, "number": _number}
    for argument in found:
        if argument.json_only:
            continue
        note = f"{argument.description} " if argument.description else ""
        choices = f"; one of: {', '.join(map(str, argument.choices))}" if argument.choices else ""
        default = f"; default: {argument.default}" if argument.default else ""
        text = f"{note}({argument.kind}{', repeatable' if argument.many else ''}{', required' if argument.required else ''}{choices}{default})"
        text = text.replace("%", "%%")
        if argument.kind == "boolean" and not argument.many:
            parser.add_argument(argument.flag, dest=argument.name, action=argparse.BooleanOptionalAction,
                                default=argparse.SUPPRESS, help=text)
            continue
        convert = types.get(argument.kind, _boolean)
        parser.add_argument(argument.flag, dest=argument.name, type=convert, choices=list(argument.choices) or None,
                            action="append" if argument.many else "store", default=argparse.SUPPRESS,
                            metavar=argument.kind.upper(), help=text)
    parser.add_argument("--json", dest=" json", metavar="OBJECT", default=None,
                        help="Arguments as one JSON object; options given beside it win.")
    return parser


def _boolean(text: str) -> bool:
    if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
        raise argparse.ArgumentTypeError(f"{text!r} is not true or false")
    return text.lower() in ("true", "1", "yes")


def parse_call(tool: Mapping[str, Any], argv: list[str]) -> dict[str, Any]:
    """The arguments to send: --json's object, then the options over it; exits 2 on a mistake."""
    parser = tool_parser(tool)
    given = vars(parser.parse_args(argv))
    text = given.pop(" json")
    try:
        sent = json.loads(text) if text is not None else {}
    except json.JSONDecodeError as exc:
        parser.error(f"--json is not valid JSON: {exc.msg} at character {exc.pos}")
    if not isinstance(sent, dict):
        parser.error("--json must be a JSON object, e.g. --json '{\"name\": \"value\"}'")
    sent.update(given)
    missing = [a for a in arguments(tool.get("inputSchema") or {}) if a.required and a.name not in sent]
    if missing:
        parser.error("missing " + ", ".join(a.flag if not a.json_only else f"{a.name} (inside --json)" for a in missing))
    return sent


async def call(server: Mapping[str, Any], token: str | None, tool: str, sent: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Call `tool` and return {"tool", "is_error", "text", "structured"}; raises Unreachable."""

    async def work(client: Any) -> dict[str, Any]:
        result = await client.call_tool(tool, sent)
        text = "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")
        return {"tool": tool, "is_error": bool(result.is_error), "text": text, "structured": result.structured_content}

    return await session(server, token, timeout, work)


HINTS = {
    "auth": "set ${token_env} to a bearer token the server accepts",
    "start": "install the server's program, or fix the command at the top of this script",
    "timeout": "the server may need longer: put --timeout SECONDS before the tool name",
    "exited": "run the server's command by hand to see why it stops",
    "connect": "check that the server is running at that URL",
}


def _overview(tools: Mapping[str, Any]) -> str:
    usage = textwrap.dedent(__doc__.split("\n\n")[1]).strip() if __doc__ else ""
    lines = ["usage:", textwrap.indent(usage, "  "), "", "tools:"]
    width = max((len(shlex.quote(name)) for name in tools), default=0)
    for name in sorted(tools):
        summary = (str(tools[name].get("description") or "").strip().splitlines() or [""])[0]
        lines.append(f"  {shlex.quote(name):{width}}  {summary}".rstrip())
    lines += ["", f"Server: {describe(SERVER)}", f"--timeout SECONDS before the tool name: wait that long (default {CALL_TIMEOUT:g})."]
    return "\n".join(lines)


def _split(argv: list[str]) -> tuple[float, list[str]]:
    """The --timeout given before the tool name, and the rest."""
    timeout = CALL_TIMEOUT
    if argv[:1] == ["--timeout"] or (argv and argv[0].startswith("--timeout=")):
        value, argv = (argv[1] if len(argv) > 1 else "", argv[2:]) if argv[0] == "--timeout" else (argv[0][10:], argv[1:])
        try:
            timeout = float(value)
        except ValueError:
            timeout = 0
        if timeout <= 0:
            print(f"call.py: --timeout needs a number of seconds, not {value!r}", file=sys.stderr)
            raise SystemExit(2)
    return timeout, argv[1:] if argv[:1] == ["--"] else argv


def main(argv: list[str] | None = None) -> int:
    """Run one tool call as the command line asks; the exit status."""
    logging.getLogger("mcp").setLevel(logging.CRITICAL + 1)  # the SDK's own logging would add lines to stderr
    tools = json.loads((Path(__file__).resolve().parents[1] / "references" / "tools.json").read_text(encoding="utf-8"))
    timeout, args = _split(list(sys.argv[1:] if argv is None else argv))
    if not args or args[0] in ("-h", "--help"):
        print(_overview(tools))
        return 0 if args else 2
    if args[0] not in tools:
        print(f"call.py: no tool named {args[0]!r}; choose from {', '.join(sorted(tools))}", file=sys.stderr)
        return 2
    return _run(args[0], parse_call(tools[args[0]], args[1:]), timeout)


def _run(name: str, sent: dict[str, Any], timeout: float) -> int:
    """Call the tool, print its result; 1 when it reports an error or the server cannot be reached."""
    token_env = str(SERVER.get("token_env") or "")
    try:
        try:
            import anyio
        except ImportError as exc:
            raise Unreachable(f"the MCP Python SDK is not installed: {SDK}", "sdk") from exc
        result = anyio.run(call, SERVER, os.environ.get(token_env) if token_env else None, name, sent, timeout)
    except Unreachable as exc:
        hint = HINTS.get(exc.kind, "").replace("{token_env}", token_env)
        print(f"call.py: error: {exc}" + (f"; {hint}" if hint else ""), file=sys.stderr)
        return 1
    try:
        print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    except BrokenPipeError:  # e.g. `call.py ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    if result["is_error"]:
        first = (result["text"].strip().splitlines() or ["no message"])[0]
        print(f"call.py: the tool {name} reported an error: {first[:300]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
