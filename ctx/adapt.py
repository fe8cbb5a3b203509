"""`ctx adapt`: a user's typed Python functions, offered through ctx's own adapters.

`module:function` names are imported from `--path` (default: the current folder), then
turned into `ServiceSpec`s, so the same code that serves ctx's services serves them: an
MCP server (`ctx adapt serve`), a command printing JSON (`ctx adapt call`), a Skill
(`ctx adapt skill`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest import CtxError

from .spec import ServiceSpec, function_spec


class AdaptError(CtxError):
    """A `module:function` that cannot be imported or is not a function."""


def load_spec(target: str, path: Path) -> ServiceSpec:
    """The spec of `module:function`, imported with `path` first on sys.path."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise AdaptError(f"'{target}' is not MODULE:FUNCTION", hint="write it like mypackage.tools:summarize")
    folder = str(path.resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise AdaptError(f"cannot import {module_name}: {exc}", hint=f"run from the folder that holds it, or pass --path (looked in {folder})") from None
    except Exception as exc:  # the user's module failed while importing: say so in one line
        raise AdaptError(f"importing {module_name} failed: {type(exc).__name__}: {exc}", hint="fix the module, then try again") from None
    function: Any = module
    for part in attribute.split("."):
        function = getattr(function, part, None)
    if not callable(function):
        raise AdaptError(f"{module_name} has no function {attribute}", hint=f"check the name; {module_name} defines {_public(module)}")
    return function_spec(_checked(function, target))


def _checked(function: Any, target: str) -> Callable[..., Any]:
    if isinstance(function, type):
        raise AdaptError(f"{target} is a class, not a function", hint="point at a function (or a static method)")
    return function  # type: ignore[no-any-return]


def _public(module: Any) -> str:
    names = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_") and getattr(v, "__module__", "") == module.__name__)
    return ", ".join(names[:8]) or "no public functions"
