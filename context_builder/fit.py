"""Fill a token budget by priority: whole files first, then outlines, then one cut-short file.

Prices come from cached counts of each block's parts, which add up to within a
few tokens of the rendered output; `pack` measures the real output and calls
`fit` again with a corrected allowance, so the guarantee never rests on an
estimate.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .compress import ELISION
from .model import Omission, PackedFile
from .priority import TIER_NAMES, tier
from .styles import Style
from .tokens import Tokenizer

MIN_PART = 48  # below this many tokens a partial file is noise, not context
_LARGE_SHARE = 4  # a file costing more than 1/4 of the allowance comes in as its outline, if it has one


class Pricer:
    """Token prices of file blocks in one style, memoised for the whole pack."""

    def __init__(self, tokenizer: Tokenizer, style: Style) -> None:
        self.tokenizer = tokenizer
        self.style = style
        self._memo: dict[str, int] = {}

    def counts(self, texts: Sequence[str]) -> list[int]:
        missing = sorted({t for t in texts if t not in self._memo})
        self._memo.update(zip(missing, self.tokenizer.count_many(missing)))
        return [self._memo[t] for t in texts]

    def block_costs(self, files: Sequence[PackedFile]) -> list[int]:
        parts = [self.style.file_parts(f) for f in files]
        flat = self.counts([piece for triple in parts for piece in triple])
        return [sum(flat[i : i + 3]) for i in range(0, len(flat), 3)]


@dataclass(frozen=True)
class Fit:
    files: tuple[PackedFile, ...]
    omissions: tuple[Omission, ...]


Outliner = Callable[[PackedFile], PackedFile | None]


def fit(ranked: Sequence[PackedFile], available: int, pricer: Pricer, outliner: Outliner) -> Fit:
    """Choose what of `ranked` (best first) enters within `available` tokens."""
    costs = pricer.block_costs(ranked)
    chosen: list[PackedFile] = []
    reduced: list[PackedFile] = []  # put in only in part, because of the budget
    deferred: list[PackedFile] = []
    remaining = available
    for file, cost in zip(ranked, costs):
        admitted = _admit(file, cost, remaining, available, pricer, outliner)
        if admitted is None:
            deferred.append(file)
            continue
        if admitted[0] is not file:
            reduced.append(admitted[0])
        chosen.append(admitted[0])
        remaining -= admitted[1]
    if deferred and remaining >= MIN_PART:
        cut = trim(deferred[0], remaining, pricer)
        if cut is not None:
            chosen.append(cut)
            reduced.append(cut)
            deferred.pop(0)
    return Fit(tuple(chosen), _omissions(reduced, deferred))


def explain(file: PackedFile) -> str:
    """Why a file is in a structural pack, and in what form (for --explain)."""
    if file.why:
        return file.why
    form = {"full": "whole", "outline": "as its outline", "trimmed": f"cut short ({file.note})"}.get(file.status, file.note)
    return f"{TIER_NAMES[tier(file.path)]}, {form}"


def _admit(
    file: PackedFile, cost: int, remaining: int, available: int, pricer: Pricer, outliner: Outliner
) -> tuple[PackedFile, int] | None:
    """The file as it enters, with its price: whole if it fits and is not large (over 1/4 of the
    allowance), else its outline if that fits, else whole if it fits; None if nothing fits."""
    if cost <= remaining and cost <= available // _LARGE_SHARE:
        return file, cost
    outline = _outline_within(file, remaining, pricer, outliner)
    if outline is not None:
        return outline
    return (file, cost) if cost <= remaining else None


def _outline_within(file: PackedFile, remaining: int, pricer: Pricer, outliner: Outliner) -> tuple[PackedFile, int] | None:
    """The file's outline with its price, if one exists and fits; cheap checks first."""
    if file.status != "full" or remaining < MIN_PART or file.full_tokens // 6 > remaining:
        return None
    outline = outliner(file)
    if outline is None:
        return None
    cost = pricer.block_costs([outline])[0]
    return (outline, cost) if cost <= remaining else None


def trim(file: PackedFile, allowance: int, pricer: Pricer) -> PackedFile | None:
    """The longest head of `file` (whole lines) whose block fits `allowance`, ending in an elision line."""
    lines = file.content.splitlines(keepends=True)
    line_costs = pricer.counts([pricer.style.escape(line) for line in lines])
    totals = list(itertools.accumulate(line_costs))
    probe = replace(file, content=ELISION.format(n=len(lines)), status="trimmed", note=f"lines 1-{len(lines)} of {len(lines)}")
    overhead = pricer.block_costs([probe])[0] + 2  # the wrapper, the elision line, and a boundary token
    kept = bisect.bisect_right(totals, allowance - overhead)
    if kept == 0 or kept >= len(lines):
        return None
    content = "".join(lines[:kept]) + ("" if lines[kept - 1].endswith("\n") else "\n")
    content += ELISION.format(n=len(lines) - kept)
    note = f"lines 1-{kept} of {len(lines)}"
    cut = replace(file, content=content, status="trimmed", note=note)
    return replace(cut, tokens=pricer.counts([content])[0])


def _omissions(reduced: Sequence[PackedFile], deferred: Sequence[PackedFile]) -> tuple[Omission, ...]:
    partial = [Omission(f.path, f.full_tokens, f"{f.note}: the whole file did not fit the budget") for f in reduced]
    left_out = [Omission(f.path, f.full_tokens, "left out: did not fit the budget") for f in deferred]
    return tuple(partial + left_out)
