"""What each agent service returns, for every adapter: the text an agent reads, and a small record of facts.

The MCP server pages the text (it can be as long as a whole repository) and sends the facts as
structured content; `ctx call` and the Agent Skills' scripts print both as JSON. The facts are
short by construction (lists cut to a few dozen items, counts kept whole) so they never crowd
out the text. Each record is a TypedDict: the MCP SDK turns it into the tool's output schema
and checks every result against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from context_builder import PackResult, summary_fields
from . import services

LIST_LIMIT = 30  # items kept in a result's lists; the counts say how many there were


class PageInfo(TypedDict):
    """Where this page sits in the whole text; `next_cursor` fetches the rest."""

    tokens: int
    total_tokens: int
    start_char: int
    total_chars: int
    next_cursor: str | None


class PackOutput(TypedDict):
    page: PageInfo
    source: str
    ref: str | None
    commit: str | None
    budget: int | None
    query: str | None
    files_packed: int
    files_total: int
    left_out_count: int
    left_out: list[dict[str, Any]]
    skipped_count: int
    skipped: list[dict[str, Any]]
    redaction_count: int


class Hit(TypedDict):
    path: str
    start: int
    end: int
    symbol: str
    score: float


class SearchOutput(TypedDict):
    page: PageInfo
    hits: list[Hit]


class TreeOutput(TypedDict):
    page: PageInfo
    source: str
    files: int
    total_tokens: int
    skipped_count: int


class DocsOutput(TypedDict):
    page: PageInfo
    source: str
    kind: str
    notes: list[str]


class MarkdownOutput(TypedDict):
    page: PageInfo
    requested: str
    url: str
    title: str
    kind: str
    notes: list[str]


class Problem(TypedDict):
    line: int
    severity: str
    code: str
    message: str


class CheckOutput(TypedDict):
    page: PageInfo
    target: str
    ok: bool
    problems: list[Problem]


class LlmsTxtOutput(TypedDict):
    page: PageInfo
    warnings: list[str]


Shaped = tuple[str, dict[str, Any]]  # (text to page, facts without `page`)


def pack(result: PackResult) -> Shaped:
    fields = summary_fields(result.report, limit=LIST_LIMIT)
    keys = PackOutput.__annotations__.keys() - {"page"}
    return result.text, {key: fields[key] for key in sorted(keys)}


def search(hits: list[services.SearchHit]) -> Shaped:
    blocks = [f"## {h.path}:{h.start}-{h.end} {h.symbol} (score {h.score})\n{h.text.rstrip()}\n" for h in hits]
    text = "\n".join(blocks) if blocks else "No chunk matches the query.\n"
    facts = [{"path": h.path, "start": h.start, "end": h.end, "symbol": h.symbol, "score": h.score} for h in hits]
    return text, {"hits": facts}


def tree(result: services.TreeResult) -> Shaped:
    header = f"{result.source.label} ({result.total:,} tokens)\n"
    facts = {"source": result.source.label, "files": len(result.counts), "total_tokens": result.total, "skipped_count": len(result.skipped)}
    return header + result.text + "\n", facts


def check(results: list[services.CheckResult]) -> Shaped:
    result = results[0]
    lines = [f"{d.line}: {d.severity} {d.code}: {d.message}" for d in result.diagnostics]
    verdict = "valid" if result.ok else "invalid"
    text = f"{result.target} is {verdict} llms.txt" + (":\n" + "\n".join(lines) if lines else ".") + "\n"
    problems = [{"line": d.line, "severity": d.severity, "code": d.code, "message": d.message} for d in result.diagnostics]
    return text, {"target": result.target, "ok": result.ok, "problems": problems[:LIST_LIMIT]}


def llmstxt(result: services.LlmsTxtResult) -> Shaped:
    return result.text, {"warnings": list(result.warnings[:LIST_LIMIT])}


def docs(result: services.DocsResult) -> Shaped:
    return result.text, {"source": result.source, "kind": result.kind, "notes": list(result.notes[:LIST_LIMIT])}


def markdown(result: services.MarkdownResult) -> Shaped:
    facts = {"requested": result.requested, "url": result.url, "title": result.title, "kind": result.kind}
    return result.text, {**facts, "notes": list(result.notes[:LIST_LIMIT])}


# tool name → (output record, how to shape the service's result)
SHAPES: dict[str, tuple[type, Callable[[Any], Shaped]]] = {
    "pack": (PackOutput, pack),
    "search": (SearchOutput, search),
    "tree": (TreeOutput, tree),
    "docs": (DocsOutput, docs),
    "fetch_markdown": (MarkdownOutput, markdown),
    "llmstxt_check": (CheckOutput, check),
    "llmstxt_generate": (LlmsTxtOutput, llmstxt),
}
