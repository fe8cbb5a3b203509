"""Turn what the user typed (a folder or a git URL) into a local folder to read."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path, PurePosixPath

from .documents import Source
from .errors import SourceError
from .remote import clone, is_git_url


def resolve_source(
    text: str, *, ref: str | None = None, subpath: str | None = None, cache_dir: Path, timeout: float = 300.0
) -> Source:
    """A local folder, or a git URL cloned (shallowly, cached, within `timeout` seconds) at `ref`;
    then narrowed to `subpath`.

    Raises SourceError (or its GitError) with a hint for every user mistake.
    """
    path = Path(text).expanduser()
    if path.exists():
        source = _local(path, text, ref=ref, cache_dir=cache_dir, timeout=timeout)
    elif is_git_url(text):
        url, url_ref, url_subpath = split_web_url(text)
        source = clone(url, ref=ref or url_ref, cache_dir=cache_dir / "repos", timeout=timeout)
        subpath = subpath or url_subpath
    else:
        raise SourceError(
            f"no such folder: {text}",
            source=text,
            hint="check the path, or pass a git URL such as https://github.com/owner/repo",
        )
    return _narrow(source, subpath) if subpath else source


# A repository page URL as people copy it from the browser: …/tree/REF/PATH.
_WEB_TREE_URLS = (
    re.compile(r"^(?P<url>https?://(?:www\.)?github\.com/[^/]+/[^/]+?)(?:\.git)?/tree/(?P<ref>[^/]+)(?:/(?P<sub>.*?))?/?$"),
    re.compile(r"^(?P<url>https?://gitlab\.com/.+?)/-/tree/(?P<ref>[^/]+)(?:/(?P<sub>.*?))?/?$"),
)


def split_web_url(url: str) -> tuple[str, str | None, str | None]:
    """(clone URL, ref, subpath) for a GitHub or GitLab `…/tree/REF/PATH` page URL; other URLs unchanged.

    A ref with a slash in it cannot be told from a path here: pass it with --ref instead.
    """
    for pattern in _WEB_TREE_URLS:
        match = pattern.match(url)
        if match:
            return match["url"], match["ref"], match["sub"] or None
    return url, None, None


def _local(path: Path, text: str, *, ref: str | None, cache_dir: Path, timeout: float) -> Source:
    if not path.is_dir():
        raise SourceError(
            f"{text} is a file, not a folder",
            source=text,
            hint=f"pass the folder that holds it, with --include '{path.name}' to pack only this file",
        )
    root = path.resolve()
    if ref is not None:
        return _local_at_ref(root, text, ref, cache_dir, timeout)
    head_ref, commit = _git_head(root)
    return Source(root=root, label=root.name or str(root), ref=head_ref, commit=commit)


def _local_at_ref(root: Path, text: str, ref: str, cache_dir: Path, timeout: float) -> Source:
    """`--ref` on a local repository: clone it from itself, so the user's work tree is untouched."""
    if not (root / ".git").exists():
        raise SourceError(
            f"--ref needs a git repository, and {text} is not the top of one",
            source=text,
            hint="drop --ref, or point at the repository's top folder",
        )
    source = clone(root.as_uri(), ref=ref, cache_dir=cache_dir / "repos", timeout=timeout)
    return Source(root=source.root, label=root.name, ref=source.ref, commit=source.commit)


def _git_head(root: Path) -> tuple[str | None, str | None]:
    """Branch and commit of the work tree holding `root`, if any (for the summary only).

    Asked of git itself, in one short process: importing gitpython costs more than a warm
    re-pack spends reading the whole repository.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    command = ["git", "-C", str(root), "rev-parse", "--abbrev-ref", "HEAD", "HEAD"]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=10, env=env)
    except (OSError, subprocess.SubprocessError):
        return None, None
    fields = proc.stdout.split()
    if proc.returncode != 0 or len(fields) != 2:
        return None, None
    branch, commit = fields
    return (None if branch == "HEAD" else branch), commit


def _narrow(source: Source, subpath: str) -> Source:
    parts = PurePosixPath(subpath.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts:
        raise SourceError(f"bad --subpath '{subpath}'", source=subpath, hint="give a folder relative to the source, without '..'")
    root = source.root.joinpath(*parts).resolve()
    if not root.is_relative_to(source.root) or not root.is_dir():
        raise SourceError(
            f"--subpath '{subpath}' is not a folder in {source.label}",
            source=subpath,
            hint="check the folder name (it is relative to the repository's top)",
        )
    label = f"{source.label}/{'/'.join(parts)}"
    return Source(root=root, label=label, ref=source.ref, commit=source.commit)
