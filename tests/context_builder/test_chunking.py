"""Tests for context_builder.chunking: exact chunks per kind of document, and invariants."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from context_builder.chunking import Chunk, chunk_document

KINDS = frozenset({"function", "method", "class", "module", "section", "block", "file"})
CLICK = sorted((Path(__file__).resolve().parents[2] / ".venv/lib/python3.11/site-packages/click").glob("*.py"))
PATHS = (
    "a.py", "a.pyi", "a.js", "a.ts", "a.tsx", "m.go", "l.rs", "A.java", "a.c", "a.h", "a.cpp",
    "README.md", "index.rst", "notes.txt", "Makefile",
)
FRAGMENTS = (
    "", " ", "\r", "def f(x):", "    return x", "class A(B):", "    def m(self):", "@dec", "# Title", "## Sub",
    "Title", "=====", "-----", "```", "~~~", '"""', "    pass", "\tx = 1;", "/* c */", "// c", "}", "{", "};",
    "function g() {", "export class C {", "  m() {", "func (s *S) M() {", "impl A {", "fn f() {", "#[test]",
    "function h() {} function k() {}", "}; class D {", "namespace n {", "struct s {", "template <typename T>", "if __name__ == '__main__':", "\x00", "\ufeff",
)


def snippet(text: str) -> str:
    """Dedented snippet without the leading newline of the triple-quoted literal."""
    return textwrap.dedent(text).lstrip("\n")


def spans(chunks: list[Chunk]) -> list[tuple[int, int, str, str]]:
    """The comparable part of chunks: (start, end, kind, symbol)."""
    return [(c.start, c.end, c.kind, c.symbol) for c in chunks]


def assert_invariants(path: str, text: str, chunks: list[Chunk], max_lines: int) -> None:
    """In order, non-overlapping, each the file's lines start..end, every
    non-blank line in exactly one chunk, none longer than max_lines but a whole file."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    covered: set[int] = set()
    previous = 0
    for chunk in chunks:
        assert chunk.path == path and chunk.kind in KINDS
        assert previous < chunk.start <= chunk.end <= len(lines), (previous, chunk)
        assert chunk.text == "\n".join(lines[chunk.start - 1 : chunk.end])
        assert chunk.kind == "file" or chunk.end - chunk.start < max(1, max_lines)
        covered.update(range(chunk.start, chunk.end + 1))
        previous = chunk.end
    assert all(row in covered for row, line in enumerate(lines, 1) if line.strip())


PYTHON = snippet('''
    """Greeting service."""
    import os

    DEFAULT = "hi"


    # Cached lookup.
    @functools.cache
    def lookup(name):
        return os.environ.get(name, DEFAULT)


    class Greeter(Base):
        """Greets people."""

        greeting = DEFAULT

        def greet(self, name):
            return f"{self.greeting} {name}"

        @property
        def loud(self):
            return self.greeting.upper()


    def main(argv):
        args = parse(argv)
        if args.verbose:
            print("verbose")

        greeter = Greeter()
        for name in args.names:
            print(greeter.greet(name))
        return 0


    if __name__ == "__main__":
        main(sys.argv)
''')


def test_python_definitions_long_class_into_methods_long_function_into_blocks() -> None:
    chunks = chunk_document("app.py", PYTHON, max_lines=7, small_file_lines=10)
    assert spans(chunks) == [
        (1, 4, "module", ""),
        (7, 10, "function", "lookup"),  # the comment and the decorator come along
        (13, 16, "class", "Greeter"),  # header, docstring, attributes
        (18, 19, "method", "Greeter.greet"),
        (21, 23, "method", "Greeter.loud"),
        (26, 31, "block", "main"),  # cut at a statement, not inside the if
        (32, 34, "block", "main"),
        (37, 38, "module", ""),
    ]
    assert chunks[3].context == "class Greeter(Base):"
    assert chunks[6].context == "def main(argv):"
    assert chunks[1].text == '# Cached lookup.\n@functools.cache\ndef lookup(name):\n    return os.environ.get(name, DEFAULT)'


def test_python_small_class_stays_whole() -> None:
    chunks = chunk_document("app.py", PYTHON, small_file_lines=10)
    assert spans(chunks)[1:4] == [(7, 10, "function", "lookup"), (13, 23, "class", "Greeter"), (26, 34, "function", "main")]
    assert chunks[2].context == ""


TYPESCRIPT = snippet('''
    import { log } from "./log";

    /** Greets people. */
    export class Greeter<T> extends Base {
      private name: string;

      constructor(name: string) {
        this.name = name;
      }

      @log
      greet(): string {
        return `hi ${this.name}`;
      }
    }

    export const add = (a: number, b: number): number => a + b;

    export interface Shape {
      area(): number;
    }

    main();
''')


def test_typescript_exports_arrow_functions_and_decorated_methods() -> None:
    chunks = chunk_document("src/greeter.ts", TYPESCRIPT, max_lines=5, small_file_lines=10)
    assert spans(chunks) == [
        (1, 1, "module", ""),
        (3, 5, "class", "Greeter"),
        (7, 9, "method", "Greeter.constructor"),
        (11, 14, "method", "Greeter.greet"),
        (15, 15, "class", "Greeter"),
        (17, 17, "function", "add"),
        (19, 21, "class", "Shape"),
        (23, 23, "module", ""),
    ]
    assert chunks[3].context == "export class Greeter<T> extends Base {"


GO = snippet('''
    package server

    import "fmt"

    // Server serves one address.
    type Server struct {
    	addr string
    }

    // Start starts it.
    func (s *Server) Start() error {
    	fmt.Println(s.addr)
    	return nil
    }

    func New(addr string) *Server {
    	return &Server{addr: addr}
    }
''')


def test_go_types_methods_by_receiver_and_functions() -> None:
    assert spans(chunk_document("server.go", GO, small_file_lines=10)) == [
        (1, 3, "module", ""),
        (5, 8, "class", "Server"),
        (10, 14, "method", "Server.Start"),
        (16, 18, "function", "New"),
    ]


MARKDOWN = snippet('''
    [![ci](badge.svg)](ci)

    # ctx

    Packs repositories.

    ## Install

    ```sh
    # a comment, not a heading
    pip install ctx
    ```

    ### From source

    Clone it.

    Usage
    -----

    Run `ctx pack`.
''')


def test_markdown_sections_by_heading_path_ignoring_code_fences() -> None:
    chunks = chunk_document("README.md", MARKDOWN, small_file_lines=10)
    assert spans(chunks) == [
        (1, 1, "section", ""),
        (3, 5, "section", "ctx"),
        (7, 12, "section", "ctx > Install"),
        (14, 16, "section", "ctx > Install > From source"),
        (18, 21, "section", "ctx > Usage"),
    ]
    assert chunks[3].context == "# ctx\n## Install\n### From source"


def test_long_markdown_section_is_cut_at_blank_lines() -> None:
    chunks = chunk_document("README.md", MARKDOWN, max_lines=3, small_file_lines=10)
    assert spans(chunks)[2:5] == [(7, 7, "section", "ctx > Install"), (9, 11, "section", "ctx > Install"),
                                  (12, 12, "section", "ctx > Install")]


def test_restructuredtext_levels_follow_adornment_order() -> None:
    text = snippet('''
        =====
        Title
        =====

        Install
        =======

        From source
        -----------

        Clone::

            git clone x
            -----------

        Usage
        =====
    ''')
    assert spans(chunk_document("index.rst", text, small_file_lines=0)) == [
        (1, 3, "section", "Title"),
        (5, 6, "section", "Title > Install"),
        (8, 14, "section", "Title > Install > From source"),
        (16, 17, "section", "Title > Usage"),
    ]


def test_plain_text_blocks_at_blank_lines_merged_up_to_max_lines() -> None:
    text = "one\ntwo\n\nthree\n\n\nfour\nfive\nsix\nseven\n\neight\n"
    assert spans(chunk_document("notes.txt", text, max_lines=3, small_file_lines=2)) == [
        (1, 2, "block", ""),
        (4, 4, "block", ""),  # 1..4 would be longer than max_lines
        (7, 9, "block", ""),  # a run longer than max_lines is sliced,
        (10, 12, "block", ""),  # and its tail joins what follows
    ]


def test_small_files_stay_whole_and_blank_files_have_no_chunks() -> None:
    assert spans(chunk_document("app.py", PYTHON)) == [(1, 38, "file", "")]
    assert chunk_document("app.py", PYTHON)[0].text == PYTHON[:-1]
    assert chunk_document("empty.py", "") == []
    assert chunk_document("blank.md", "\n  \n\t\n") == []


def test_unparsable_code_falls_back_to_blocks() -> None:
    text = "\n".join(["%%% ??? !!!"] * 3 + [""] + ["@@@ ### $$$"] * 3)
    assert spans(chunk_document("bad.go", text, small_file_lines=2)) == [(1, 7, "block", "")]


def test_crlf_lines_keep_their_carriage_returns() -> None:
    text = PYTHON.replace("\n", "\r\n")
    chunks = chunk_document("app.py", text, max_lines=7, small_file_lines=10)
    assert spans(chunks) == spans(chunk_document("app.py", PYTHON, max_lines=7, small_file_lines=10))
    assert_invariants("app.py", text, chunks, 7)


def test_definitions_sharing_a_line_do_not_overlap() -> None:
    text = "function a() {} function b() {\n  return 1;\n}\n"
    assert spans(chunk_document("a.js", text, small_file_lines=0)) == [(1, 1, "function", "a"), (2, 3, "function", "b")]


@pytest.mark.parametrize("path", ["a.py", "a.c", "a.ts", "README.md", "a.rs"])
def test_never_raises_on_odd_characters(path: str) -> None:
    text = "\n".join(["def f(\ud800):", "\x00 \ufeff é 💥", "\r", "  return 1"] * 20)
    assert_invariants(path, text, chunk_document(path, text, max_lines=5), 5)


@pytest.mark.parametrize("max_lines", [120, 15, 1])
@pytest.mark.parametrize("source", CLICK, ids=lambda path: path.name)
def test_invariants_on_real_files(source: Path, max_lines: int) -> None:
    text = source.read_text(encoding="utf-8")
    chunks = chunk_document(source.name, text, max_lines=max_lines)
    assert_invariants(source.name, text, chunks, max_lines)
    assert chunks == chunk_document(source.name, text, max_lines=max_lines)  # deterministic


def test_real_files_are_chunked_by_definition() -> None:
    text = next(path for path in CLICK if path.name == "core.py").read_text(encoding="utf-8")
    chunks = chunk_document("click/core.py", text)
    assert {"function", "class", "method", "module"} <= {chunk.kind for chunk in chunks}
    assert any(chunk.symbol == "Command.main" for chunk in chunks)


_texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(" \t\r{}():#=-`x", max_size=8)), max_size=80).map("\n".join),
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.sampled_from(PATHS), _texts, st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=6))
def test_invariants_hold_for_any_text(path: str, text: str, max_lines: int, small_file_lines: int) -> None:
    chunks = chunk_document(path, text, max_lines=max_lines, small_file_lines=small_file_lines)
    assert_invariants(path, text, chunks, max_lines)
    assert chunks == chunk_document(path, text, max_lines=max_lines, small_file_lines=small_file_lines)


@settings(max_examples=60, deadline=None, database=None)
@given(st.sampled_from(CLICK), st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=100))
def test_invariants_hold_for_real_files_under_any_limits(source: Path, max_lines: int, small_file_lines: int) -> None:
    text = source.read_text(encoding="utf-8")
    chunks = chunk_document(source.name, text, max_lines=max_lines, small_file_lines=small_file_lines)
    assert_invariants(source.name, text, chunks, max_lines)


def test_deeply_nested_classes_do_not_exhaust_the_stack() -> None:
    text = "".join(f"class C{i} {{\n  int x{i};\n" for i in range(600)) + "}\n" * 600
    assert_invariants("A.java", text, chunk_document("A.java", text, max_lines=3), 3)
