"""Clone remote git repositories into a local cache so they can be packed like local folders.

Git runs without prompts (a missing credential fails instead of hanging), without hooks or
submodules, under one deadline per `clone`; failures become one-line `GitError`s with a hint.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .documents import Source
from .errors import GitError

_SCHEMES = frozenset({"https", "http", "ssh", "git", "file"})
_SCP = re.compile(r"(?P<user>[\w.~-]+)@(?P<host>[A-Za-z0-9][\w.-]*|\[[0-9A-Fa-f:.]+\]):(?P<path>[^\s\\]+)")
_HEX = re.compile(r"[0-9a-fA-F]{4,64}")
_FULL_SHA = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_BAD_REF = re.compile(r"^[-+]|[\s~^:?*\[\\]|\.\.|@\{")
_MISSING_REF = ("couldn't find remote ref", "not our ref", "unadvertised object", "no such remote ref")
_FAILURES = (  # (stderr fragments, what went wrong, how to fix it); first match wins
    (("repository not found", "' not found", "could not be found", "not appear to be a git repo", "error: 404"),
     "repository not found at {url}", "check the owner and repository name in the URL"),
    (("authentication failed", "could not read username", "could not read password", "permission denied",
      "access denied", "host key verification failed", "prompts disabled", "error: 401", "error: 403"),
     "authentication required for {url}",
     "the repository may be private or missing; set up a git credential helper or an SSH key (ctx never prompts)"),
    (("could not resolve host", "connection refused", "timed out", "network is unreachable", "no route to host",
      "failed to connect", "connection reset", "unable to access"),
     "cannot reach the host of {url}", "check the URL and your network connection"),
)


class _GitFailed(Exception):
    """A git command exited non-zero; the caller decides what that means for the user."""

    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr

    @property
    def detail(self) -> str:
        """The most telling stderr line (the first `fatal:`/`error:`), without its prefix."""
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        told = [line for line in lines if line.startswith(("fatal:", "error:"))]
        return (told or lines or ["git failed"])[0].split(":", 1)[-1].strip()


@dataclass(frozen=True)
class _Job:
    """One `clone` call: the URL as given, as shown to users, and its deadline."""

    url: str
    shown: str
    timeout: float
    deadline: float

    def error(self, message: str, hint: str) -> GitError:
        """A `GitError` about this URL; `{url}` in `message` becomes the URL without credentials."""
        return GitError(message.replace("{url}", self.shown), source=self.shown, hint=hint)


def is_git_url(text: str) -> bool:
    """True for remote git URLs; local paths (even with ':' or '@' in them) are never URLs."""
    text = text.strip()
    if not text or text.startswith("-") or any(ch.isspace() for ch in text):
        return False
    if "://" in text:
        return _is_scheme_url(text)
    return _SCP.fullmatch(text) is not None and not text.split(":", 1)[1].startswith("/" * 2)


def _is_scheme_url(text: str) -> bool:
    """A repository path is required; for http(s) owner/repo or a .git suffix, so web pages mostly are not repos."""
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unbalanced '[' in the host
        return False
    scheme, segments = parts.scheme.lower(), [seg for seg in parts.path.split("/") if seg]
    if scheme not in _SCHEMES or parts.query or parts.fragment or not segments:
        return False
    if scheme == "file":
        return parts.netloc in ("", "localhost")
    long_enough = len(segments) >= 2 or parts.path.endswith(".git") or scheme not in ("http", "https")
    return bool(host) and not host.startswith("-") and long_enough


def clone(url: str, *, ref: str | None = None, cache_dir: Path, timeout: float = 300.0) -> Source:
    """Check out `url` at `ref` (default: the remote's default branch) in the cache, reusing earlier clones."""
    job = _Job(url.strip(), _shown(url), timeout, time.monotonic() + timeout)
    if not is_git_url(job.url):
        raise job.error("invalid git URL {url}",
                        "use https://host/owner/repo, ssh://host/path, git@host:owner/repo.git or file:///path")
    if ref is not None and (not ref.strip() or _BAD_REF.search(ref)):
        raise job.error(f"invalid ref {ref!r} for {{url}}", "pass a branch name, a tag name or a commit sha")
    final = Path(cache_dir) / hashlib.sha256(_normalised(job.url).encode()).hexdigest()[:16]
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        with _locked(final.with_name(final.name + ".lock"), job):
            name, commit = _update(final, job, ref)
    except (_GitFailed, OSError) as exc:  # local trouble: the remote answered, the cache did not cooperate
        detail = exc.detail if isinstance(exc, _GitFailed) else exc.strerror
        raise job.error(f"cannot update the cached clone of {{url}} in {final}: {detail}",
                        f"check that {final.parent} is writable, or delete {final} and retry") from exc
    return Source(root=final, label=_label(job.url), ref=name, commit=commit)


def _update(final: Path, job: _Job, ref: str | None) -> tuple[str, str]:
    """Bring the cached clone to `ref`; a first clone is built aside and renamed in, so it is never half-made."""
    root = final if _is_checkout(final, job) else _fresh(final, job)
    try:
        name = ref or _default_branch(job, root)
        commit = _check_out(root, job, name)
        if root != final:
            root.rename(final)
    finally:
        if root != final:  # a no-op once renamed; otherwise a failed first clone
            shutil.rmtree(root, ignore_errors=True)
    return name, commit


@contextmanager
def _locked(path: Path, job: _Job) -> Iterator[None]:
    """Serialise runs on one cached clone (git's own locks fail rather than wait); waits until the deadline."""
    with open(path, "a+b") as handle:
        while not _try_lock(handle.fileno()):
            if time.monotonic() > job.deadline:
                raise _timed_out(job)
            time.sleep(0.05)
        yield  # closing the file releases the lock


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on an open file without blocking; False if another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _shown(url: str) -> str:
    """The URL without credentials, safe for messages and logs."""
    text = url.strip()
    if "://" not in text:
        return text
    parts = urlsplit(text)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _normalised(url: str) -> str:
    """One spelling per repository: no credentials, lower-case host, no trailing '/' or '.git'."""
    scp = _SCP.fullmatch(url)
    if scp:
        url = f"ssh://{scp['host']}/{scp['path']}"
    parts = urlsplit(url)
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}{path}"


def _label(url: str) -> str:
    """A short display name: `host/owner/repo`, or the folder name for file:// URLs."""
    normal = _normalised(url)
    if normal.startswith("file://"):
        return normal.rsplit("/", 1)[-1]
    return normal.split("://", 1)[1]


def _default_branch(job: _Job, cwd: Path) -> str:
    """Ask the remote which branch HEAD points to (`HEAD` itself if it does not say)."""
    out = _remote(job, cwd, ["ls-remote", "--symref", "--", job.url, "HEAD"])
    for line in out.splitlines():
        if line.startswith("ref: refs/heads/"):
            return line.split("\t", 1)[0].removeprefix("ref: refs/heads/")
    if not out.strip():
        raise job.error("the repository at {url} is empty", "push a commit to it first, or check the URL")
    return "HEAD"


def _is_checkout(path: Path, job: _Job) -> bool:
    """True for a usable earlier clone; anything else at `path` is corrupt and removed."""
    if not path.exists():
        return False
    for name in ("index.lock", "shallow.lock", "HEAD.lock"):  # left by a git we killed; we hold the lock
        (path / ".git" / name).unlink(missing_ok=True)
    try:
        _git(path, job, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        return True
    except _GitFailed:
        shutil.rmtree(path, ignore_errors=True)
        return False


def _fresh(final: Path, job: _Job) -> Path:
    """An empty repository in a temporary folder beside `final`, renamed into place once checked out."""
    root = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    _git(root, job, ["init", "--quiet", "--template=", str(root)])
    return root


def _check_out(root: Path, job: _Job, ref: str) -> str:
    """Fetch `ref` shallowly (no network for a full sha already here) and check it out detached."""
    if _FULL_SHA.fullmatch(ref) and _has_commit(root, job, ref):
        return _detach(root, job, ref)
    try:
        _remote(job, root, ["fetch", "--quiet", "--depth", "1", "--no-tags", "--no-recurse-submodules",
                            "--", job.url, ref], missing_ref=ref)
    except _GitFailed:
        if not _HEX.fullmatch(ref):
            raise _unknown_ref(job, ref) from None
        return _check_out_sha(root, job, ref)
    return _detach(root, job, "FETCH_HEAD")


def _check_out_sha(root: Path, job: _Job, sha: str) -> str:
    """The server refused a sha (or it is abbreviated): fetch all history, then look it up locally."""
    shallow = _git(root, job, ["rev-parse", "--is-shallow-repository"]) == "true"
    _remote(job, root, ["fetch", "--quiet", "--tags", "--no-recurse-submodules", *(["--unshallow"] * shallow),
                        "--", job.url, "+refs/heads/*:refs/remotes/origin/*"])
    if not _has_commit(root, job, sha):
        raise _unknown_ref(job, sha)
    return _detach(root, job, sha)


def _has_commit(root: Path, job: _Job, rev: str) -> bool:
    """Whether `rev` names a commit already in the local object store."""
    try:
        _git(root, job, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"])
        return True
    except _GitFailed:
        return False


def _detach(root: Path, job: _Job, rev: str) -> str:
    """Make the working tree exactly `rev` (stray files removed) and return its full sha."""
    sha = _git(root, job, ["rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"])
    _git(root, job, ["checkout", "--quiet", "--force", "--detach", sha])
    _git(root, job, ["clean", "--quiet", "-ffdx"])
    return sha


def _unknown_ref(job: _Job, ref: str) -> GitError:
    return job.error(f"ref {ref!r} not found in {{url}}", "check the branch/tag name or pass a full commit sha")


def _remote(job: _Job, cwd: Path, args: list[str], missing_ref: str | None = None) -> str:
    """Run a git command that talks to the remote; classify its failures (a missing ref stays `_GitFailed`)."""
    try:
        return _git(cwd, job, args)
    except _GitFailed as exc:
        low = exc.stderr.lower()
        if missing_ref is not None and any(part in low for part in _MISSING_REF):
            raise
        for fragments, message, hint in _FAILURES:
            if any(part in low for part in fragments):
                raise job.error(message, hint) from exc
        raise job.error(f"git {args[0]} failed for {{url}}: {exc.detail}",
                        "check the URL and ref, or run the same git command by hand for details") from exc


def _git(cwd: Path, job: _Job, args: list[str]) -> str:
    """Run one git command safely (no prompts, hooks or submodules) within the job's deadline."""
    try:
        import git  # imported here: gitpython refuses to import at all when git is missing
    except ImportError as exc:
        raise _no_git(job) from exc
    left = job.deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(job)
    try:
        return git.Git(cwd).execute([git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *_options(job), *args],
                                    env=_env(cwd), kill_after_timeout=None if sys.platform == "win32" else left)
    except git.GitCommandNotFound as exc:
        raise _no_git(job) from exc
    except git.GitCommandError as exc:
        stderr = str(exc.stderr).strip().removeprefix("stderr: '").removesuffix("'")
        if stderr.startswith("Timeout:"):
            raise _timed_out(job) from exc
        raise _GitFailed(stderr) from exc


def _options(job: _Job) -> list[str]:
    """`-c` settings that keep repository content from running anything on this machine."""
    options = ["core.hooksPath=" + os.devnull, "core.askPass=", "submodule.recurse=false",
               "advice.detachedHead=false", "core.fsmonitor=false"]
    if job.url.lower().startswith("file://"):
        options.append("protocol.file.allow=always")
    return [part for option in options for part in ("-c", option)]


def _env(cwd: Path) -> dict[str, str]:
    """Environment that fails instead of prompting, and pins git to our checkout (not one in $GIT_DIR)."""
    ssh = os.environ.get("GIT_SSH_COMMAND", "ssh")
    env = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "echo", "SSH_ASKPASS": "echo", "GCM_INTERACTIVE": "never",
           "GIT_SSH_COMMAND": f"{ssh} -o BatchMode=yes", "GIT_LFS_SKIP_SMUDGE": "1"}
    git_dir = cwd / ".git"
    return env | {"GIT_DIR": str(git_dir), "GIT_WORK_TREE": str(cwd), "GIT_INDEX_FILE": str(git_dir / "index")}


def _no_git(job: _Job) -> GitError:
    return job.error("the git executable was not found (needed to clone {url})",
                     "install git and put it on PATH, or set GIT_PYTHON_GIT_EXECUTABLE")


def _timed_out(job: _Job) -> GitError:
    return job.error(f"git timed out after {job.timeout:g}s on {{url}}",
                     "check your network connection, or allow a longer timeout")
