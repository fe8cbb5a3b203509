"""`ctx call SERVICE --param value ...`: every agent service as a command, generated from the catalogue.

The options are the service's `PARAMETERS`, with the catalogue's words as help, so this
command, the MCP tools and the Agent Skills' scripts (which run it) take the same arguments.
It prints one JSON object: the service's text and its facts (`ctx.results`).
"""

from __future__ import annotations

import inspect
import json
import sys
import typing
from collections.abc import Callable
from typing import Any

import click

from . import results, services


def call_group() -> click.Group:
    """The `ctx call` group: one subcommand per agent service, in the catalogue's order."""

    @click.group("call", context_settings={"help_option_names": ["-h", "--help"]})
    def group() -> None:
        """Run an agent service with JSON output (what Agent Skills' scripts use)."""

    for service in services.AGENT_SERVICES:
        group.add_command(_command(service))
    return group


def _command(service: Callable[..., Any]) -> click.Command:
    signature = inspect.signature(service, eval_str=True)
    params: list[click.Parameter] = [
        _option(p) for p in signature.parameters.values() if p.name in services.PARAMETERS
    ]
    takes_private = "allow_private" in signature.parameters
    if takes_private:
        params.append(click.Option(["--allow-private"], is_flag=True, help="Let URLs reach private or loopback addresses."))

    def run(**arguments: Any) -> None:
        arguments = {k: v for k, v in arguments.items() if v is not None and v != ()}
        text, facts = results.SHAPES[service.__name__][1](service(**arguments))
        sys.stdout.write(json.dumps({"service": service.__name__, **facts, "text": text}, ensure_ascii=False, indent=2) + "\n")

    summary = (inspect.getdoc(service) or "").split("\n\n")[0].replace("\n", " ")
    return click.Command(service.__name__, params=params, callback=run, help=summary, short_help=summary.split(". ")[0])


def _option(parameter: inspect.Parameter) -> click.Option:
    """A click option for one service parameter: its type, default and description from the catalogue."""
    flag = "--" + parameter.name.replace("_", "-")
    words = services.PARAMETERS[parameter.name]
    required = parameter.default is inspect.Parameter.empty
    annotation = _without_none(parameter.annotation)
    if annotation is bool:
        return click.Option([flag], is_flag=True, default=parameter.default, help=words)
    if typing.get_origin(annotation) is tuple:
        return click.Option([flag], multiple=True, help=words + " (repeatable)")
    if typing.get_origin(annotation) is typing.Literal:
        kind: Any = click.Choice([str(a) for a in typing.get_args(annotation)])
    else:
        kind = annotation
    default = None if required else parameter.default
    return click.Option([flag], type=kind, required=required, default=default, show_default=default is not None, help=words)


def _without_none(annotation: Any) -> Any:
    """`X | None` → `X`: a missing option is None already."""
    arms = [a for a in typing.get_args(annotation) if a is not type(None)]
    return arms[0] if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(arms) == 1 else annotation
