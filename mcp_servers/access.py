"""What an MCP client may read: folders under the configured roots, and public URLs.

A local server reads the folders it was started with (`--root`, default the current
folder); a hosted one reads none unless roots are configured. Paths are resolved, with
symlinks followed, before they are compared with the roots, so neither `..` nor a link
leads out. URLs must be http(s) and resolve to public addresses (unless private ones
are allowed); the fetcher checks every later hop again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ingest import CtxError
from ingest.remote import is_git_url
from ingest.web import GuardPolicy, check_url


class AccessError(CtxError):
    """A path outside the allowed roots, or a URL this server may not reach."""


@dataclass(frozen=True)
class Access:
    """The folders and networks a server's tools may read."""

    roots: tuple[Path, ...] = ()
    allow_private: bool = False
    policy: GuardPolicy = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roots", tuple(Path(os.path.realpath(root)) for root in self.roots))
        object.__setattr__(self, "policy", GuardPolicy(allow_private=self.allow_private))

    async def source(self, text: str) -> str:
        """`text` (a folder or a repository URL) as the services should read it; raises AccessError."""
        if _is_url(text):
            return await self.url(text)
        return str(self.path(text))

    async def url(self, text: str) -> str:
        """An http(s) URL whose host resolves to addresses this server may reach."""
        scheme = urlsplit(text).scheme.lower()
        if scheme not in ("http", "https"):
            raise AccessError(
                f"refusing {text}: only http and https URLs can be read here",
                hint="pass an https:// URL (git over ssh and file:// URLs are not served)",
            )
        await check_url(text, self.policy)
        return text

    def path(self, text: str) -> Path:
        """A path inside one of the roots (relative paths are taken from the first root)."""
        if not self.roots:
            raise AccessError(
                f"this server reads no local folders, so {text!r} cannot be read",
                hint="pass an https:// git URL, or start the server with --root DIR",
            )
        given = Path(text).expanduser()
        resolved = Path(os.path.realpath(given if given.is_absolute() else self.roots[0] / given))
        if not any(resolved == root or resolved.is_relative_to(root) for root in self.roots):
            shown = ", ".join(str(root) for root in self.roots)
            raise AccessError(
                f"{text} is outside the folders this server may read ({shown})",
                hint="pass a path inside them (relative paths start at the first), or restart the server with --root",
            )
        return resolved


def _is_url(text: str) -> bool:
    return "://" in text or is_git_url(text)
