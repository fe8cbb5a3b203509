"""Skills served over MCP, as the Skills extension (`io.modelcontextprotocol/skills`, SEP-2640) defines.

Each file of a Skill is a resource `skill://<name>/<path>` (`SKILL.md` spelled out), read with
the standard `resources/read`. The extension adds three methods: `skills/list` and `skills/get`,
whose entries carry the SKILL.md front matter verbatim and a manifest of every file with the
SHA-256 digest and byte size of exactly the bytes `resources/read` serves, and
`resources/directory/read` for a Skill's folders. Everything is computed once, when the extension
is built, so every answer (and its order) is the same for the life of the server.

The methods exist on protocol revision 2026-07-28 and later only: the spec is written against it,
and on older (handshake) revisions the SDK cannot declare the extension in `initialize`, so a
legacy client sees the `skill://` files as ordinary resources and the methods as unknown ones.

Spec: https://github.com/modelcontextprotocol/ext-skills/blob/main/specification/stable/skills.mdx
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import yaml
from mcp.server.context import ServerRequestContext
from mcp.server.extension import Extension, MethodBinding, ResourceBinding
from mcp.server.mcpserver.resources import TextResource
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, PaginatedRequestParams, RequestParams, Resource
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from .model import Skill, SkillError, normalize_name

IDENTIFIER = "io.modelcontextprotocol/skills"
DIRECTORY_MIME_TYPE = "inode/directory"
MAX_RESOURCES = 512  # the spec's per-Skill limits: what every conforming host must accept
MAX_BYTES = 16 * 1024 * 1024
PAGE_SIZE = 50
# Caching hints (SEP-2549), required on skills/list and skills/get; sent on resources/directory/read
# too, where the spec asks for none but the Inspector's 2026-07-28 schema requires them. The Skills
# are fixed for the life of the server and the same for every caller, so a shared cache may keep
# them; a stale entry costs a host one skills/get.
TTL_MS = 300_000
CACHE_SCOPE = "public"
_MIME_TYPES = {".md": "text/markdown", ".py": "text/x-python"}


class GetSkillParams(RequestParams):
    """`skills/get` params: the URI of a Skill's SKILL.md."""

    uri: str


class ReadDirectoryParams(PaginatedRequestParams):
    """`resources/directory/read` params: the URI of a directory resource, and a page cursor."""

    uri: str


@dataclass(frozen=True)
class _File:
    """One served file: its resource metadata, its text, and the digest and size of its UTF-8 bytes."""

    uri: str
    name: str
    description: str
    mime_type: str
    text: str
    digest: str
    size: int

    def manifest(self) -> dict[str, Any]:
        return {"uri": self.uri, "digest": self.digest, "size": self.size}

    def resource(self) -> dict[str, Any]:
        return _dump(Resource(uri=self.uri, name=self.name, description=self.description, mime_type=self.mime_type, size=self.size))


@dataclass(frozen=True)
class _Entry:
    """One Skill as the extension serves it: SKILL.md's URI, its front matter, and every file (SKILL.md first)."""

    uri: str
    frontmatter: dict[str, Any]
    files: tuple[_File, ...]

    def wire(self) -> dict[str, Any]:
        return {"uri": self.uri, "frontmatter": self.frontmatter, "resources": [f.manifest() for f in self.files]}


class SkillsExtension(Extension):
    """The Skills extension over a fixed set of Skills, in the order given.

    Contributes one text resource per file, `skills/list` (paged, `page_size` entries a page),
    `skills/get` and `resources/directory/read` (declared as `directoryRead: true`). Adds no tools.
    """

    identifier = IDENTIFIER

    def __init__(self, skills: Sequence[Skill], *, page_size: int = PAGE_SIZE) -> None:
        """Build every entry, manifest and directory listing now.

        Raises:
            SkillError: a Skill with an invalid or repeated name, a file path outside its folder,
                front matter that does not parse, or more files or bytes than the spec's limits.
            ValueError: `page_size` is below 1.
        """
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self._page_size = page_size
        self._entries = tuple(_entry(skill) for skill in skills)
        uris = [entry.uri for entry in self._entries]
        if len(set(uris)) != len(uris):
            raise SkillError("two Skills share a name", hint="give every Skill served over MCP its own name")
        self._by_uri = {entry.uri: entry for entry in self._entries}
        self._file_uris = frozenset(f.uri for entry in self._entries for f in entry.files)
        self._directories = _directories(self._entries)

    def settings(self) -> dict[str, Any]:
        return {"directoryRead": True}

    def resources(self) -> Sequence[ResourceBinding]:
        return [ResourceBinding(TextResource(uri=f.uri, name=f.name, description=f.description, mime_type=f.mime_type, text=f.text))
                for entry in self._entries for f in entry.files]

    def methods(self) -> Sequence[MethodBinding]:
        versions = frozenset(MODERN_PROTOCOL_VERSIONS)
        return [
            MethodBinding("skills/list", PaginatedRequestParams, self._list, protocol_versions=versions),
            MethodBinding("skills/get", GetSkillParams, self._get, protocol_versions=versions),
            MethodBinding("resources/directory/read", ReadDirectoryParams, self._read_directory, protocol_versions=versions),
        ]

    async def _list(self, ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams) -> dict[str, Any]:
        keys = [entry.uri for entry in self._entries]
        page, cursor = _page(keys, params.cursor, self._page_size, "skills/list")
        return {"skills": [self._by_uri[uri].wire() for uri in page], **_next(cursor), "ttlMs": TTL_MS, "cacheScope": CACHE_SCOPE}

    async def _get(self, ctx: ServerRequestContext[Any, Any], params: GetSkillParams) -> dict[str, Any]:
        entry = self._by_uri.get(params.uri)
        if entry is None:
            raise MCPError(code=INVALID_PARAMS, message=f"No skill is served at {params.uri}; skills/list gives the URIs of those that are")
        return {"skill": entry.wire(), "ttlMs": TTL_MS, "cacheScope": CACHE_SCOPE}

    async def _read_directory(self, ctx: ServerRequestContext[Any, Any], params: ReadDirectoryParams) -> dict[str, Any]:
        children = self._directories.get(params.uri)
        if children is None:
            what = "is not a directory resource" if params.uri in self._file_uris else "is not a directory this server serves"
            raise MCPError(code=INVALID_PARAMS, message=f"{params.uri} {what}; a Skill's folder is its SKILL.md URI without /SKILL.md")
        page, cursor = _page(list(children), params.cursor, self._page_size, "resources/directory/read")
        return {"resources": [children[uri] for uri in page], **_next(cursor), "ttlMs": TTL_MS, "cacheScope": CACHE_SCOPE}


def _entry(skill: Skill) -> _Entry:
    """The entry of one Skill: the SKILL.md served is `skill.skill_md()`, its front matter read back from it."""
    if normalize_name(skill.name)[0] != skill.name:
        raise SkillError(f"{skill.name!r} is not a valid Skill name", hint="use lowercase letters, digits and single hyphens")
    root = f"skill://{skill.name}"
    text = skill.skill_md()
    frontmatter = _frontmatter(text, skill.name)
    files = [_file(root, "SKILL.md", text, name=skill.name, description=str(frontmatter["description"]))]
    for path in sorted(skill.files):
        _check_path(skill.name, path)
        files.append(_file(root, path, skill.files[path], name=posixpath.basename(path), description=f"{path} of the {skill.name} skill."))
    if len(files) > MAX_RESOURCES or sum(f.size for f in files) > MAX_BYTES:
        raise SkillError(f"the Skill {skill.name} has over {MAX_RESOURCES} files or {MAX_BYTES:,} bytes, more than hosts must accept",
                         hint="move material out of the Skill or split it in two")
    return _Entry(f"{root}/SKILL.md", frontmatter, tuple(files))


def _file(root: str, path: str, text: str, *, name: str, description: str) -> _File:
    data = text.encode("utf-8")  # the bytes a client gets back from resources/read's `text`
    mime_type = _MIME_TYPES.get(posixpath.splitext(path)[1]) or mimetypes.guess_type(path)[0] or "text/plain"
    return _File(f"{root}/{quote(path)}", name, description, mime_type, text, f"sha256:{hashlib.sha256(data).hexdigest()}", len(data))


def _frontmatter(text: str, name: str) -> dict[str, Any]:
    """SKILL.md's YAML front matter as JSON, verbatim: every field, as the file has it."""
    head, fence, _ = text.removeprefix("---\n").partition("\n---\n")
    try:
        front = yaml.safe_load(head) if text.startswith("---\n") and fence else None
    except yaml.YAMLError as exc:
        raise SkillError(f"the front matter of {name}'s SKILL.md is not YAML: {exc}", hint="fix the Skill's front matter") from exc
    if not isinstance(front, dict) or front.get("name") != name or not front.get("description"):
        raise SkillError(f"{name}'s SKILL.md lacks front matter with its name and a description", hint="fix the Skill's front matter")
    result: dict[str, Any] = json.loads(json.dumps(front, default=str))  # YAML dates become the ISO text they were written as
    return result


def _check_path(name: str, path: str) -> None:
    parts = path.split("/")
    if path == "SKILL.md" or path.startswith("/") or "\\" in path or any(part in ("", ".", "..") for part in parts):
        raise SkillError(f"the Skill {name} has a file {path!r} that is not a plain relative path inside its folder",
                         hint="name supporting files like references/guide.md")


def _directories(entries: Sequence[_Entry]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every folder of every Skill (its root included) → its direct children's resources, sorted by name."""
    children: dict[str, dict[str, dict[str, Any]]] = {}
    for entry in entries:
        root = entry.uri.removesuffix("/SKILL.md")
        children.setdefault(root, {})
        for file in entry.files:
            parent, _, _ = file.uri.rpartition("/")
            children.setdefault(parent, {})[file.uri] = file.resource()
            while parent != root:
                grandparent, _, folder = parent.rpartition("/")
                children.setdefault(grandparent, {})[parent] = _dump(Resource(uri=parent, name=unquote(folder), mime_type=DIRECTORY_MIME_TYPE))
                parent = grandparent
    return {uri: dict(sorted(items.items(), key=lambda item: (item[1]["name"], item[0]))) for uri, items in sorted(children.items())}


def _page(keys: list[str], cursor: str | None, size: int, method: str) -> tuple[list[str], str | None]:
    """One page of `keys` from `cursor` (the first key of the page, as the last page's nextCursor gave it)."""
    start = 0
    if cursor is not None:
        if cursor not in keys:
            raise MCPError(code=INVALID_PARAMS, message=f"Invalid cursor for {method}: pass back the nextCursor of the last page, or none to start")
        start = keys.index(cursor)
    end = start + size
    return keys[start:end], keys[end] if end < len(keys) else None


def _next(cursor: str | None) -> dict[str, str]:
    return {} if cursor is None else {"nextCursor": cursor}


def _dump(resource: Resource) -> dict[str, Any]:
    dumped: dict[str, Any] = resource.model_dump(by_alias=True, mode="json", exclude_none=True)
    return dumped
