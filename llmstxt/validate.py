"""The llms.txt validator: spec deviations, reference-parser risks and hostile content, by line.

`parse` already reports what it had to tolerate while reading; this adds the checks
that need the whole file: link hygiene (relative, empty, duplicate URLs), section
order, heading levels, what the reference parser would raise on or misread, HTML
served in place of Markdown, prompt-injection phrases, and size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.injection import find_injections

from ._reference import reference_diagnostics
from ._scan import Line, scan
from .model import Diagnostic, LlmsTxt
from .parse import read, title_index

MAX_TOKENS = 25_000
"""Above about this many tokens (bytes / 4) an llms.txt index stops fitting next to real work in a context."""

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HTML = re.compile(r"\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)


def validate(text: str, *, max_tokens: int | None = MAX_TOKENS) -> tuple[Diagnostic, ...]:
    """Every problem in an llms.txt file, sorted by line; never raises.

    `max_tokens` bounds the estimated size (pass None for llms-full.txt, which is meant
    to be large). A file that is an HTML page gets only the HTML, injection and size checks:
    its Markdown structure is meaningless.
    """
    found = [*_injections(text), *_size(text, max_tokens)]
    if (html := _html(text)) is not None:
        return _sorted([html, *found])
    scanned = scan(text)
    parsed = read(scanned)
    doc = parsed.doc
    found += [*parsed.diagnostics, *_summary(scanned.lines, doc), *_heading_levels(scanned.lines)]
    found += [*_sections(doc), *_links(doc), *reference_diagnostics(text, doc)]
    return _sorted(found)


def _sorted(found: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = set(found)
    return tuple(sorted(unique, key=lambda d: (d.line, _SEVERITY_ORDER[d.severity], d.code, d.message, d.hint)))


def _html(text: str) -> Diagnostic | None:
    text = text.lstrip("\ufeff")
    if not _HTML.match(text):
        return None
    line = text[:len(text) - len(text.lstrip())].count("\n") + 1
    return Diagnostic(line, "error", "html-document", "the file is an HTML page, not Markdown",
                      "serve the Markdown llms.txt itself (an HTML page here is often a 404 or login page)")


def _injections(text: str) -> Iterator[Diagnostic]:
    for number, phrase in find_injections(text):
        yield Diagnostic(number, "warning", "prompt-injection", f"text that tries to instruct the reader: "
                         f"{phrase!r}", "remove it; agents must not treat an llms.txt as instructions")


def _size(text: str, max_tokens: int | None) -> Iterator[Diagnostic]:
    tokens = (len(text.encode("utf-8", "surrogatepass")) + 3) // 4
    if max_tokens is not None and tokens > max_tokens:
        yield Diagnostic(0, "warning", "too-large", f"about {tokens:,} tokens, over the {max_tokens:,} an index "
                         "should take", "move long content into linked pages or an llms-full.txt")


def _summary(lines: tuple[Line, ...], doc: LlmsTxt) -> Iterator[Diagnostic]:
    """A prose paragraph right after the title that was probably meant as the `> ` summary."""
    at = title_index(lines)
    following = next((line for line in lines[at + 1:] if line.kind != "blank"), None) if at is not None else None
    if not doc.summary and following is not None and following.kind == "text":
        yield Diagnostic(following.number, "info", "summary-not-blockquote", "no '> ' summary after the title",
                         "start the one-paragraph summary with '> '")


def _heading_levels(lines: tuple[Line, ...]) -> Iterator[Diagnostic]:
    previous = 1
    for line in lines:
        if line.kind == "heading":
            if line.level > previous + 1:
                yield Diagnostic(line.number, "warning", "heading-level-skipped",
                                 f"H{line.level} follows H{previous}", f"use '{'#' * (previous + 1)} '")
            previous = line.level


def _sections(doc: LlmsTxt) -> Iterator[Diagnostic]:
    if not doc.sections:
        yield Diagnostic(0, "warning", "no-sections", "no '## ' sections, so no link lists",
                         "list the important pages under '## Docs' as '- [name](url): note'")
    seen: dict[str, int] = {}
    for index, section in enumerate(doc.sections):
        key = section.name.strip().casefold()
        if key in seen:
            yield Diagnostic(section.line, "warning", "duplicate-section", f"section {section.name!r} repeats "
                             f"line {seen[key]}", "merge the two sections")
        seen.setdefault(key, section.line)
        if not section.links and not section.text.strip():
            yield Diagnostic(section.line, "warning", "empty-section", f"section {section.name!r} is empty",
                             "add links or remove the heading")
        if section.optional and index != len(doc.sections) - 1:
            yield Diagnostic(section.line, "warning", "optional-not-last", "the Optional section is not last",
                             "move '## Optional' to the end: agents drop what follows it")


def _links(doc: LlmsTxt) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    for link in doc.links:
        yield from _link(link.line, link.name, link.url)
        if link.url and link.url in first:
            yield Diagnostic(link.line, "warning", "duplicate-link", f"{link.url} is also listed at line "
                             f"{first[link.url]}", "list each page once")
        first.setdefault(link.url, link.line)


def _link(line: int, name: str, url: str) -> Iterator[Diagnostic]:
    if not name:
        yield Diagnostic(line, "warning", "empty-link-text", "link without a name", "write '- [Page name](url)'")
    if not url:
        yield Diagnostic(line, "error", "empty-url", "link without a URL", "write '- [name](https://...)'")
    elif any(ch.isspace() for ch in url):
        yield Diagnostic(line, "warning", "invalid-url", f"URL {url!r} contains whitespace", "percent-encode it (%20)")
    elif not _ABSOLUTE.match(url):
        yield Diagnostic(line, "warning", "relative-url", f"relative URL {url!r}",
                         "use an absolute https:// URL: agents fetch links without a base URL")
