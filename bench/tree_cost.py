"""Tokens per tree entry in ctx's and repomix's XML outputs from the last `bench/pack.py` run.

    .venv/bin/python bench/tree_cost.py [bench/.work/out]

ctx promises a tree that costs no more tokens per entry than Repomix's; this reads the
`<directory_structure>` of both cold outputs per repository and prints a Markdown table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from context_builder import TiktokenTokenizer

_TREE = re.compile(r"<directory_structure>\n(.*?)\n</directory_structure>", re.S)


def entries_and_tokens(path: Path, tokenizer: TiktokenTokenizer) -> tuple[int, int]:
    match = _TREE.search(path.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"no <directory_structure> in {path}")
    tree = match.group(1)
    return len(tree.splitlines()), tokenizer.count(tree)


def main(out: Path) -> None:
    tokenizer = TiktokenTokenizer()
    print("| Repository | ctx entries | ctx tokens/entry | repomix entries | repomix tokens/entry |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for repo in sorted(p for p in out.iterdir() if (p / "ctx-cold.xml").is_file() and (p / "repomix-cold.xml").is_file()):
        cells = [repo.name]
        for name in ("ctx-cold.xml", "repomix-cold.xml"):
            entries, tokens = entries_and_tokens(repo / name, tokenizer)
            cells += [f"{entries:,}", f"{tokens / entries:.3f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / ".work" / "out")
