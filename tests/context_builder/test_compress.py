"""Tests for context_builder.compress: exact outlines per language and invariants."""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from context_builder.compress import language_for, outline

ELISION = re.compile(r"^[ \t]*⋮ (\d+) lines omitted\r?$")
LANGUAGES = ("python", "javascript", "typescript", "tsx", "go", "rust", "java", "c", "cpp")
COMPRESS_SOURCE = Path(__file__).resolve().parents[2] / "context_builder" / "compress.py"


def code(text: str) -> str:
    """Dedented snippet without the leading newline of the triple-quoted literal."""
    return textwrap.dedent(text).lstrip("\n")


def assert_faithful(source: str, result: str) -> None:
    """The result is the source's lines in order, with elided runs counted exactly."""
    lines = source.split("\n")
    row = 0
    for line in result.split("\n"):
        if row < len(lines) and lines[row] == line:
            row += 1
            continue
        match = ELISION.match(line)
        assert match, f"line not in source: {line!r}"
        row += int(match.group(1))
    assert row == len(lines)


PYTHON = code('''
    """Tiny inventory module.

    Longer description.
    """
    from __future__ import annotations

    import os
    from typing import (
        Any,
        Iterable,
    )

    DEFAULTS = {
        "host": "localhost",
        "port": 22,
    }
    TIMEOUT = 10


    class Inventory(Base):
        """Hosts grouped by name."""

        kind = "static"

        def __init__(self, hosts: Iterable[str]) -> None:
            self.hosts = list(hosts)
            self.groups: dict[str, Any] = {}

        @property
        def size(self) -> int:
            """Number of hosts.

            Counts duplicates too.
            """
            total = len(self.hosts)
            return total

        def add(
            self,
            host: str,
        ) -> None:
            self.hosts.append(host)
            self.groups.setdefault("all", []).append(host)

        def first(self) -> str:
            return self.hosts[0]


    if __name__ == "__main__":
        inv = Inventory(os.environ["HOSTS"].split())
        print(inv.size)
''')

PYTHON_OUTLINE = code('''
    """Tiny inventory module.
    ⋮ 3 lines omitted
    from __future__ import annotations

    import os
    from typing import (
        Any,
        Iterable,
    )

    DEFAULTS = {
        ⋮ 2 lines omitted
    }
    TIMEOUT = 10


    class Inventory(Base):
        """Hosts grouped by name."""

        kind = "static"

        def __init__(self, hosts: Iterable[str]) -> None:
            ⋮ 2 lines omitted

        @property
        def size(self) -> int:
            """Number of hosts.
            ⋮ 5 lines omitted

        def add(
            self,
            host: str,
        ) -> None:
            ⋮ 2 lines omitted

        def first(self) -> str:
            return self.hosts[0]


    if __name__ == "__main__":
        ⋮ 2 lines omitted
''')

JAVASCRIPT = code('''
    import fs from "fs";

    /**
     * Reads a config file.
     * @param {string} path
     */
    export function readConfig(path) {
      const raw = fs.readFileSync(path, "utf8");
      return JSON.parse(raw);
    }

    export const defaults = {
      retries: 3,
      verbose: false,
    };

    export class Loader extends Base {
      static instances = 0;

      async load(name) {
        const file = this.root + name;
        return readConfig(file);
      }
    }

    const handler = async (event) => {
      const cfg = await new Loader().load(event.name);
      console.log(cfg);
    };
''')

JAVASCRIPT_OUTLINE = code('''
    import fs from "fs";

    /**
     * Reads a config file.
     ⋮ 2 lines omitted
    export function readConfig(path) {
      ⋮ 2 lines omitted
    }

    export const defaults = {
      ⋮ 2 lines omitted
    };

    export class Loader extends Base {
      static instances = 0;

      async load(name) {
        ⋮ 2 lines omitted
      }
    }

    const handler = async (event) => {
      ⋮ 2 lines omitted
    };
''')

TYPESCRIPT = code('''
    import { Request, Response } from "express";

    export interface User {
      id: number;
      greet(other: User): string;
    }

    enum Role {
      Admin,
      Guest,
    }

    export class UserService {
      constructor(private readonly db: Database) {}

      find(id: number): User | undefined {
        const user = this.db.get(id);
        return user ?? undefined;
      }
    }

    export function route(app: App): void {
      app.get("/users", (req: Request, res: Response) => {
        res.json([]);
      });
    }
''')

TYPESCRIPT_OUTLINE = code('''
    import { Request, Response } from "express";

    export interface User {
      id: number;
      greet(other: User): string;
    }

    enum Role {
      Admin,
      Guest,
    }

    export class UserService {
      constructor(private readonly db: Database) {}

      find(id: number): User | undefined {
        ⋮ 2 lines omitted
      }
    }

    export function route(app: App): void {
      ⋮ 3 lines omitted
    }
''')

TSX = code('''
    type Props = { title: string; items: string[] };

    export function List({ title, items }: Props): JSX.Element {
      const sorted = [...items].sort();
      return (
        <ul title={title}>
          {sorted.map((item) => <li key={item}>{item}</li>)}
        </ul>
      );
    }

    export const Empty = () => (
      <p>
        Nothing here
      </p>
    );
''')

TSX_OUTLINE = code('''
    type Props = { title: string; items: string[] };

    export function List({ title, items }: Props): JSX.Element {
      ⋮ 6 lines omitted
    }

    export const Empty = () => (
      ⋮ 3 lines omitted
    );
''')

GO = code('''
    package inventory

    import (
    \t"fmt"
    \t"strings"
    )

    const (
    \tDefaultPort = 22
    \tDefaultUser = "root"
    )

    var registry = map[string]int{
    \t"a": 1,
    \t"b": 2,
    }

    // Host is a managed machine.
    type Host struct {
    \tName string
    \tPort int
    }

    func (h *Host) Address() string {
    \tname := strings.ToLower(h.Name)
    \treturn fmt.Sprintf("%s:%d", name, h.Port)
    }

    func Parse(line string,
    \tport int) (*Host, error) {
    \tfields := strings.Fields(line)
    \tif len(fields) == 0 {
    \t\treturn nil, fmt.Errorf("empty line")
    \t}
    \treturn &Host{Name: fields[0], Port: port}, nil
    }
''')

GO_OUTLINE = code('''
    package inventory

    import (
    \t"fmt"
    \t"strings"
    )

    const (
    \tDefaultPort = 22
    \tDefaultUser = "root"
    )

    var registry = map[string]int{
    \t⋮ 2 lines omitted
    }

    // Host is a managed machine.
    type Host struct {
    \tName string
    \tPort int
    }

    func (h *Host) Address() string {
    \t⋮ 2 lines omitted
    }

    func Parse(line string,
    \tport int) (*Host, error) {
    \t⋮ 5 lines omitted
    }
''')

RUST = code('''
    use std::collections::HashMap;

    /// A named host.
    #[derive(Debug, Clone)]
    pub struct Host {
        pub name: String,
        pub port: u16,
    }

    pub trait Describe {
        fn describe(&self) -> String;
        fn shout(&self) -> String {
            let text = self.describe();
            text.to_uppercase()
        }
    }

    impl Host {
        /// Creates a host.
        pub fn new(name: &str) -> Self {
            let name = name.to_string();
            Host { name, port: 22 }
        }
    }

    fn index(hosts: &[Host]) -> HashMap<String, u16> {
        hosts
            .iter()
            .map(|h| (h.name.clone(), h.port))
            .collect()
    }
''')

RUST_OUTLINE = code('''
    use std::collections::HashMap;

    /// A named host.
    #[derive(Debug, Clone)]
    pub struct Host {
        pub name: String,
        pub port: u16,
    }

    pub trait Describe {
        fn describe(&self) -> String;
        fn shout(&self) -> String {
            ⋮ 2 lines omitted
        }
    }

    impl Host {
        /// Creates a host.
        pub fn new(name: &str) -> Self {
            ⋮ 2 lines omitted
        }
    }

    fn index(hosts: &[Host]) -> HashMap<String, u16> {
        ⋮ 4 lines omitted
    }
''')

JAVA = code('''
    package org.example.inventory;

    import java.util.ArrayList;
    import java.util.List;

    /**
     * Keeps track of hosts.
     */
    public class Inventory implements Iterable<String> {
        private static final int LIMIT = 100;
        private final List<String> hosts = new ArrayList<>();

        public Inventory(List<String> initial) {
            hosts.addAll(initial);
            trim();
        }

        @Override
        public java.util.Iterator<String> iterator() {
            List<String> copy = new ArrayList<>(hosts);
            return copy.iterator();
        }

        interface Visitor {
            void visit(String host);
        }
    }
''')

JAVA_OUTLINE = code('''
    package org.example.inventory;

    import java.util.ArrayList;
    import java.util.List;

    /**
     * Keeps track of hosts.
     */
    public class Inventory implements Iterable<String> {
        private static final int LIMIT = 100;
        private final List<String> hosts = new ArrayList<>();

        public Inventory(List<String> initial) {
            ⋮ 2 lines omitted
        }

        @Override
        public java.util.Iterator<String> iterator() {
            ⋮ 2 lines omitted
        }

        interface Visitor {
            void visit(String host);
        }
    }
''')

C = code('''
    #include <stdio.h>

    #define MAX_HOSTS 64

    static const char *names[] = {
        "alpha",
        "beta",
        "gamma",
    };

    struct host {
        char name[32];
        int port;
    };

    int count_hosts(const struct host *hosts,
                    int n);

    /* Print every host. */
    void print_hosts(const struct host *hosts,
                     int n)
    {
        for (int i = 0; i < n; i++) {
            printf("%s:%d\\n", hosts[i].name, hosts[i].port);
        }
    }
''')

C_OUTLINE = code('''
    #include <stdio.h>

    #define MAX_HOSTS 64

    static const char *names[] = {
        ⋮ 3 lines omitted
    };

    struct host {
        char name[32];
        int port;
    };

    int count_hosts(const struct host *hosts,
                    int n);

    /* Print every host. */
    void print_hosts(const struct host *hosts,
                     int n)
    {
        ⋮ 3 lines omitted
    }
''')

CPP = code('''
    #include <string>

    namespace inv {

    class Host {
    public:
        explicit Host(std::string name) : name_(std::move(name)) {}

        const std::string& name() const {
            return name_;
        }

        int port() const;

    private:
        std::string name_;
    };

    int Host::port() const {
        int base = 22;
        return base;
    }

    template <typename T>
    T twice(const T& value) {
        T out = value;
        return out + value;
    }

    }  // namespace inv
''')

CPP_OUTLINE = code('''
    #include <string>

    namespace inv {

    class Host {
    public:
        explicit Host(std::string name) : name_(std::move(name)) {}

        const std::string& name() const {
            return name_;
        }

        int port() const;

    private:
        std::string name_;
    };

    int Host::port() const {
        ⋮ 2 lines omitted
    }

    template <typename T>
    T twice(const T& value) {
        ⋮ 2 lines omitted
    }

    }  // namespace inv
''')

CASES = [
    ("python", PYTHON, PYTHON_OUTLINE),
    ("javascript", JAVASCRIPT, JAVASCRIPT_OUTLINE),
    ("typescript", TYPESCRIPT, TYPESCRIPT_OUTLINE),
    ("tsx", TSX, TSX_OUTLINE),
    ("go", GO, GO_OUTLINE),
    ("rust", RUST, RUST_OUTLINE),
    ("java", JAVA, JAVA_OUTLINE),
    ("c", C, C_OUTLINE),
    ("cpp", CPP, CPP_OUTLINE),
]


@pytest.mark.parametrize(("language", "source", "expected"), CASES, ids=[case[0] for case in CASES])
def test_outline_per_language(language: str, source: str, expected: str) -> None:
    assert outline(source, language) == expected


@pytest.mark.parametrize(("language", "source", "expected"), CASES, ids=[case[0] for case in CASES])
def test_outline_is_faithful_subsequence(language: str, source: str, expected: str) -> None:
    assert_faithful(source, outline(source, language))


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a.py", "python"), ("pkg/stubs.pyi", "python"), ("x.js", "javascript"), ("x.mjs", "javascript"),
        ("x.cjs", "javascript"), ("x.jsx", "javascript"), ("src/x.ts", "typescript"), ("x.tsx", "tsx"),
        ("main.go", "go"), ("lib.rs", "rust"), ("A.java", "java"), ("x.c", "c"), ("x.h", "cpp"),
        ("x.cc", "cpp"), ("x.cpp", "cpp"), ("x.cxx", "cpp"), ("x.hpp", "cpp"), ("x.hh", "cpp"),
        ("X.PY", "python"), ("README.md", None), ("Makefile", None), (".py", None), ("dir.py/file", None),
    ],
)
def test_language_for(path: str, language: str | None) -> None:
    assert language_for(path) == language


def test_unsupported_language_returns_none() -> None:
    assert outline("IDENTIFICATION DIVISION.", "cobol") is None
    assert outline("def f(): pass", "") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_or_blank_text_returns_none(language: str) -> None:
    assert outline("", language) is None
    assert outline(" \n\t\n", language) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_garbage_never_raises_and_stays_faithful(language: str) -> None:
    rng = random.Random(language)
    alphabet = "{}()[];:=<>,.\n\t \"'#/*\\\r\x00\u2028é_abcdefXYZ019"
    snippets = [source for _, source, _ in CASES]
    inputs = ["\x00\x01\x02", "\ud800 lone surrogate", "}" * 500, "(" * 5000 + "\n"]
    for _ in range(40):
        inputs.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400))))
        source = rng.choice(snippets)
        cut = rng.randrange(len(source))
        inputs.append(source[:cut] + source[cut + rng.randrange(1, 60):])
    for text in inputs:
        result = outline(text, language)
        if result is not None:
            assert_faithful(text, result)


def test_elision_counts_are_exact() -> None:
    for size in (2, 3, 17):
        body = "".join(f"    x{i} = {i}\n" for i in range(size))
        assert outline(f"def f():\n{body}", "python") == f"def f():\n    ⋮ {size} lines omitted\n"


def test_one_line_bodies_are_kept() -> None:
    source = "def f():\n    return 1\n\n\nfunc = lambda: 1\n"
    assert outline(source, "python") == source


def test_nested_functions_vanish_with_their_parent_body() -> None:
    source = code('''
        function outer() {
          function inner() {
            return 1;
          }
          return inner();
        }
    ''')
    assert outline(source, "javascript") == "function outer() {\n  ⋮ 4 lines omitted\n}\n"


def test_multiline_macro_does_not_swallow_the_next_line() -> None:
    source = code(r"""
        #define SWAP(a, b) do { \
            int t = a; \
            a = b; \
            b = t; } while (0)
        int add(int a,
                int b);
    """)
    expected = code(r"""
        #define SWAP(a, b) do { \
            ⋮ 3 lines omitted
        int add(int a,
                int b);
    """)
    assert outline(source, "c") == expected


def test_crlf_line_endings_are_kept() -> None:
    source = "def f():\r\n    a = 1\r\n    return a\r\n"
    assert outline(source, "python") == "def f():\r\n    ⋮ 2 lines omitted\r\n"


def test_real_file_is_smaller_faithful_and_deterministic() -> None:
    source = COMPRESS_SOURCE.read_text(encoding="utf-8")
    result = outline(source, "python")
    assert result is not None
    assert_faithful(source, result)
    assert len(result) < len(source) * 0.8
    assert len(result.split()) < len(source.split())
    assert "def outline(text: str, language: str) -> str | None:" in result
    assert outline(source, "python") == result
