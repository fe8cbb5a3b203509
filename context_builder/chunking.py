"""Split documents into syntax-aware chunks for query-aware selection.

A ranker (BM25, embeddings) scores chunks and a packer assembles the chosen
ones back into files, so a chunk is a range of whole lines: chunks come in
file order, never overlap, and together hold every non-blank line (blank
lines at their edges are left out). Code is cut at top-level definitions
found with tree-sitter, Markdown and reStructuredText at headings, anything
else at blank lines. A piece longer than ``max_lines`` is cut again: a class
into its methods, a function at statements, a section at blank lines.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from context_builder.compress import GRAMMARS, language_for, parser_for

if TYPE_CHECKING:  # tree-sitter is imported where it is used: importing this module stays cheap
    from tree_sitter import Node

# Node type names are shared across grammars, so one set serves every language;
# function types come from compress's per-language grammars.
_CLASSES = frozenset(
    "class_definition class_declaration abstract_class_declaration class interface_declaration"
    " enum_declaration record_declaration annotation_type_declaration impl_item trait_item struct_item"
    " enum_item class_specifier struct_specifier union_specifier type_declaration".split()
)
_NAMESPACES = frozenset("namespace_definition mod_item internal_module".split())
_WRAPPERS = frozenset(
    "decorated_definition export_statement template_declaration lexical_declaration variable_declaration"
    " variable_declarator init_declarator ambient_declaration type_definition declaration".split()
)
_PREFIXES = frozenset("comment line_comment block_comment attribute_item decorator".split())
_MARKDOWN = frozenset(".md .markdown .mdx .mkd".split())
_RST = frozenset(".rst .rest".split())
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1+[ \t]*")
_MAX_DEPTH = 12  # classes nested deeper are cut as blocks, which bounds the recursion


@dataclass(frozen=True)
class Chunk:
    """A range of whole lines of one file, the unit a ranker scores."""

    path: str  # POSIX path of the file
    start: int  # 1-based first line (inclusive)
    end: int  # 1-based last line (inclusive)
    kind: str  # "function" | "method" | "class" | "module" | "section" | "block" | "file"
    symbol: str  # qualified name for code, heading path for Markdown, "" otherwise
    text: str  # the chunk's lines, exactly as in the file
    context: str = ""  # header lines of what encloses the chunk; for rankers, not rendered


@dataclass(frozen=True)
class _Doc:
    """One document being chunked, with the settings every stage needs."""

    path: str
    lines: list[str]
    blank: list[bool]
    max_lines: int
    functions: frozenset[str] = frozenset()  # function node types of the document's language

    def chunk(self, first: int, last: int, kind: str, symbol: str, context: str) -> Chunk:
        """A chunk for 0-based rows first..last."""
        text = "\n".join(self.lines[first : last + 1])
        return Chunk(self.path, first + 1, last + 1, kind, symbol, text, context)


class _Scope(NamedTuple):
    """Where definitions are being chunked: the file's top level or inside a split class."""

    prefix: str  # qualified name of the enclosing definition
    context: str  # header lines of the enclosing definitions
    gap_kind: str  # kind of the lines between definitions
    member_kind: str  # kind of the functions found here
    depth: int = 0  # classes split so far: deeper ones are cut as blocks, bounding recursion


class _Heading(NamedTuple):
    """A Markdown or reStructuredText heading: the row its section starts at."""

    row: int
    level: int
    title: str
    line: str


def chunk_document(path: str, text: str, *, max_lines: int = 120, small_file_lines: int = 60) -> list[Chunk]:
    """Chunks covering `text`, in file order, never overlapping, each the
    file's lines start..end; a text of blank lines only has none.

    Lines are split at "\\n" only (as tree-sitter counts rows), so a "\\r"
    stays part of its line and the chunks join back into the file exactly.
    """
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    blank = [not line.strip() for line in lines]
    if all(blank):
        return []
    doc = _Doc(path, lines, blank, max(1, max_lines))
    if len(lines) <= small_file_lines:
        return [doc.chunk(0, len(lines) - 1, "file", "", "")]
    return _chunks(doc)


def _chunks(doc: _Doc) -> list[Chunk]:
    """Dispatch on the kind of document; code that does not parse is cut as text."""
    last = len(doc.lines) - 1
    suffix = posixpath.splitext(doc.path)[1].lower()
    if suffix in _MARKDOWN or suffix in _RST:
        headings = _rst_headings(doc.lines) if suffix in _RST else _md_headings(doc.lines)
        return _sections(doc, headings)
    language = language_for(doc.path) or ""
    grammar = GRAMMARS.get(language)
    root = _tree("\n".join(doc.lines), language) if grammar is not None else None
    if grammar is None or root is None:
        return _blocks(doc, 0, last, "block", "", "")
    code = _Doc(doc.path, doc.lines, doc.blank, doc.max_lines, grammar.functions)
    return _fill(code, root.named_children, 0, last, _Scope("", "", "module", "function"))


# --- generic: blank-line blocks --------------------------------------------------------------


def _blocks(
    doc: _Doc, first: int, last: int, kind: str, symbol: str, context: str, cuts: frozenset[int] = frozenset()
) -> list[Chunk]:
    """Chunks for rows first..last: runs of non-blank lines, joined while they fit."""
    return [doc.chunk(a, b, kind, symbol, context) for a, b in _merge(_runs(doc, first, last, cuts), doc.max_lines)]


def _runs(doc: _Doc, first: int, last: int, cuts: frozenset[int]) -> list[tuple[int, int]]:
    """Maximal runs of non-blank rows, also broken before each cut row
    (a statement start), so long code has more places to be cut."""
    runs: list[tuple[int, int]] = []
    start = -1
    for row in range(first, last + 1):
        if doc.blank[row] or (start >= 0 and row in cuts):
            if start >= 0:
                runs.append((start, row - 1))
            start = -1 if doc.blank[row] else row
        elif start < 0:
            start = row
    return runs + [(start, last)] if start >= 0 else runs


def _merge(runs: list[tuple[int, int]], max_lines: int) -> list[tuple[int, int]]:
    """Neighbouring runs joined while the span fits in max_lines; a single run
    longer than that is sliced, the only cut that may split a statement."""
    spans: list[tuple[int, int]] = []
    for a, b in runs:
        if spans and b - spans[-1][0] < max_lines:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.extend((s, min(s + max_lines - 1, b)) for s in range(a, b + 1, max_lines))
    return spans


# --- code: definitions found with tree-sitter ------------------------------------------------


def _tree(text: str, language: str) -> Node | None:
    """The syntax tree's root, or None when the parser understood nothing."""
    root = parser_for(language).parse(text.encode("utf-8", "replace")).root_node  # "?" keeps rows aligned
    useful = root.type != "ERROR" and any(child.type != "ERROR" for child in root.named_children)
    return root if useful else None


def _fill(doc: _Doc, items: list[Node], first: int, last: int, scope: _Scope) -> list[Chunk]:
    """Chunks for rows first..last: the definitions among items, and blocks of
    the scope's gap kind for the lines between them (imports, constants...).
    Ranges are clamped to what is left, so odd trees cannot cause overlaps."""
    chunks: list[Chunk] = []
    row = first
    for index, item in enumerate(items):
        definition = _definition(item, doc.functions)
        if definition is None:
            continue
        start, end = max(_lead(items, index), row), min(_last_row(item), last)
        if start > end:
            continue
        chunks += _blocks(doc, row, start - 1, scope.gap_kind, scope.prefix, scope.context)
        chunks += _expand(doc, item, definition, (start, end), scope)
        row = end + 1
    return chunks + _blocks(doc, row, last, scope.gap_kind, scope.prefix, scope.context)


def _definition(node: Node, functions: frozenset[str], depth: int = 0) -> Node | None:
    """The function or class an item defines, looking through decorators,
    exports, templates, typedefs and ``const f = () => ...``."""
    kind = node.type
    if kind in functions:
        return node
    if kind in _CLASSES or kind in _NAMESPACES:  # without body: a forward declaration, or `struct s x;`
        return node if kind == "type_declaration" or node.child_by_field_name("body") is not None else None
    if kind not in _WRAPPERS or depth > 3:
        return None
    return next((d for c in node.named_children if (d := _definition(c, functions, depth + 1))), None)


def _lead(items: list[Node], index: int) -> int:
    """First row of an item with the comments and attributes right above it,
    so a doc comment travels with what it documents."""
    start = items[index].start_point.row
    for j in range(index - 1, -1, -1):
        above = items[j]
        alone = j == 0 or _last_row(items[j - 1]) < above.start_point.row  # not a trailing comment
        if above.type not in _PREFIXES or _last_row(above) < start - 1 or not alone:
            break
        start = above.start_point.row
    return start


def _last_row(node: Node) -> int:
    """Last row holding the node's text (a preprocessor line ends with its newline)."""
    end = node.end_point
    return end.row - 1 if end.column == 0 and end.row > node.start_point.row else end.row


def _expand(doc: _Doc, item: Node, definition: Node, rows: tuple[int, int], scope: _Scope) -> list[Chunk]:
    """One chunk for a definition that fits; a long class is cut into its
    members, a long function into blocks of statements."""
    first, last = rows
    kind = _kind(definition, scope.member_kind)
    symbol = ".".join(p for p in (scope.prefix, _receiver(definition), _name(definition) or _name(item)) if p)
    if last - first < doc.max_lines:
        return _blocks(doc, first, last, kind, symbol, scope.context)
    body = definition.child_by_field_name("body")
    context = "\n".join(p for p in (scope.context, _header(doc, definition, body)) if p)
    if body is not None and kind in ("class", "module") and scope.depth < _MAX_DEPTH:
        members = _Scope(symbol, context, kind, "method" if kind == "class" else "function", scope.depth + 1)
        return _fill(doc, body.named_children, first, last, members)
    cuts = frozenset(child.start_point.row for child in body.named_children) if body is not None else frozenset()
    return _blocks(doc, first, last, "block", symbol, context, cuts)


def _kind(definition: Node, member_kind: str) -> str:
    """Chunk kind of a definition; a Go function with a receiver is a method."""
    if definition.type in _NAMESPACES:
        return "module"
    if definition.type in _CLASSES:
        return "class"
    return "method" if definition.child_by_field_name("receiver") is not None else member_kind


def _name(node: Node) -> str:
    """The identifier a definition is known by, followed through the fields
    grammars keep it in (C nests it in declarators, Rust's impl in its type)."""
    current: Node | None = node
    for _ in range(8):  # declarators nest, but never usefully this deep
        if current is None:
            return ""
        if current.type.endswith("identifier") or current.type in ("destructor_name", "operator_name"):
            return _text(current)
        fields = (current.child_by_field_name(f) for f in ("name", "declarator", "declaration", "type"))
        named = (c for c in current.named_children if c.type.endswith(("_spec", "declarator")))
        current = next((c for c in fields if c is not None), None) or next(named, None)
    return ""


def _receiver(definition: Node) -> str:
    """The type a Go method is declared on, found as the receiver's first type name."""
    receiver = definition.child_by_field_name("receiver")
    stack = [receiver] if receiver is not None else []
    while stack:
        node = stack.pop()
        if node.type == "type_identifier":
            return _text(node)
        stack.extend(reversed(node.named_children))
    return ""


def _text(node: Node) -> str:
    """A node's source text, on one line."""
    return " ".join((node.text or b"").decode("utf-8", "replace").split())


def _header(doc: _Doc, definition: Node, body: Node | None) -> str:
    """The definition's signature lines: its first row up to its body's
    (that row too when the body opens after the signature, as ``{`` does)."""
    first = last = definition.start_point.row
    if body is not None:
        row, column = body.start_point
        opens_row = not doc.lines[row].encode("utf-8", "replace")[:column].strip()
        last = max(first, min(row - opens_row, first + 4))
    return "\n".join(line.rstrip() for line in doc.lines[first : last + 1])


# --- Markdown and reStructuredText: sections -------------------------------------------------


def _sections(doc: _Doc, headings: list[_Heading]) -> list[Chunk]:
    """One chunk per section (cut at blank lines when long), named by its heading path."""
    first_heading = headings[0].row if headings else len(doc.lines)
    chunks = _blocks(doc, 0, first_heading - 1, "section", "", "")
    path: list[_Heading] = []
    for index, heading in enumerate(headings):
        path = [h for h in path if h.level < heading.level] + [heading]
        end = headings[index + 1].row - 1 if index + 1 < len(headings) else len(doc.lines) - 1
        symbol = " > ".join(h.title for h in path)
        chunks += _blocks(doc, heading.row, end, "section", symbol, "\n".join(h.line for h in path))
    return chunks


def _md_headings(lines: list[str]) -> list[_Heading]:
    """ATX and setext headings, skipping fenced code (a ``# comment`` is no heading)."""
    headings: list[_Heading] = []
    fence = ""
    for row, line in enumerate(lines):
        fence, code = _fence(fence, line)
        heading = None if code else _md_heading(lines, row)
        if heading is not None:
            headings.append(heading)
    return headings


def _fence(fence: str, line: str) -> tuple[str, bool]:
    """The open code fence after a line, and whether the line is code."""
    match = _FENCE.match(line)
    if not fence:
        return (match[1], True) if match else ("", False)
    if match is None or match[1][0] != fence[0] or len(match[1]) < len(fence) or line[match.end() :].strip():
        return fence, True
    return "", True


def _md_heading(lines: list[str], row: int) -> _Heading | None:
    """A ``## Title`` line, or a paragraph's single line over ``===``/``---``."""
    line = lines[row].rstrip()
    atx = _ATX.fullmatch(line)
    if atx:
        title = re.sub(r"(?:^|[ \t]+)#+$", "", atx[2] or "").strip()
        return _Heading(row, len(atx[1]), title, line.strip())
    underline = lines[row + 1].rstrip() if row + 1 < len(lines) else ""
    starts_paragraph = row == 0 or not lines[row - 1].strip()
    if line.strip() and starts_paragraph and _SETEXT.fullmatch(underline):
        return _Heading(row, 1 if "=" in underline else 2, line.strip(), line.strip())
    return None


def _rst_headings(lines: list[str]) -> list[_Heading]:
    """Titles underlined (optionally overlined) with punctuation; levels
    follow the order in which adornment styles first appear, as in docutils."""
    styles: list[tuple[str, bool]] = []
    headings: list[_Heading] = []
    for row in range(len(lines) - 1):
        title, under = lines[row].rstrip(), lines[row + 1].rstrip()
        over = row > 0 and lines[row - 1].rstrip() == under and (row < 2 or not lines[row - 2].strip())
        if not _rst_title(title, under, over):
            continue
        style = (under[0], over)
        styles += [] if style in styles else [style]
        headings.append(_Heading(row - over, styles.index(style) + 1, title.strip(), title.strip()))
    return headings


def _rst_title(title: str, under: str, over: bool) -> bool:
    """Whether a line is a title: text, not indented unless overlined, underlined at its length."""
    if not title.strip() or _ADORNMENT.fullmatch(title) or (title[0].isspace() and not over):
        return False
    return _ADORNMENT.fullmatch(under) is not None and len(under) >= len(title.strip())
