"""Any MCP server as one Agent Skill, without a model: its tools, resources and prompts, read once.

Two stages over plain records. `read_mcp_server` connects (a command over stdio, or a Streamable
HTTP URL) and returns an `McpServer`: the server's name and instructions, its tools with their
schemas, its resources with their text, its prompts. `mcp_skill` renders that record as a Skill:
SKILL.md describing each tool's arguments, `scripts/call.py` (the dispatcher in `mcp_call.py`,
with the server's command or URL written at its top; never a token), `references/tools.json`,
`references/prompts.md` and the text resources under `references/resources/`. Everything is
sorted by name, so the same server gives the same bytes.
"""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import CtxError

from . import mcp_call
from .model import MAX_BODY_LINES, MAX_COMPATIBILITY, Skill, clean_description, normalize_name

DEFAULT_TOKEN_ENV = "CTX_MCP_TOKEN"
MAX_RESOURCE_CHARS = 1_000_000  # a larger text resource is listed, not saved
MAX_PAGES = 100  # of one listing, against a server whose cursor never ends
BODY_BUDGET = MAX_BODY_LINES - 100  # past this, tool details and the resource list move to references/
DUMP = {"by_alias": True, "exclude_none": True, "mode": "json"}
EXTENSIONS = {"text/markdown": ".md", "application/json": ".json", "text/html": ".html", "text/csv": ".csv",
              "application/xml": ".xml", "text/xml": ".xml", "application/yaml": ".yaml", "text/x-python": ".py"}
MARKER = "SERVER: dict[str, Any] = {}  # filled in by ctx skill from-mcp\n"


class McpServerError(CtxError):
    """An MCP server that cannot be started, reached or read; `server` is its command line or URL."""

    def __init__(self, message: str, *, server: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.server = server


@dataclass(frozen=True)
class McpEndpoint:
    """Where a server is: a `command` run over stdio, or a Streamable HTTP `url` whose bearer
    token the generated script reads from the environment variable `token_env` at each call."""

    command: tuple[str, ...] = ()
    url: str | None = None
    token_env: str = DEFAULT_TOKEN_ENV

    def __post_init__(self) -> None:
        if bool(self.command) == bool(self.url):
            raise ValueError("give a command or a URL, not both or neither")

    @property
    def label(self) -> str:
        """The command line or the URL, as a person would type it."""
        return mcp_call.describe(self.data())

    def data(self) -> dict[str, Any]:
        """What the script embeds: the command, or the URL and the name of the token's variable."""
        return {"url": self.url, "token_env": self.token_env} if self.url else {"command": list(self.command)}


@dataclass(frozen=True)
class McpTool:
    """One tool as the server lists it; the schemas are JSON Schema objects."""

    name: str
    description: str = ""
    input_schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    title: str | None = None
    output_schema: dict[str, Any] | None = None
    annotations: dict[str, Any] = field(default_factory=dict)

    def definition(self) -> dict[str, Any]:
        """The tool in MCP's JSON shape (camelCase keys), as references/tools.json keeps it."""
        found = {"name": self.name, "title": self.title, "description": self.description, "inputSchema": self.input_schema,
                 "outputSchema": self.output_schema, "annotations": self.annotations or None}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class McpResource:
    """A resource (or, in `McpServer.templates`, a resource template, `uri` being the template);
    `text` is its content when it is text, else None and `note` says why it was not saved."""

    uri: str
    name: str = ""
    description: str = ""
    mime_type: str | None = None
    text: str | None = None
    note: str = ""


@dataclass(frozen=True)
class McpPrompt:
    """A prompt; each argument is (name, description, required)."""

    name: str
    description: str = ""
    title: str | None = None
    arguments: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class McpServer:
    """What a server offers, read once: `name` is empty when the server does not identify itself."""

    name: str
    version: str = ""
    title: str | None = None
    description: str | None = None
    instructions: str | None = None
    tools: tuple[McpTool, ...] = ()
    resources: tuple[McpResource, ...] = ()
    templates: tuple[McpResource, ...] = ()
    prompts: tuple[McpPrompt, ...] = ()


HINTS = {
    "sdk": "reinstall ctx-toolkit, which depends on it",
    "start": "check the command after --: is its program installed and on PATH? Try running it by hand",
    "timeout": "it may need longer to start (raise --timeout), or it is not an MCP server speaking stdio",
    "exited": "run the command by hand to see why it stops",
    "auth": "pass a token: --token-env NAME (a variable holding it) or --token-file FILE",
    "http": "check the URL: it should be the server's MCP endpoint, e.g. https://host/mcp",
    "connect": "check the URL and that the server is running",
    "protocol": "check that it is an MCP server (stdio servers often need an argument such as 'stdio')",
}


async def read_mcp_server(endpoint: McpEndpoint, *, token: str | None = None, timeout: float = 30) -> McpServer:
    """Connect to the server and read everything a Skill describes, within `timeout` seconds.

    Raises McpServerError when it cannot be started, reached or read (one line, with a hint)."""
    try:
        return await mcp_call.session(endpoint.data(), token, timeout, _read)
    except mcp_call.Unreachable as exc:
        raise McpServerError(str(exc), server=endpoint.label, hint=HINTS.get(exc.kind)) from exc


async def _read(client: Any) -> McpServer:
    """The records of a connected `mcp.Client`; only the features the server declares are listed."""
    info = client.server_info
    capabilities = client.server_capabilities
    tools = await _pages(client.list_tools, "tools") if capabilities.tools else []
    resources = await _pages(client.list_resources, "resources") if capabilities.resources else []
    templates = await _pages(client.list_resource_templates, "resource_templates") if capabilities.resources else []
    prompts = await _pages(client.list_prompts, "prompts") if capabilities.prompts else []
    return McpServer(
        name=info.name if info else "",
        version=info.version if info else "",
        title=getattr(info, "title", None),
        description=getattr(info, "description", None),
        instructions=client.instructions,
        tools=tuple(sorted((_tool(t) for t in tools), key=lambda t: t.name)),
        resources=tuple(sorted([await _resource(client, r) for r in resources], key=lambda r: (r.name, r.uri))),
        templates=tuple(sorted((_template(t) for t in templates), key=lambda r: (r.name, r.uri))),
        prompts=tuple(sorted((_prompt(p) for p in prompts), key=lambda p: p.name)),
    )


async def _pages(listing: Any, attribute: str) -> list[Any]:
    """Every item of a paginated listing."""
    items: list[Any] = []
    cursor = None
    for _ in range(MAX_PAGES):
        page = await listing(cursor=cursor)
        items += getattr(page, attribute)
        cursor = page.next_cursor
        if not cursor:
            break
    return items


def _tool(tool: Any) -> McpTool:
    return McpTool(
        name=tool.name, description=tool.description or "", input_schema=dict(tool.input_schema), title=tool.title,
        output_schema=dict(tool.output_schema) if tool.output_schema else None,
        annotations=tool.annotations.model_dump(**DUMP) if tool.annotations else {},
    )


async def _resource(client: Any, resource: Any) -> McpResource:
    """A resource with its text, or a note saying why it has none."""
    from mcp import MCPError

    known = {"uri": str(resource.uri), "name": resource.name or "", "description": resource.description or "",
             "mime_type": resource.mime_type}
    try:
        contents = (await client.read_resource(str(resource.uri))).contents
    except MCPError as exc:
        return McpResource(**known, note=f"could not be read: {exc}")
    if not contents or any(getattr(part, "text", None) is None for part in contents):
        return McpResource(**known, note="binary, read it through an MCP client")
    text = "".join(part.text for part in contents)
    if len(text) > MAX_RESOURCE_CHARS:
        return McpResource(**known, note=f"{len(text):,} characters, over {MAX_RESOURCE_CHARS:,}: read it through an MCP client")
    return McpResource(**known, text=text)


def _template(template: Any) -> McpResource:
    return McpResource(uri=template.uri_template, name=template.name or "", description=template.description or "",
                       mime_type=template.mime_type, note="a template, read only through an MCP client")


def _prompt(prompt: Any) -> McpPrompt:
    arguments = tuple(sorted((a.name, a.description or "", bool(a.required)) for a in prompt.arguments or ()))
    return McpPrompt(name=prompt.name, description=prompt.description or "", title=prompt.title, arguments=arguments)


def mcp_skill(server: McpServer, endpoint: McpEndpoint, *, name: str | None = None) -> tuple[Skill, list[str]]:
    """The Skill for `server`, reached at `endpoint`, and warnings to show (a name made valid).

    Pure: the same records give the same Skill, byte for byte."""
    chosen, warning = normalize_name(name or server.name or "mcp-server")
    warnings = [warning] if warning else []
    if not (name or server.name):
        warnings.append("the server gave no name; using 'mcp-server' (pass --name to choose one)")
    tools = sorted(server.tools, key=lambda t: t.name)
    saved = _resource_files(sorted(server.resources, key=lambda r: (r.name, r.uri)))
    files = {"scripts/call.py": _script(endpoint), "references/tools.json": _tools_json(tools)}
    files |= {path: resource.text or "" for path, resource in saved.items()}
    if server.instructions and server.instructions.strip():
        files["references/instructions.md"] = f"# Instructions from the server\n\n{_safe(server.instructions.strip())}\n"
    if server.prompts:
        files["references/prompts.md"] = _prompts(server)
    body, moved = _body(server, endpoint, files, {resource.uri: path for path, resource in saved.items()})
    skill = Skill(
        name=chosen,
        description=_description(server, tools),
        body=body,
        files=dict(sorted((files | moved).items())),
        compatibility=_compatibility(endpoint),
        metadata={key: value for key, value in {"generated-by": "ctx skill from-mcp", "mcp-server": server.name,
                                                  "mcp-server-version": server.version}.items() if value},
        executable=frozenset({"scripts/call.py"}),
    )
    return skill, warnings


def _body(server: McpServer, endpoint: McpEndpoint, files: dict[str, str], saved: dict[str, str]) -> tuple[str, dict[str, str]]:
    """SKILL.md's body, and the references its long parts move to when it would pass BODY_BUDGET lines."""
    tools = sorted(server.tools, key=lambda t: t.name)
    resources = sorted(server.resources, key=lambda r: (r.name, r.uri))
    intro = _intro(server, endpoint, files)
    tool_text = "\n".join(_tool_section(tool) for tool in tools) or "The server offers no tools.\n"
    resource_text = _resource_list(resources, server.templates, saved, here="")
    moved = {}
    if len((intro + tool_text + resource_text).splitlines()) > BODY_BUDGET:
        moved["references/tools.md"] = f"# Tools\n\n{tool_text}"
        tool_text = _tool_index(tools)
    if len((intro + tool_text + resource_text).splitlines()) > BODY_BUDGET:
        moved["references/resources.md"] = f"# Resources\n\n{_resource_list(resources, server.templates, saved, here='references/')}"
        resource_text = (f"All of them (resources: {len(resources)}, templates: {len(server.templates)}): "
                         "[references/resources.md](references/resources.md).\n")
    body = f"{intro}\n## Tools\n\n{tool_text}" + (f"\n## Resources\n\n{resource_text}" if resource_text else "")
    return body, moved


def _label(server: McpServer) -> str:
    return server.title or server.name or "MCP server"


def _description(server: McpServer, tools: list[McpTool]) -> str:
    """What the Skill does and when to use it; the tool names come last, since a long list is cut."""
    name = server.name or "unnamed"
    label = f"{name} ({server.title})" if server.title and server.title != name else name
    what = (f"Calls the tools of the MCP server {label} from the command line, each result printed as JSON."
            if tools else f"The resources and prompts of the MCP server {label}, saved as references.")
    about = f" {server.description.strip()}" if server.description and server.description.strip() else ""
    when = f" Use it when a task needs what the {name} server offers and no MCP client is connected to it."
    names = [t.name for t in tools[:15]] + ([f"and {len(tools) - 15} more"] if len(tools) > 15 else [])
    listed = f" Tools: {', '.join(names)}." if names else ""
    return clean_description(what + about + when + listed)


def _compatibility(endpoint: McpEndpoint) -> str:
    needs = "Needs Python 3.11+ and the MCP Python SDK (pip install 'mcp>=2.3,<3')"
    where = (f"; network access to {endpoint.url}, with a bearer token in ${endpoint.token_env} if it asks for one."
             if endpoint.url else f"; starts the server with: {endpoint.label}")
    return needs + (where if len(needs + where) <= MAX_COMPATIBILITY else "; the server's command or URL is at the top of scripts/call.py.")


def _script(endpoint: McpEndpoint) -> str:
    """The dispatcher with the server written in: JSON of strings and lists is a Python literal."""
    source = Path(mcp_call.__file__).read_text(encoding="utf-8")
    if source.count(MARKER) != 1:
        raise RuntimeError("skills/mcp_call.py lost the line that ctx skill from-mcp fills in")
    literal = json.dumps(endpoint.data(), sort_keys=True, ensure_ascii=True)
    return source.replace(MARKER, f"SERVER: dict[str, Any] = {literal}\n")


def _tools_json(tools: list[McpTool]) -> str:
    return json.dumps({tool.name: tool.definition() for tool in tools}, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _intro(server: McpServer, endpoint: McpEndpoint, files: dict[str, str]) -> str:
    """The body's first part: what the Skill is, how to call a tool, where the rest is."""
    version = f" {server.version}" if server.version else ""
    where = (f"at `{endpoint.url}`; set `${endpoint.token_env}` to the bearer token first if the server asks for one "
             "(the script reads it at each call; it is never stored)" if endpoint.url
             else f"started anew for each call as `{endpoint.label}`")
    lines = [
        f"# {_safe(_label(server))}", "",
        f"The tools of the MCP server `{server.name or 'unnamed'}`{version}, {where}.",
        *([_safe(server.description.strip())] if server.description and server.description.strip() else []), "",
        "## Call a tool", "",
        "```bash",
        "python3 scripts/call.py TOOL --ARG VALUE ...          # the options listed for the tool below",
        "python3 scripts/call.py TOOL --json '{\"ARG\": ...}'    # any argument, inside one JSON object",
        "python3 scripts/call.py TOOL --help                   # the tool's options",
        "```", "",
        "It prints one JSON object: `tool`, `is_error`, `text` (the result's text) and `structured` (its structured",
        "content, or null). When the tool reports an error or the server cannot be reached it exits 1 with one line",
        "on stderr. Put `--timeout SECONDS` before TOOL to wait longer than 300 s. Options given beside `--json` win.",
        "",
        "Every tool's input and output schema: [references/tools.json](references/tools.json).",
    ]
    if "references/instructions.md" in files:
        lines.append("The server's own guidance for agents: [references/instructions.md](references/instructions.md).")
    if "references/prompts.md" in files:
        lines.append(f"The prompts it offers ({len(server.prompts)}; message templates, which call.py does not fetch): "
                     "[references/prompts.md](references/prompts.md).")
    return "\n".join(lines) + "\n"


def _tool_section(tool: McpTool) -> str:
    """A tool: its description, a command line, and each argument with its type and meaning."""
    schema = tool.input_schema
    found = mcp_call.arguments(schema)
    title = f" ({_safe(tool.title)})" if tool.title and tool.title != tool.name else ""
    lines = [f"### `{tool.name}`{title}", ""]
    if tool.description.strip():
        lines += [_safe(tool.description.strip()), ""]
    lines += ["```bash", _usage(tool, found), "```", ""]
    for argument in found:
        required = "required" if argument.required else f"optional{', default ' + argument.default if argument.default else ''}"
        meaning = f": {_safe(argument.description)}" if argument.description else ""
        if argument.json_only:
            lines.append(f"- `{argument.name}` ({argument.json_only}; {required}){meaning}. "
                         f"Pass as JSON: `{mcp_call.json_example(argument, schema)}`")
        else:
            lines.append(f"- `{argument.flag}` ({_kind(argument)}; {required}){meaning}")
    if not found:
        lines.append("No arguments.")
    return "\n".join(lines) + "\n"


def _usage(tool: McpTool, found: list[mcp_call.Argument]) -> str:
    """One command line: the required options, a JSON object for required JSON-only ones, then [options]."""
    words = ["python3 scripts/call.py", shlex.quote(tool.name)]
    words += [a.flag if a.kind == "boolean" and not a.many else f"{a.flag} {a.kind.upper()}" for a in found if a.required and not a.json_only]
    inside = [a for a in found if a.required and a.json_only]
    if inside:
        words.append("--json " + shlex.quote("{" + ", ".join(f"{json.dumps(a.name)}: ..." for a in inside) + "}"))
    if any(not a.required for a in found):
        words.append("[options]")
    return " ".join(words)


def _kind(argument: mcp_call.Argument) -> str:
    kind = f"{argument.kind}, one of: {', '.join(json.dumps(c) for c in argument.choices)}" if argument.choices else argument.kind
    return f"list of {kind}: repeat the option" if argument.many else kind


def _tool_index(tools: list[McpTool]) -> str:
    """One line per tool, when the details live in references/tools.md."""
    lines = ["Each tool's arguments: [references/tools.md](references/tools.md) (or `python3 scripts/call.py TOOL --help`).", ""]
    for tool in tools:
        summary = (tool.description.strip().splitlines() or [""])[0]
        lines.append(f"- `{tool.name}`" + (f": {_safe(summary)}" if summary else ""))
    return "\n".join(lines) + "\n"


def _resource_files(resources: list[McpResource]) -> dict[str, McpResource]:
    """references/resources/<safe name> for each text resource, unique, in name order."""
    saved: dict[str, McpResource] = {}
    taken: set[str] = set()
    texts = [resource for resource in resources if resource.text is not None]
    counts = Counter(_file_name(resource, resource.name) for resource in texts)
    for resource in texts:
        stem, suffix = _file_name(resource, resource.name)
        if counts[stem, suffix] > 1:  # resources of one name are told apart by their URIs
            stem, suffix = _file_name(resource, resource.uri.split("://", 1)[-1])
        name, number = f"{stem}{suffix}", 1
        while name in taken:
            number += 1
            name = f"{stem}-{number}{suffix}"
        taken.add(name)
        saved[f"references/resources/{name}"] = resource
    return saved


def _file_name(resource: McpResource, base: str) -> tuple[str, str]:
    """A portable (stem, suffix) made from `base`, else the last part of the resource's URI."""
    base = base or resource.uri.rstrip("/").rsplit("/", 1)[-1]
    plain = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9._-]+", "-", plain)).strip("-.")[:80].strip("-.") or "resource"
    stem, dot, suffix = slug.rpartition(".")
    if dot and stem and 1 <= len(suffix) <= 8:
        return stem, f".{suffix}"
    return slug, EXTENSIONS.get((resource.mime_type or "").split(";")[0].strip(), ".txt")


def _resource_list(resources: list[McpResource], templates: tuple[McpResource, ...], paths: dict[str, str], *, here: str) -> str:
    """Each resource: a link to its saved text (relative to the folder `here`), or its URI and why it was not saved."""
    lines = []
    for resource in resources:
        about = f": {_safe(_one_line(resource.description))}" if resource.description else ""
        if resource.uri in paths:
            lines.append(f"- [{_safe(resource.name or resource.uri)}]({paths[resource.uri].removeprefix(here)}) (`{resource.uri}`){about}")
        else:
            lines.append(f"- `{resource.uri}` ({_safe(resource.name or 'unnamed')}; not saved: {resource.note}){about}")
    for template in sorted(templates, key=lambda r: (r.name, r.uri)):
        about = f": {_safe(_one_line(template.description))}" if template.description else ""
        lines.append(f"- `{template.uri}` ({_safe(template.name or 'unnamed')}; {template.note}){about}")
    return "\n".join(lines) + "\n" if lines else ""


def _prompts(server: McpServer) -> str:
    """references/prompts.md: each prompt with its arguments."""
    parts = [f"# Prompts of {_safe(_label(server))}\n\nMessage templates the server offers to MCP clients; "
             "call.py does not fetch them.\n"]
    for prompt in sorted(server.prompts, key=lambda p: p.name):
        title = f" ({_safe(prompt.title)})" if prompt.title and prompt.title != prompt.name else ""
        lines = [f"## `{prompt.name}`{title}", ""]
        if prompt.description.strip():
            lines += [_safe(prompt.description.strip()), ""]
        for name, description, required in prompt.arguments:
            lines.append(f"- `{name}` ({'required' if required else 'optional'})" + (f": {_safe(description)}" if description else ""))
        if not prompt.arguments:
            lines.append("No arguments.")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _safe(text: str) -> str:
    """Server text inside Markdown: relative links made inert (they would point at files the Skill lacks)."""
    return re.sub(r"\]\((?!https?:|#|mailto:)", r"]\\(", text)
