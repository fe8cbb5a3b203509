"""Check out each SWE-bench Lite dev instance's repository at its base commit.

The selection-quality benchmark (`bench/select_quality.py`) ranks the files of the repository *as
it was when the issue was filed*, so every instance needs its own tree at `base_commit`. The trees
come from local git mirrors (a bare git dir per repository; this script never touches the network)
and are written as plain directories from the commit's tree: no worktree bookkeeping left in the
mirror, and nothing but tracked files, which is what the fix's author saw.

Idempotent: a finished checkout holds a marker file with its commit and is skipped next time; a
half-written one (no marker) is removed and written again.

    .venv/bin/python bench/swebench_setup.py                       # mirrors under /work/.mirror
    .venv/bin/python bench/swebench_setup.py --mirror pvlib/pvlib-python=/path/to/repo.git
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path("/work/shared/bench/swebench-lite-dev.jsonl")
DEFAULT_OUT = HERE / ".work" / "swebench"
DEFAULT_MIRROR_ROOT = Path("/work/.mirror")
MARKER = ".ctx-bench-commit"  # not a .py file, so never a ranking candidate


def load_instances(path: Path) -> list[dict[str, Any]]:
    """Read the JSONL split, sorted by instance id so runs are reproducible."""
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return sorted(rows, key=lambda r: r["instance_id"])


def parse_mirror_args(values: list[str]) -> dict[str, Path]:
    """`owner/name=PATH` pairs given on the command line win over discovered mirrors."""
    out: dict[str, Path] = {}
    for value in values:
        repo, sep, path = value.partition("=")
        if not sep or "/" not in repo:
            raise SystemExit(f"--mirror expects owner/name=PATH, got {value!r}")
        out[repo] = Path(path)
    return out


def find_git_dir(repo: str, explicit: dict[str, Path], root: Path) -> Path | None:
    """Locate the mirror of `repo`: explicit path, else `<root>/<owner>+<name>/` (or its `repo/`)."""
    candidates = [explicit[repo]] if repo in explicit else []
    base = root / repo.replace("/", "+")
    candidates += [base / "repo", base, base / ".git"]
    for cand in candidates:
        ok = subprocess.run(["git", "--git-dir", str(cand), "rev-parse", "--git-dir"],
                            capture_output=True, text=True)
        if ok.returncode == 0:
            return cand
    return None


def tree_entries(git_dir: Path, commit: str) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every file in `commit`, in path order."""
    out = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", "--full-tree", commit],
                         capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    rows = []
    for item in filter(None, out.split("\0")):
        meta, path = item.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind == "blob":  # submodules ("commit") have no content here
            rows.append((mode, oid, path))
    return sorted(rows, key=lambda r: r[2])


def write_tree(git_dir: Path, commit: str, dest: Path) -> list[str]:
    """Write every blob of `commit` under `dest`; return the paths whose blobs the mirror lacks.

    Blob by blob through `git cat-file --batch` rather than `git archive`, because snapshot mirrors
    may leave out their largest blobs (data files such as pvlib's .h5, pydicom's .dcm); archive
    aborts on the first one, while here a missing blob is only reported.
    """
    missing: list[str] = []
    batch = subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert batch.stdin and batch.stdout
    try:
        for mode, oid, path in tree_entries(git_dir, commit):
            batch.stdin.write(oid.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3:  # "<oid> missing"
                missing.append(path)
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after each object
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == "120000":
                target.symlink_to(data.decode("utf-8", "surrogateescape"))
            else:
                target.write_bytes(data)
                if mode == "100755":
                    target.chmod(0o755)
    finally:
        batch.stdin.close()
        batch.wait()
    return missing


def checkout(git_dir: Path, commit: str, dest: Path) -> str:
    """Write the tree of `commit` to `dest`; return a status line ('skipped', 'ok ...' or an error)."""
    marker = dest / MARKER
    if marker.is_file() and marker.read_text().strip() == commit:
        return "skipped"
    if dest.exists():
        shutil.rmtree(dest)  # partial or stale checkout: start clean
    has = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"],
                         capture_output=True)
    if has.returncode != 0:
        return f"error: commit {commit} not in {git_dir}"
    dest.mkdir(parents=True)
    missing = write_tree(git_dir, commit, dest)
    py_missing = [p for p in missing if p.endswith(".py")]
    if py_missing:  # a ranking over an incomplete set of Python files would be wrong: fail loudly
        shutil.rmtree(dest, ignore_errors=True)
        return f"error: mirror lacks {len(py_missing)} Python file(s), e.g. {py_missing[0]}"
    marker.write_text(commit + "\n")
    return f"ok ({len(missing)} non-Python blob(s) absent from the mirror)" if missing else "ok"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="SWE-bench JSONL split")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where checkouts go")
    ap.add_argument("--mirror", action="append", default=[], metavar="OWNER/NAME=PATH",
                    help="git dir of a repository (repeatable); default: discovered under --mirror-root")
    ap.add_argument("--mirror-root", type=Path, default=DEFAULT_MIRROR_ROOT)
    args = ap.parse_args(argv)

    explicit = parse_mirror_args(args.mirror)
    instances = load_instances(args.data)
    git_dirs: dict[str, Path | None] = {}
    failed = 0
    for inst in instances:
        repo, iid = inst["repo"], inst["instance_id"]
        if repo not in git_dirs:
            git_dirs[repo] = find_git_dir(repo, explicit, args.mirror_root)
        git_dir = git_dirs[repo]
        if git_dir is None:
            print(f"{iid}: no mirror of {repo} (fetch it, or pass --mirror {repo}=PATH)", file=sys.stderr)
            failed += 1
            continue
        status = checkout(git_dir, inst["base_commit"], args.out / iid)
        failed += status.startswith("error")
        print(f"{iid}: {status}", file=sys.stderr)
    print(f"{len(instances) - failed}/{len(instances)} instances ready in {args.out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
