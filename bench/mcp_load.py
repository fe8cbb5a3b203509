"""The hosted MCP server under load: N concurrent SDK clients calling `pack` and `search` for a bounded time.

Starts `ctx mcp serve --http` as a subprocess on a free loopback port with a random bearer
token (CTX_MCP_TOKEN) and `--root` folders from the command line, waits for /healthz, makes
one uncounted warm-up call per tool (the query index and token caches get built), then runs
`--clients` clients, each its own `mcp.Client` over Streamable HTTP, each calling `pack` and
`search` in turn until `--seconds` have passed (calls in flight then finish). Reports p50/p99
latency per tool, calls per second, every error (there should be none), and the server's RSS
(process tree, sampled each second): the first 10 s against the last 10 s, to show whether
memory grows. Run by hand, never by the test suite:

    .venv/bin/python bench/mcp_load.py --root /work/main                 # 20 clients, 60 s
    .venv/bin/python bench/mcp_load.py --root /work/main --seconds 60 --clients 20 --json
    .venv/bin/python bench/mcp_load.py --root /work/main --mode legacy   # initialize handshake
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

QUERIES = ("token budget", "parse a gitignore pattern", "render the file tree", "chunk python functions")
TOOLS = ("pack", "search")
WINDOW_S = 10  # RSS is compared over the first and the last this many seconds
Sample = tuple[float, int, int]  # seconds since the load began, server RSS KiB, process-tree RSS KiB


@dataclass(frozen=True)
class Workload:
    """What every client calls: a pack of one folder within a budget, and searches of another."""

    pack_source: str = "context_builder"
    budget: int = 4000
    search_source: str = "."
    limit: int = 10

    def call(self, number: int) -> tuple[str, dict[str, Any]]:
        """The `number`-th call of a client: pack and search in turn, the queries in rotation."""
        if number % 2 == 0:
            return "pack", {"source": self.pack_source, "budget": self.budget}
        query = QUERIES[(number // 2) % len(QUERIES)]
        return "search", {"source": self.search_source, "query": query, "limit": self.limit}


@dataclass
class Tally:
    """Latencies (seconds) per tool and the errors seen, shared by the clients of one run."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {tool: [] for tool in TOOLS})
    errors: list[str] = field(default_factory=list)
    last_finish: float = 0.0


class Server:
    """`ctx mcp serve --http` as a child process, its stderr kept in a temporary file."""

    def __init__(self, roots: list[Path], mode_args: list[str]) -> None:
        self.port = _free_port()
        self.token = secrets.token_urlsafe(32)
        self.log = tempfile.NamedTemporaryFile("w+", encoding="utf-8", prefix="ctx-mcp-load-", suffix=".log", delete=False)
        command = [_ctx_command(), "mcp", "serve", "--http", "--host", "127.0.0.1", "--port", str(self.port), *mode_args]
        for root in roots:
            command += ["--root", str(root)]
        env = {**os.environ, "CTX_MCP_TOKEN": self.token}
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    async def ready(self, timeout: float = 60.0) -> None:
        """Wait until /healthz answers; raises RuntimeError when the server exits or never answers."""
        deadline = time.monotonic() + timeout
        async with httpx2.AsyncClient() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
                try:
                    if (await http.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2)).status_code == 200:
                        return
                except httpx2.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def rss_kib(self) -> tuple[int, int]:
        """Resident memory in KiB of the server process, and of it with all its descendants (0 once it has exited).

        A child caught between fork and exec still runs the server's own image and shares its
        pages; counting it would double the server's RSS for that sample, so such children are
        left out (the server's children are short `git` commands).
        """
        own = _vm_rss(self.process.pid)
        image = _exe(self.process.pid)
        children = [pid for pid in _tree(self.process.pid)[1:] if _exe(pid) != image]
        return own, own + sum(_vm_rss(pid) for pid in children)

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        """SIGTERM, then SIGKILL after 40 s (the server gives requests in flight 30 s); the exit status.

        uvicorn re-raises the SIGTERM once its graceful shutdown is done, so a clean stop reads -15.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _ctx_command() -> str:
    beside = Path(sys.executable).parent / "ctx"
    found = str(beside) if beside.exists() else shutil.which("ctx")
    if not found:
        raise SystemExit("bench/mcp_load.py: no `ctx` command beside this Python or on PATH; run it with the project's .venv/bin/python")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, read from /proc/PID/task/TID/children."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                queue += [int(child) for child in (task / "children").read_text(encoding="ascii").split()]
            except OSError:
                continue
    return found


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def _vm_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _connect(server: Server, mode: str) -> tuple[Client, httpx2.AsyncClient]:
    http = httpx2.AsyncClient(headers={"authorization": f"Bearer {server.token}"}, timeout=httpx2.Timeout(300))
    return Client(streamable_http_client(server.url, http_client=http), mode=mode), http


async def _call(client: Client, name: str, arguments: dict[str, Any]) -> str | None:
    """One tool call; None when it worked, else what went wrong."""
    try:
        result = await client.call_tool(name, arguments)
    except Exception as exc:  # a bench records every failure and goes on
        return f"{name}: {type(exc).__name__}: {exc}"
    if result.is_error:
        text = " ".join(getattr(block, "text", "") for block in result.content)
        return f"{name}: tool error: {text[:300]}"
    return None


async def _client(server: Server, mode: str, workload: Workload, first: int, deadline: float, tally: Tally) -> None:
    client, http = _connect(server, mode)
    try:
        async with client:
            number = first
            while time.perf_counter() < deadline:
                name, arguments = workload.call(number)
                started = time.perf_counter()
                error = await _call(client, name, arguments)
                finished = time.perf_counter()
                tally.last_finish = max(tally.last_finish, finished)
                if error:
                    tally.errors.append(error)
                else:
                    tally.latencies[name].append(finished - started)
                number += 1
    except Exception as exc:  # a session that cannot open or close is an error of the run, not a crash of the bench
        tally.errors.append(f"session: {type(exc).__name__}: {exc}")
    finally:
        await http.aclose()


async def _sample_rss(server: Server, started: float, samples: list[Sample], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append((round(time.perf_counter() - started, 2), *server.rss_kib()))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass


async def _warm_up(server: Server, mode: str, workload: Workload) -> dict[str, Any]:
    """One uncounted call per tool, timed (the first pack and search build caches and the query index)."""
    client, http = _connect(server, mode)
    timings: dict[str, float] = {}
    try:
        async with client:
            protocol = client.protocol_version
            for number in range(len(TOOLS)):
                name, arguments = workload.call(number)
                started = time.perf_counter()
                error = await _call(client, name, arguments)
                if error:
                    raise RuntimeError(f"warm-up call failed: {error}")
                timings[name] = round((time.perf_counter() - started) * 1000, 1)
    finally:
        await http.aclose()
    return {"protocol_version": protocol, "warm_up_ms": timings}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the server, load it, stop it; the measurements as one JSON-ready dict."""
    workload = Workload(args.pack_source, args.budget, args.search_source, args.limit)
    server = Server(args.root, ["--max-jobs", str(args.max_jobs)] if args.max_jobs else [])
    samples: list[Sample] = []
    try:
        await server.ready()
        idle_rss = server.rss_kib()[1]
        session = await _warm_up(server, args.mode, workload)
        tally, stop = Tally(), asyncio.Event()
        started, cpu_server, cpu_bench = time.perf_counter(), server.cpu_s(), time.process_time()
        sampler = asyncio.create_task(_sample_rss(server, started, samples, stop))
        deadline = started + args.seconds
        await asyncio.gather(*(_client(server, args.mode, workload, n, deadline, tally) for n in range(args.clients)))
        stop.set()
        await sampler
        elapsed = (tally.last_finish or time.perf_counter()) - started
        session["cpu_s"] = {"server": round(server.cpu_s() - cpu_server, 1), "clients": round(time.process_time() - cpu_bench, 1)}
    finally:
        exit_status = server.stop()
    return _report(args, workload, session, tally, elapsed, samples, idle_rss, exit_status)


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (seconds), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return round(ordered[rank - 1] * 1000, 1)


def _rss_window(samples: list[Sample], start: float, end: float) -> dict[str, float]:
    """Median and max RSS (MiB) of the server process and of its tree over samples in [start, end)."""
    window = [(own, tree) for at, own, tree in samples if start <= at < end and own > 0]
    if not window:
        return {"samples": 0}
    own, tree = sorted(o for o, _ in window), sorted(t for _, t in window)
    return {"samples": len(window), "server_median_mib": _mib(statistics.median(own)), "server_max_mib": _mib(own[-1]),
            "tree_median_mib": _mib(statistics.median(tree)), "tree_max_mib": _mib(tree[-1])}


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _report(args: argparse.Namespace, workload: Workload, session: dict[str, Any], tally: Tally, elapsed: float,
            samples: list[Sample], idle_rss: int, exit_status: int) -> dict[str, Any]:
    tools = {
        name: {"calls": len(values), "p50_ms": _percentile(values, 0.50), "p99_ms": _percentile(values, 0.99),
               "max_ms": round(max(values) * 1000, 1) if values else float("nan")}
        for name, values in tally.latencies.items()
    }
    calls = sum(len(values) for values in tally.latencies.values())
    last = max((at for at, _, _ in samples), default=0.0)
    return {
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "clients": args.clients, "seconds": args.seconds, "mode": args.mode, **session,
        "workload": {"pack": {"source": workload.pack_source, "budget": workload.budget},
                     "search": {"source": workload.search_source, "limit": workload.limit, "queries": list(QUERIES)}},
        "elapsed_s": round(elapsed, 2), "calls": calls, "calls_per_s": round(calls / elapsed, 2) if elapsed else 0.0,
        "errors": len(tally.errors), "error_messages": tally.errors[:50], "tools": tools,
        "rss": {"idle_mib": _mib(idle_rss), "first_10s": _rss_window(samples, 0, WINDOW_S),
                "last_10s": _rss_window(samples, last - WINDOW_S, last + 1),
                "tree_max_mib": _mib(max((tree for _, _, tree in samples), default=0)),
                "samples": [list(sample) for sample in samples]},
        "server_exit_status": exit_status,
    }


def markdown(result: dict[str, Any]) -> str:
    """The result as the Markdown table and lines docs/BENCHMARKS.md shows."""
    rss = result["rss"]
    first, last = rss["first_10s"], rss["last_10s"]
    lines = [
        f"{result['clients']} clients, {result['seconds']} s, mode {result['mode']} (protocol {result['protocol_version']}); "
        f"{result['machine']}; {result['date']}.",
        "",
        "| Tool | Calls | p50 (ms) | p99 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in result["tools"].items():
        lines.append(f"| {name} | {row['calls']:,} | {row['p50_ms']:,} | {row['p99_ms']:,} | {row['max_ms']:,} |")
    lines += [
        "",
        "| Calls | Elapsed (s) | Calls/s | Errors | RSS idle (MiB) | RSS first 10 s median / max (MiB) | RSS last 10 s median / max (MiB) | RSS max (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result['calls']:,} | {result['elapsed_s']} | {result['calls_per_s']} | {result['errors']} | {rss['idle_mib']} "
        f"| {first.get('tree_median_mib')} / {first.get('tree_max_mib')} | {last.get('tree_median_mib')} / {last.get('tree_max_mib')} "
        f"| {rss['tree_max_mib']} |",
        "",
        f"Warm-up (uncounted, first call of each tool): {', '.join(f'{k} {v:,} ms' for k, v in result['warm_up_ms'].items())}. "
        f"CPU time during the load: server {result['cpu_s']['server']} s, the bench's clients {result['cpu_s']['clients']} s.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, action="append", required=True, help="a folder the server may read (repeatable); the sources are relative to the first")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long clients start new calls (default 60)")
    parser.add_argument("--mode", default="auto", help="Client mode: auto (default; discover, the 2026-07-28 revision) or legacy (initialize handshake)")
    parser.add_argument("--pack-source", default="context_builder")
    parser.add_argument("--budget", type=int, default=4000)
    parser.add_argument("--search-source", default=".")
    parser.add_argument("--limit", type=int, default=10, help="search hits per call")
    parser.add_argument("--max-jobs", type=int, default=None, help="the server's --max-jobs (default: the server's own default)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of Markdown")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    for message in result["error_messages"]:
        print(f"error: {message}", file=sys.stderr)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
