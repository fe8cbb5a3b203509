"""The examples run as a user would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from context_builder import TiktokenTokenizer

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
