"""Shared fixtures: fixture repositories built inside the tests, and an isolated cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import git
import httpx
import pytest


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own XDG cache (no test sees another's counts or clones) and a git
    identity of its own, so commits work on a machine with no git configuration."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    empty = cache / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "ctx tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@example.com")
    return cache


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (path → text or bytes) under `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    """A small git repository with the cases the packer must handle."""
    root = tmp_path / "sample"
    write(
        root,
        {
            "README.md": "# Sample\n\nA sample project for ctx tests.\n",
            "pyproject.toml": '[project]\nname = "sample"\nversion = "0.1"\n',
            ".gitignore": "*.log\n!keep.log\nbuild/\nsecret_dir/\n",
            "keep.log": "this log is re-included by a negation\n",
            "debug.log": "ignored\n",
            "build/out.txt": "build output\n",
            "src/sample/__init__.py": '"""Sample package."""\n',
            "src/sample/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n\n\nclass Greeter:\n    def greet(self, name: str) -> str:\n        return f'hello {name}'\n",
            "src/sample/config.py": 'AWS_KEY = "AKIAIOSFODNN7EXAMPLF"\nTIMEOUT = 30\n',
            "src/sample/.gitignore": "generated_*.py\n!generated_keep.py\n",
            "src/sample/generated_x.py": "x = 1\n",
            "src/sample/generated_keep.py": "keep = 1\n",
            "tests/test_core.py": "from sample.core import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
            "package-lock.json": '{"lockfileVersion": 3}\n',
            "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
            "blob.raw": bytes(range(256)) * 4,
            "docs/utf16.txt": "Grüße aus UTF-16\n".encode("utf-16"),
        },
    )
    repo = git.Repo.init(root)
    repo.git.add(A=True)
    repo.git.commit(m="initial", author="ctx tests <tests@example.com>")
    return root


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def hosted_server(root: Path, token: str, log: Path) -> Iterator[str]:
    """`ctx mcp serve --http` on a free loopback port, reading `root`, behind `token`; yields its base URL.

    On the way out it checks the server stopped cleanly (uvicorn drains requests, then re-raises
    SIGTERM, so -15 is a clean stop) and logged no traceback.
    """
    port = free_port()
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "ctx", "mcp", "serve", "--http", "--port", str(port), "--root", str(root)],
            env={**os.environ, "CTX_MCP_TOKEN": token}, stderr=errors,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        code = process.wait(timeout=30)
        assert code in (0, -15)
        assert "Traceback" not in log.read_text()
