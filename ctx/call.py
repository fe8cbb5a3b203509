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
from typing import Any

import click

from ingest import CtxError

from .spec import ServiceSpec, catalogue


def call_group() -> click.Group:
    """The `ctx call` group: one subcommand per agent service, in the catalogue's order."""

    @click.group("call", context_settings={"help_option_names": ["-h", "--help"]})
    def group() -> None:
        """Run an agent service with JSON output (what Agent Skills' scripts use)."""

    for spec in catalogue():
        group.add_command(spec_command(spec))
    return group


def spec_command(spec: ServiceSpec) -> click.Command:
    """A command taking the spec's parameters as options and printing its result as one JSON object."""
    signature = inspect.signature(spec.function, eval_str=True)
    params: list[click.Parameter] = [_option(p, spec.parameters[p.name]) for p in signature.parameters.values() if p.name in spec.parameters]
    if "allow_private" in signature.parameters and spec.guarded:
        params.append(click.Option(["--allow-private"], is_flag=True, help="Let URLs reach private or loopback addresses."))

    def run(**arguments: Any) -> None:
        arguments = {k: v for k, v in arguments.items() if v is not None and v != ()}
        text, facts = spec.shape(_run(spec, arguments))
        sys.stdout.write(json.dumps({"service": spec.name, **facts, "text": text}, ensure_ascii=False, indent=2) + "\n")

    summary = spec.description.split("\n\n")[0].replace("\n", " ")
    return click.Command(spec.name, params=params, callback=run, help=summary, short_help=summary.split(". ")[0])


def _run(spec: ServiceSpec, arguments: dict[str, Any]) -> Any:
    """Call the spec's function; a user's function that raises is reported in one line, like ctx's own errors."""
    if spec.guarded:
        return spec.function(**arguments)
    try:
        return spec.function(**arguments)
    except Exception as exc:  # the user's code failed: one line, not a traceback
        raise CtxError(f"{spec.name} raised {type(exc).__name__}: {exc}", hint="fix the function or its arguments") from exc


def _option(parameter: inspect.Parameter, words: str) -> click.Option:
    """A click option for one parameter: its type and default from the signature, its help from the catalogue."""
    flag = "--" + parameter.name.replace("_", "-")
    required = parameter.default is inspect.Parameter.empty
    annotation = _without_none(parameter.annotation) if parameter.annotation is not inspect.Parameter.empty else str
    if annotation is bool:
        return click.Option([flag], is_flag=True, default=parameter.default, help=words)
    if typing.get_origin(annotation) in (tuple, list):
        item = (typing.get_args(annotation) or (str,))[0]
        return click.Option([flag], multiple=True, type=item if item in (str, int, float) else str, help=words + " (repeatable)")
    if typing.get_origin(annotation) is typing.Literal:
        kind: Any = click.Choice([str(a) for a in typing.get_args(annotation)])
    elif annotation in (str, int, float):
        kind = annotation
    else:  # a structure the command line cannot spell: given as JSON
        kind, words = _Json(), words + " (as JSON)"
    default = None if required else parameter.default
    return click.Option([flag], type=kind, required=required, default=default, show_default=default is not None, help=words)


class _Json(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    name = "json"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError as exc:
            self.fail(f"not JSON: {exc.msg} at character {exc.pos}", param, ctx)


def _without_none(annotation: Any) -> Any:
    """`X | None` → `X`: a missing option is None already."""
    arms = [a for a in typing.get_args(annotation) if a is not type(None)]
    return arms[0] if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(arms) == 1 else annotation
