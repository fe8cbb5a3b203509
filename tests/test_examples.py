"""The examples run as a user would run them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from context_builder import TiktokenTokenizer
from tests.conftest import free_port

EXAMPLES = Path(__file__).parents[1] / "examples"


def test_pack_with_budget_example(sample_repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "pack_with_budget.py"), str(sample_repo), "600"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert TiktokenTokenizer().count(proc.stdout) <= 600
    assert proc.stdout.startswith("# sample\n")
    assert " of 600 tokens" in proc.stderr


def test_pack_with_budget_example_reports_a_bad_folder() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "pack_with_budget.py"), "/no/such/folder"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error: no such folder")


def test_llmstxt_example_writes_a_valid_file_and_twins(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Demo\n\nDemo docs for agents.\n", encoding="utf-8")
    (docs / "guide.md").write_text("# Guide\n\nHow to use the demo.\n", encoding="utf-8")
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "llmstxt_for_docs.py"), str(docs), "https://demo.example.org/", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Demo\n\n> Demo docs for agents.\n")
    assert (out / "llms.txt").read_text(encoding="utf-8") == proc.stdout
    assert (out / "guide.md").is_file() and (out / "llms-full.txt").is_file()
    assert f"wrote {out / 'llms.txt'}" in proc.stderr


def test_mcp_client_runs_the_local_agent_config_over_stdio(sample_repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "mcp_client.py"), "--config", str(EXAMPLES / "mcp" / "agent_config.json"),
         "pack", "source=.", "max_tokens=1000"],
        capture_output=True, text=True, timeout=120, cwd=sample_repo, env={**os.environ, "PATH": _with_ctx_on_path()},
    )
    assert proc.returncode == 0, proc.stderr
    assert "def add(a: int, b: int) -> int:" in proc.stdout  # the whole pack, read page by page


def test_mcp_client_calls_the_hosted_server_with_its_token(sample_repo: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PATH": _with_ctx_on_path(), "HOST": "127.0.0.1", "PORT": str(port), "CTX_MCP_TOKEN": "example-token-0123456789"}
    log = tmp_path / "server.log"
    with log.open("w") as errors:
        server = subprocess.Popen(["bash", str(EXAMPLES / "mcp" / "serve_hosted.sh"), "--root", str(sample_repo)], env=env, stderr=errors)
    try:
        for _ in range(150):
            if "MCP server on" in log.read_text():
                break
            time.sleep(0.1)
        time.sleep(0.5)
        proc = subprocess.run(
            [sys.executable, str(EXAMPLES / "mcp_client.py"), "--url", f"http://localhost:{port}/mcp", "search", "source=.", "query=greet", "limit=1"],
            capture_output=True, text=True, timeout=120, env=env,
        )
        assert proc.returncode == 0, proc.stderr + log.read_text()
        assert "def greet" in proc.stdout
        refused = subprocess.run(
            [sys.executable, str(EXAMPLES / "mcp_client.py"), "--url", f"http://localhost:{port}/mcp", "tree", "source=."],
            capture_output=True, text=True, timeout=120, env={**env, "CTX_MCP_TOKEN": "wrong"},
        )
        assert refused.returncode == 1 and refused.stderr.startswith("error: cannot use the server")
        assert "Traceback" not in refused.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def _with_ctx_on_path() -> str:
    """The examples call `ctx` as a user would: put this interpreter's scripts folder first."""
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def test_export_skills_example(sample_repo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": _with_ctx_on_path()}
    proc = subprocess.run(["bash", str(EXAMPLES / "export_skills.sh"), str(tmp_path / "skills")],
                          capture_output=True, text=True, timeout=180, cwd=sample_repo, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "skills").iterdir()) == ["ctx-docs", "ctx-pack", "ctx-search", "ctx-tree"]
    assert '"service": "tree"' in proc.stdout and "core.py" in proc.stdout


def test_mcp_to_skill_example(sample_repo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": _with_ctx_on_path(), "OUT": str(tmp_path / "skills")}
    proc = subprocess.run(["bash", str(EXAMPLES / "mcp_to_skill.sh"), str(sample_repo)],
                          capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "skills" / "ctx" / "scripts" / "call.py").is_file()
    assert '"tool": "tree"' in proc.stdout and '"tool": "search"' in proc.stdout
