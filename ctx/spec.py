"""What an adapter needs to expose a function to agents, as one record.

The MCP tools, the `ctx call` commands and the Agent Skills are all generated from
`ServiceSpec`s: `catalogue()` makes them for ctx's own agent services (parameters and
words from `services.PARAMETERS`, results shaped by `ctx.results`), and
`function_spec()` makes one for any typed Python function a user brings (`ctx adapt`).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from typing_extensions import TypedDict

from . import results, services

Shape = Callable[[Any], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class ServiceSpec:
    """A function as agents see it: name, words, the parameters they may set, and how its result reads."""

    function: Callable[..., Any]
    name: str
    description: str
    parameters: Mapping[str, str]  # parameter → what it means; every other parameter is the operator's
    record: type  # the TypedDict of facts (the MCP output schema, less `page`)
    shape: Shape
    when: str = ""  # when an agent should use it (the other half of a Skill's description)
    examples: tuple[str, ...] = ()  # `ctx call` argument lines
    guarded: bool = True  # its source/target/url arguments are checked against the server's roots and SSRF guard


# When an agent should reach for each service, and example arguments: the words a docstring lacks.
_WHEN = {
    "pack": "Use it to read a whole repository, or the part of it that matters for a task, within a token budget.",
    "search": "Use it to find where something is implemented or documented before reading files.",
    "tree": "Use it to see a repository's layout and where its tokens are before deciding what to pack.",
    "docs": "Use it when you need a library's, site's or repository's documentation.",
    "fetch_markdown": "Use it to read a web page without HTML noise.",
    "llmstxt_check": "Use it to check an llms.txt file before publishing it or relying on it.",
    "llmstxt_generate": "Use it to write llms.txt for a documentation folder.",
}
_EXAMPLES = {
    "pack": ("--source . --budget 8000", "--source https://github.com/pallets/click --subpath src --budget 20000",
             "--source . --query 'KeyError when the config file is empty' --budget 6000"),
    "search": ("--source . --query 'retry after header' --limit 5",),
    "tree": ("--source .", "--source https://github.com/pallets/click --ref 8.1.7"),
    "docs": ("--source https://docs.pydantic.dev/latest/", "--source . --query 'configuration options'"),
    "fetch_markdown": ("--url https://peps.python.org/pep-0008/",),
    "llmstxt_check": ("--target llms.txt", "--target https://docs.astral.sh/uv/llms.txt"),
    "llmstxt_generate": ("--source docs --base-url https://example.com/docs/",),
}


def catalogue() -> list[ServiceSpec]:
    """ctx's agent services, in the order agents see them."""
    specs = []
    for service in services.AGENT_SERVICES:
        name = service.__name__
        record, shape = results.SHAPES[name]
        exposed = {p: services.PARAMETERS[p] for p in inspect.signature(service).parameters if p in services.PARAMETERS}
        specs.append(ServiceSpec(service, name, services.agent_description(service), exposed, record, shape, _WHEN[name], _EXAMPLES[name]))
    return specs


class FunctionOutput(TypedDict):
    """The facts of a user's function: its return value as JSON (null when it returned text)."""

    result: Any


def function_spec(function: Callable[..., Any]) -> ServiceSpec:
    """A user's typed function as a service: every parameter exposed, described by the docstring's
    'Args:' section (Google style) when it has one."""
    doc = inspect.getdoc(function) or f"The function {function.__qualname__}."
    described = _args_section(doc)
    exposed = {
        name: described.get(name) or f"The {name} argument."
        for name, p in inspect.signature(function).parameters.items()
        if not name.startswith("_") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    summary = doc.split("\nArgs:")[0].strip()
    return ServiceSpec(function, function.__name__, summary, exposed, FunctionOutput, _shape_any, guarded=False)


def _shape_any(result: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(result, str):
        return result, {"result": None}
    data = json.loads(json.dumps(result, default=_plain, ensure_ascii=False))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n", {"result": data}


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return vars(value)
    return str(value)


def _args_section(doc: str) -> dict[str, str]:
    """'name: words' lines of a Google-style 'Args:' section (continuation lines joined)."""
    section = re.search(r"^Args:\n((?:[ \t]+.*\n?|\n)+)", doc, re.M)
    found: dict[str, str] = {}
    last = None
    for line in (section[1] if section else "").splitlines():
        entry = re.match(r"^\s{2,8}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
        if entry:
            last = entry[1]
            found[last] = entry[2].strip()
        elif last and line.strip():
            found[last] += " " + line.strip()
    return found
