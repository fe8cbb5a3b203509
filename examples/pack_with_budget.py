"""Pack a folder into a prompt that fits a model's context, from Python.

    python examples/pack_with_budget.py ./some/repo 16k

Prints the packed text's summary to stderr and writes the text to stdout; the
output is guaranteed to be at most the budget, counted with the real tokenizer.
"""

from __future__ import annotations

import sys

from ctx import CtxError, pack


def main(folder: str, budget: int) -> int:
    try:
        result = pack(folder, budget=budget, style="markdown")
    except CtxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = result.report
    print(f"{len(report.files)} files, {result.tokens} of {budget} tokens", file=sys.stderr)
    for omission in report.omissions[:5]:
        print(f"  left out or cut: {omission.path} ({omission.reason})", file=sys.stderr)
    sys.stdout.write(result.text)
    return 0


if __name__ == "__main__":
    budget_text = sys.argv[2] if len(sys.argv) > 2 else "16k"
    budget = int(float(budget_text.rstrip("kK")) * (1000 if budget_text[-1] in "kK" else 1))
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".", budget))
