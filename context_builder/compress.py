"""Reduce source files to their outline for ``--compress`` packing.

The outline is a faithful subsequence of the file: every kept line is copied
verbatim and every removed run of lines becomes one elision line
``<indent>⋮ N lines omitted``. Function bodies are removed, signatures,
declarations, imports and the first meaningful line of long statements stay.

The walk is driven by three per-language sets of tree-sitter node types:
``functions`` lose their body, ``keep`` nodes stay whole (unless they hold
functions, as a class does), and ``blocks`` hold statements whose multi-line
tails may be elided. One query per file finds every function and kept node,
so deciding whether a subtree is worth descending into is a binary search.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tree-sitter is imported where it is used: most packs never outline anything
    from tree_sitter import Node, Parser, Query

ELISION = "⋮ {n} lines omitted"  # the one marker for removed lines, here and where files are cut short

_EXTENSIONS = MappingProxyType({
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".tsx": "tsx", ".go": "go", ".rs": "rust", ".java": "java",
    ".c": "c", ".h": "cpp", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp",
})
_WORD = re.compile(r"\w")
_CLOSERS = frozenset(")]};,")
_MIN_ELIDED = 2  # eliding one line would not save anything


@dataclass(frozen=True)
class _Grammar:
    """Which node types matter for one language; everything else is generic."""

    functions: frozenset[str]  # their body is elided, the signature kept
    keep: frozenset[str]  # kept whole unless they contain functions
    blocks: frozenset[str]  # their children are statements


def _grammar(functions: str, keep: str, blocks: str) -> _Grammar:
    """Build a grammar from space-separated type names (ERROR is always a block)."""
    return _Grammar(frozenset(functions.split()), frozenset(keep.split()), frozenset(blocks.split() + ["ERROR"]))


_JS = _grammar(
    "function_declaration function_expression generator_function_declaration"
    " generator_function arrow_function method_definition",
    "import_statement export_clause class_declaration class",
    "program statement_block class_body export_statement",
)
_TS = _grammar(
    " ".join(_JS.functions),
    " ".join(_JS.keep) + " interface_declaration type_alias_declaration enum_declaration"
    " abstract_class_declaration module internal_module ambient_declaration function_signature"
    " method_signature abstract_method_signature property_signature index_signature call_signature"
    " construct_signature",
    " ".join(_JS.blocks) + " interface_body object_type enum_body",
)
_C = _grammar(
    "function_definition",
    "preproc_include preproc_def struct_specifier union_specifier enum_specifier type_definition"
    " function_declarator",
    "translation_unit declaration_list preproc_if preproc_ifdef preproc_else preproc_elif preproc_elifdef",
)
GRAMMARS = MappingProxyType({
    "python": _grammar(
        "function_definition",
        "import_statement import_from_statement future_import_statement class_definition type_alias_statement",
        "module block",
    ),
    "javascript": _JS,
    "typescript": _TS,
    "tsx": _TS,
    "go": _grammar(
        "function_declaration method_declaration func_literal",
        "package_clause import_declaration type_declaration const_declaration",
        "source_file",
    ),
    "rust": _grammar(
        "function_item closure_expression",
        "use_declaration extern_crate_declaration struct_item enum_item union_item type_item trait_item"
        " impl_item mod_item foreign_mod_item function_signature_item",
        "source_file declaration_list",
    ),
    "java": _grammar(
        "method_declaration constructor_declaration compact_constructor_declaration lambda_expression",
        "package_declaration import_declaration class_declaration interface_declaration enum_declaration"
        " record_declaration annotation_type_declaration annotation_type_element_declaration",
        "program class_body interface_body enum_body enum_body_declarations annotation_type_body",
    ),
    "c": _C,
    "cpp": _grammar(
        " ".join(_C.functions) + " lambda_expression",
        " ".join(_C.keep) + " class_specifier alias_declaration using_declaration namespace_alias_definition"
        " concept_definition",
        " ".join(_C.blocks) + " field_declaration_list template_declaration",
    ),
})


def language_for(path: str) -> str | None:
    """tree-sitter language name for a POSIX path by extension, else None.

    ``.h`` maps to C++: its grammar parses nearly all C, while the C grammar
    turns every class, namespace and template of a C++ header into errors.
    """
    return _EXTENSIONS.get(posixpath.splitext(path)[1].lower())


def outline(text: str, language: str) -> str | None:
    """Code reduced to its signatures/outline.

    Returns None when the language is unsupported or the text does not parse
    into anything useful (empty, or nothing but syntax errors).
    """
    grammar = GRAMMARS.get(language)
    if grammar is None or not text.strip():
        return None
    src = text.encode("utf-8", "replace")  # lone surrogates become "?": rows stay aligned
    root = parser_for(language).parse(src).root_node
    if not _useful(root):
        return None
    lines = text.split("\n")  # tree-sitter counts rows by "\n" only, unlike str.splitlines
    return _render(lines, _spans(root, lines, grammar, _Index(root, language)))


@functools.lru_cache(maxsize=None)
def parser_for(language: str) -> Parser:
    """Parsers are costly to build, so each language gets one for the process."""
    import tree_sitter_language_pack as tslp

    return tslp.get_parser(language)  # type: ignore[arg-type]  # names come from GRAMMARS


@functools.lru_cache(maxsize=None)
def _query(language: str) -> Query:
    """Query capturing functions (@fn) and kept declarations (@keep).

    Types the installed grammar lacks are dropped, so a grammar update cannot
    turn into a QueryError.
    """
    import tree_sitter_language_pack as tslp
    from tree_sitter import Query

    lang, grammar = tslp.get_language(language), GRAMMARS[language]  # type: ignore[arg-type]
    patterns = []
    for name, types in (("fn", grammar.functions), ("keep", grammar.keep)):
        known = sorted(t for t in types if lang.id_for_node_kind(t, True))
        if known:
            patterns.append(f"[{' '.join(f'({t})' for t in known)}] @{name}")
    return Query(lang, "\n".join(patterns))


class _Index:
    """Start bytes of functions and kept nodes, to ask "is there one inside?" in O(log n)."""

    def __init__(self, root: Node, language: str) -> None:
        from tree_sitter import QueryCursor

        captures = QueryCursor(_query(language)).captures(root)
        self.functions = sorted(n.start_byte for n in captures.get("fn", ()))
        self.notable = sorted(self.functions + [n.start_byte for n in captures.get("keep", ())])

    @staticmethod
    def within(starts: list[int], node: Node) -> bool:
        """Whether some start lies in the node's byte range."""
        i = bisect.bisect_left(starts, node.start_byte)
        return i < len(starts) and starts[i] < node.end_byte


def _useful(root: Node) -> bool:
    """A tree is useless when the parser understood none of its top-level items."""
    return root.type != "ERROR" and any(child.type != "ERROR" for child in root.named_children)


def _spans(root: Node, lines: list[str], grammar: _Grammar, index: _Index) -> list[tuple[int, int]]:
    """Row ranges (inclusive) to elide, found by an iterative walk from the root."""
    spans: list[tuple[int, int]] = []
    stack = [(root, True)]
    while stack:
        node, in_block = stack.pop()
        kind = node.type
        if kind in grammar.functions:
            spans.append(_body_span(node, lines))
        elif kind in grammar.keep and not index.within(index.functions, node):
            continue  # a declaration kept whole
        elif kind in grammar.blocks or index.within(index.notable, node):
            stack.extend((child, kind in grammar.blocks) for child in reversed(node.named_children))
        elif in_block:
            spans.append(_tail_span(node, lines))
    return [(first, last) for first, last in spans if last - first + 1 >= _MIN_ELIDED]


def _body_span(function: Node, lines: list[str]) -> tuple[int, int]:
    """Rows of a function body to elide: all but the lines shared with the
    signature or holding only closing braces, and a Python docstring's head."""
    body = function.child_by_field_name("body")
    if body is None:  # a declaration without body, e.g. an abstract method
        return (0, -1)
    first, last = body.start_point.row, _last_row(body)
    braced = body.child_count > 0 and body.child(0).type == "{"
    before = body.prev_sibling
    if braced or (before is not None and before.end_point.row == first):
        first += 1
    docstring = _docstring(body)
    if docstring is not None:
        first = max(first, _head_end(lines, docstring) + 1)
    return (first, last - 1 if _closing(lines[last]) else last)


def _docstring(body: Node) -> Node | None:
    """A Python body's leading string (bare, or in an expression statement in
    older grammars), whose head is worth keeping."""
    if body.type != "block" or not body.named_child_count:
        return None
    node = body.named_child(0)
    if node.type == "expression_statement" and node.named_child_count == 1:
        node = node.named_child(0)
    return node if node.type == "string" else None


def _tail_span(node: Node, lines: list[str]) -> tuple[int, int]:
    """Rows of a long statement to elide: all after its first meaningful line,
    except a last line of closing brackets that keeps the outline balanced."""
    first, last = _head_end(lines, node) + 1, _last_row(node)
    return (first, last - 1 if last >= first and _closing(lines[last]) else last)


def _head_end(lines: list[str], node: Node) -> int:
    """Last row of a node's head: its first row with a word in it, so a lone
    ``/**`` or ``\"\"\"`` still brings the summary line along."""
    for row in range(node.start_point.row, _last_row(node) + 1):
        if _WORD.search(lines[row]):
            return row
    return node.start_point.row


def _last_row(node: Node) -> int:
    """Last row holding the node's text: preprocessor lines end with their
    newline, which would otherwise claim the next line."""
    end = node.end_point
    return end.row - 1 if end.column == 0 and end.row > node.start_point.row else end.row


def _closing(line: str) -> bool:
    """Whether a line holds nothing but closing brackets and separators."""
    stripped = line.strip()
    return bool(stripped) and set(stripped) <= _CLOSERS


def _render(lines: list[str], spans: list[tuple[int, int]]) -> str:
    """The source with each span replaced by its elision line."""
    out: list[str] = []
    row = 0
    for first, last in sorted(spans):
        if first < row:  # defensive: overlapping spans would break faithfulness
            continue
        out.extend(lines[row:first])
        out.append(_elision(lines, first, last))
        row = last + 1
    out.extend(lines[row:])
    return "\n".join(out)


def _elision(lines: list[str], first: int, last: int) -> str:
    """The elision line, indented like the first non-blank line it replaces."""
    sample = next((lines[row] for row in range(first, last + 1) if lines[row].strip()), "")
    indent = sample[: len(sample) - len(sample.lstrip(" \t"))]
    newline = "\r" if lines[last].endswith("\r") else ""  # keep CRLF files consistent
    return f"{indent}{ELISION.format(n=last - first + 1)}{newline}"
