"""Output styles: text (Gitingest's layout), markdown, xml (Repomix's), json.

Each style renders the same `Report`, tree and files. A file's block is split
into (prefix, body, suffix) so the packer can price it from cached counts of the
body before rendering the whole output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Protocol

from .model import PackedFile, Report



class Style(Protocol):
    name: str

    def escape(self, content: str) -> str:
        """The file content as it appears in the block body."""

    def file_parts(self, file: PackedFile) -> tuple[str, str, str]:
        """(prefix, body, suffix) of one file's block."""

    def frame(self, report: Report, tree: str) -> tuple[str, str, str]:
        """(head, joiner, tail): the output is head + joiner.join(file blocks) + tail."""


def document_parts(style: Style, report: Report, tree: str, files: Sequence[PackedFile]) -> list[str]:
    """The whole output as a list of strings, each file's body a separate item (for exact counting)."""
    head, joiner, tail = style.frame(report, tree)
    parts = [head]
    for index, file in enumerate(files):
        if index and joiner:
            parts.append(joiner)
        parts.extend(style.file_parts(file))
    parts.append(tail)
    return parts


def summary_lines(report: Report) -> list[str]:
    """The header facts as plain lines, shared by every style but JSON."""
    source = report.source
    lines = [f"Source: {source.label}"]
    if report.query:
        query = " ".join(report.query.split())
        lines.append(f"Query: {query[:200]}{'…' if len(query) > 200 else ''}")
    if source.ref or source.commit:
        lines.append(f"Ref: {source.ref or '(detached)'}" + (f" @ {source.commit}" if source.commit else ""))
    packed = {f.path for f in report.files}
    partial = sum(1 for o in report.omissions if o.path in packed)
    left_out = len(report.omissions) - partial
    details = [f"{partial} in part"] * bool(partial) + [f"{left_out} left out"] * bool(left_out)
    lines.append(
        f"Files: {len(report.files)} of {report.total_files} packed"
        + (f" ({', '.join(details)})" if details else "")
        + (f", {len(report.skipped)} skipped" if report.skipped else "")
    )
    budget = f" (budget {report.budget:,})" if report.budget is not None else ""
    lines.append(f"Tokens: {report.file_tokens:,} in files of {report.total_tokens:,}{budget}, {report.encoding}")
    if report.files:
        largest = ", ".join(f"{f.path} ({f.full_tokens:,})" for f in report.largest())
        lines.append(f"Largest files: {largest}")
    lines.extend(_redaction_lines(report))
    lines.extend(_listed("Left out or cut", [f"{o.path} ({o.tokens:,} tokens): {o.reason}" for o in report.omissions], report.listed))
    lines.extend(_listed("Skipped", [f"{s.path}: {s.reason}" for s in report.skipped], report.listed))
    return lines


def _redaction_lines(report: Report) -> list[str]:
    if not report.redactions:
        return []
    listed = [f"{path}:{r.line} {r.kind}" for path, r in report.redactions]
    return _listed("Redacted secrets", listed, report.listed)


def _listed(title: str, items: Sequence[str], limit: int) -> list[str]:
    """A titled list of at most `limit` items; the rest are counted, so the header stays small."""
    if not items:
        return []
    lines = [f"{title} ({len(items)}):"]
    lines.extend(f"- {item}" for item in items[:limit])
    if len(items) > limit:
        lines.append(f"- … and {len(items) - limit} more")
    return lines


def summary_fields(report: Report, *, limit: int | None = None) -> dict[str, object]:
    """The header facts as JSON-ready data; lists cut to `limit` items (counts stay whole)."""
    return {
        "source": report.source.label,
        "ref": report.source.ref,
        "commit": report.source.commit,
        "encoding": report.encoding,
        "budget": report.budget,
        "query": report.query,
        "files_packed": len(report.files),
        "files_total": report.total_files,
        "file_tokens": report.file_tokens,
        "total_tokens": report.total_tokens,
        "left_out_count": len(report.omissions),
        "left_out": [vars(o) for o in report.omissions[:limit]],
        "skipped_count": len(report.skipped),
        "skipped": [vars(s) for s in report.skipped[:limit]],
        "redaction_count": len(report.redactions),
        "redactions": [{"path": p, "line": r.line, "kind": r.kind} for p, r in report.redactions[:limit]],
    }


class _Verbatim:
    """Styles that put file content in the output as it is."""

    def escape(self, content: str) -> str:
        return content


class TextStyle(_Verbatim):
    """Gitingest's layout, so its users can switch without retraining their prompts."""

    name = "text"
    _RULE = "=" * 48

    def file_parts(self, file: PackedFile) -> tuple[str, str, str]:
        note = f" [{file.note}]" if file.note else ""
        return f"{self._RULE}\nFILE: {file.path}{note}\n{self._RULE}\n", file.content, "\n\n"

    def frame(self, report: Report, tree: str) -> tuple[str, str, str]:
        head = "\n".join(summary_lines(report))
        return f"{head}\n\nDirectory structure:\n{tree}\n\n", "", ""


class MarkdownStyle(_Verbatim):
    name = "markdown"

    def file_parts(self, file: PackedFile) -> tuple[str, str, str]:
        fence = _fence(file.content)
        note = f" ({file.note})" if file.note else ""
        language = file.path.rsplit(".", 1)[-1] if "." in file.path.rsplit("/", 1)[-1] else ""
        return f"### {file.path}{note}\n\n{fence}{language}\n", file.content, f"\n{fence}\n\n"

    def frame(self, report: Report, tree: str) -> tuple[str, str, str]:
        head = "\n".join(summary_lines(report))
        fence = _fence(tree)
        return f"# {report.source.label}\n\n{head}\n\n## Directory structure\n\n{fence}\n{tree}\n{fence}\n\n## Files\n\n", "", ""


class XmlStyle(_Verbatim):
    """Repomix's layout: `<directory_structure>` then `<file path=…>` blocks inside `<files>`."""

    name = "xml"

    def file_parts(self, file: PackedFile) -> tuple[str, str, str]:
        note = f' note="{_attr(file.note)}"' if file.note else ""
        return f'<file path="{_attr(file.path)}"{note}>\n', file.content, "\n</file>\n\n"

    def frame(self, report: Report, tree: str) -> tuple[str, str, str]:
        head = "\n".join(summary_lines(report))
        return (
            f"<file_summary>\n{head}\n</file_summary>\n\n"
            f"<directory_structure>\n{tree}\n</directory_structure>\n\n<files>\n",
            "",
            "</files>\n",
        )


class JsonStyle:
    """One JSON object; one file object per line so it stays greppable."""

    name = "json"

    def escape(self, content: str) -> str:
        return json.dumps(content, ensure_ascii=False)[1:-1]

    def file_parts(self, file: PackedFile) -> tuple[str, str, str]:
        fields = {"path": file.path, "tokens": file.tokens, "status": file.status, "note": file.note}
        prefix = json.dumps(fields, ensure_ascii=False)[:-1] + ', "content": "'
        return prefix, self.escape(file.content), '"}'

    def frame(self, report: Report, tree: str) -> tuple[str, str, str]:
        head = summary_fields(report, limit=report.listed)
        summary = json.dumps(head, ensure_ascii=False)
        tree_json = json.dumps(tree, ensure_ascii=False)
        return f'{{"summary": {summary},\n"tree": {tree_json},\n"files": [\n', ",\n", "\n]}\n"


STYLES: dict[str, Style] = {s.name: s for s in (TextStyle(), MarkdownStyle(), XmlStyle(), JsonStyle())}


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
