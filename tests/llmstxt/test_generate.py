"""llms.txt from an MkDocs tree and a plain Markdown tree: records, twins, nested files, writing, errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ingest.errors import CtxError, SourceError
from llmstxt import Link, LlmsTxt, Section, detect, full_text, generate, write_outputs
from llmstxt.parse import parse
from tests.conftest import write

BASE = "https://demo.example.org/docs/"

MKDOCS = {
    "mkdocs.yml": (
        "site_name: Demo Project\n"
        "site_description: A tiny library for testing llms.txt generators.\n"
        "site_url: https://demo.example.org/docs/\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "nav:\n"
        "  - Home: index.md\n"
        "  - Guide:\n"
        "      - guide/install.md\n"
        "      - Usage: guide/usage.md\n"
        "  - API: api.md\n"
        "  - GitHub: https://github.com/demo/demo\n"
        "  - About:\n"
        "      - Changelog: about/changelog.md\n"
        "      - about/license.md\n"
        "  - Missing: nothere.md\n"
    ),
    "docs/index.md": "# Demo\n\n[![badge](https://x.test/b.svg)](https://x.test)\n\nDemo is a *tiny* library. See [install](guide/install.md#pip).\n",
    "docs/guide/install.md": "---\ntitle: Installing Demo\ndescription: How to install.\n---\n\n```\npip install demo\n```\n",
    "docs/guide/usage.md": "# Usage of `foo_bar`\n\nCall `foo_bar()` with **care**. ![diagram](img/flow.png)\n",
    "docs/api.md": "# API reference\n\n## foo_bar\n\nReturns x*2.\n",
    "docs/about/changelog.md": "# Changelog\n\n## 1.0\n\nFirst.\n",
    "docs/about/license.md": "License\n=======\n\nMIT licensed.\n",
    "docs/orphan.md": "# Orphan\n",
}


def twin(path: str) -> str:
    return BASE + path


@pytest.fixture
def mkdocs_tree(tmp_path: Path) -> Path:
    return write(tmp_path / "site", MKDOCS)


def test_mkdocs_nav_gives_sections_titles_notes_and_twin_links(mkdocs_tree: Path) -> None:
    generated = generate(mkdocs_tree)
    assert generated.flavour == "mkdocs"
    assert generated.doc == LlmsTxt(
        title="Demo Project",
        summary="A tiny library for testing llms.txt generators.",
        sections=(
            Section("Docs", (
                Link("Home", twin("index.html.md"), "Demo is a tiny library. See install."),
                Link("API", twin("api/index.html.md"), "Returns x*2."),
                Link("GitHub", "https://github.com/demo/demo"),
            )),
            Section("Guide", (
                Link("Installing Demo", twin("guide/install/index.html.md"), "How to install."),
                Link("Usage", twin("guide/usage/index.html.md"), "Call foo_bar() with care."),
            )),
            Section("Optional", (
                Link("Changelog", twin("about/changelog/index.html.md"), "First."),
                Link("License", twin("about/license/index.html.md"), "MIT licensed."),
            )),
        ),
    )


def test_missing_nav_files_and_pages_left_out_of_the_nav_are_reported(mkdocs_tree: Path) -> None:
    assert generate(mkdocs_tree).warnings == (
        "nav entry 'Missing' points to missing file nothere.md; skipped",
        "1 page(s) not in the nav were left out: orphan.md",
    )


def test_without_twins_links_point_at_the_html_pages(mkdocs_tree: Path) -> None:
    generated = generate(mkdocs_tree, twins=False, base_url="https://other.example.org/x")
    assert [link.url for link in generated.doc.links] == [
        "https://other.example.org/x/",
        "https://other.example.org/x/api/",
        "https://github.com/demo/demo",
        "https://other.example.org/x/guide/install/",
        "https://other.example.org/x/guide/usage/",
        "https://other.example.org/x/about/changelog/",
        "https://other.example.org/x/about/license/",
    ]


def test_page_markdown_gets_absolute_links_and_a_title(mkdocs_tree: Path) -> None:
    pages = {page.path: page for page in generate(mkdocs_tree).pages}
    assert pages["index.md"].markdown == (
        "# Demo\n\n[![badge](https://x.test/b.svg)](https://x.test)\n\n"
        f"Demo is a *tiny* library. See [install]({twin('guide/install/index.html.md')}#pip).\n"
    )
    assert pages["guide/install.md"].markdown == "# Installing Demo\n\n```\npip install demo\n```\n"
    assert pages["guide/usage.md"].markdown.endswith(f"![diagram]({BASE}guide/img/flow.png)\n")


def test_the_docs_folder_itself_finds_the_mkdocs_config_above_it(mkdocs_tree: Path) -> None:
    assert generate(mkdocs_tree / "docs").doc == generate(mkdocs_tree).doc


def test_mkdocs_without_nav_lists_files_index_first_then_folders(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "mkdocs.yml": "site_name: X\nsite_url: https://x.test/\nuse_directory_urls: false\n",
        "docs/zeta.md": "# Zeta\n", "docs/index.md": "# Home\n\nWelcome home.\n", "docs/alpha.md": "# Alpha\n",
        "docs/sub/b.md": "# B\n", "docs/sub/a.md": "# A\n",
    })
    doc = generate(root).doc
    assert doc.summary == "Welcome home."
    assert [(s.name, [(link.name, link.url) for link in s.links]) for s in doc.sections] == [
        ("Docs", [("Home", "https://x.test/index.html.md"), ("Alpha", "https://x.test/alpha.html.md"),
                  ("Zeta", "https://x.test/zeta.html.md")]),
        ("Sub", [("A", "https://x.test/sub/a.html.md"), ("B", "https://x.test/sub/b.html.md")]),
    ]


def test_nested_files_for_sections_with_their_own_folder_are_linked_from_the_root(mkdocs_tree: Path) -> None:
    generated = generate(mkdocs_tree, nested=True)
    assert [(n.section, n.folder, n.url) for n in generated.nested] == [("Guide", "guide/", BASE + "guide/llms.txt")]
    assert generated.doc.sections[-1].links[0] == Link("Guide llms.txt", BASE + "guide/llms.txt", "index of the Guide section")
    assert generated.nested[0].doc == LlmsTxt(
        title="Demo Project: Guide",
        summary="A tiny library for testing llms.txt generators.",
        sections=(
            Section("Guide", (
                Link("Installing Demo", twin("guide/install/index.html.md"), "How to install."),
                Link("Usage", twin("guide/usage/index.html.md"), "Call foo_bar() with care."),
            )),
            Section("Optional", (Link("Demo Project llms.txt", BASE + "llms.txt", "index of the whole site"),)),
        ),
    )


def test_write_outputs_writes_llms_txt_twins_nested_and_full_files(mkdocs_tree: Path, tmp_path: Path) -> None:
    generated = generate(mkdocs_tree, nested=True)
    out = tmp_path / "out"
    written = write_outputs(generated, out, full=full_text(generated))
    assert [p.relative_to(out).as_posix() for p in written] == [
        "llms.txt", "guide/llms.txt", "index.html.md", "api/index.html.md", "guide/install/index.html.md",
        "guide/usage/index.html.md", "about/changelog/index.html.md", "about/license/index.html.md", "llms-full.txt",
    ]
    reparsed = parse((out / "llms.txt").read_text(encoding="utf-8")).doc.links
    assert [replace(link, line=0) for link in reparsed] == list(generated.doc.links)
    assert (out / "api/index.html.md").read_text(encoding="utf-8") == "# API reference\n\n## foo_bar\n\nReturns x*2.\n"
    assert not [p for p in out.rglob("*.tmp")]


def test_output_is_byte_identical_across_runs(mkdocs_tree: Path, tmp_path: Path) -> None:
    first = write_outputs(a := generate(mkdocs_tree, nested=True), tmp_path / "a", full=full_text(a))
    second = write_outputs(b := generate(mkdocs_tree, nested=True), tmp_path / "b", full=full_text(b))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


PLAIN = {
    "README.md": "# Widget\n\nWidget makes widgets.\n",
    "usage.md": "---\ndescription: Using it.\n---\n# Usage\n",
    "CHANGELOG.md": "# Changelog\n\n- fixed\n",
    "guides/02-advanced.md": "# Advanced\n\nHard things.\n",
    "guides/01-basics.md": "Basic things, explained at length " + "and more " * 30 + "until the end.\n",
    "guides/index.md": "# Guides\n\nAll the guides.\n",
    "reference/api.rst": "API\n===\n\nThe ``api`` module.\n",
    "node_modules/x/readme.md": "# ignored\n",
    ".hidden/secret.md": "# ignored\n",
}


def test_plain_tree_lists_readme_first_then_folders_and_needs_a_base_url(tmp_path: Path) -> None:
    root = write(tmp_path / "plain", PLAIN)
    with pytest.raises(CtxError, match="no base URL") as caught:
        generate(root)
    assert "--base-url" in str(caught.value)
    doc = generate(root, base_url="https://w.test/docs").doc
    long_note = "Basic things, explained at length" + " and more" * 14 + "…"
    assert doc == LlmsTxt(
        title="Widget",
        summary="Widget makes widgets.",
        sections=(
            Section("Docs", (
                Link("Widget", "https://w.test/docs/README.md", "Widget makes widgets."),
                Link("Usage", "https://w.test/docs/usage.md", "Using it."),
            )),
            Section("Guides", (
                Link("Guides", "https://w.test/docs/guides/index.md", "All the guides."),
                Link("Basics", "https://w.test/docs/guides/01-basics.md", long_note),
                Link("Advanced", "https://w.test/docs/guides/02-advanced.md", "Hard things."),
            )),
            Section("Reference", (Link("API", "https://w.test/docs/reference/api.rst.md", "The api module."),)),
            Section("Optional", (Link("Changelog", "https://w.test/docs/CHANGELOG.md"),)),
        ),
    )
    assert len(long_note) <= 161


def test_detect_reports_flavour_pages_and_routes(tmp_path: Path) -> None:
    source = detect(write(tmp_path / "plain", PLAIN))
    assert source.flavour == "plain" and source.base_url == ""
    assert [(p.path, p.route, p.section, p.optional) for p in source.pages] == [
        ("README.md", "README.md", "Docs", False),
        ("CHANGELOG.md", "CHANGELOG.md", "Docs", True),
        ("usage.md", "usage.md", "Docs", False),
        ("guides/index.md", "guides/index.md", "Guides", False),
        ("guides/01-basics.md", "guides/01-basics.md", "Guides", False),
        ("guides/02-advanced.md", "guides/02-advanced.md", "Guides", False),
        ("reference/api.rst", "reference/api.rst", "Reference", False),
    ]


def test_malformed_config_falls_back_to_the_plain_tree_with_a_warning(tmp_path: Path) -> None:
    root = write(tmp_path / "bad", {"mkdocs.yml": "nav: [unclosed\n", "docs/index.md": "# Hi\n", "index.md": "# Top\n"})
    generated = generate(root, base_url="https://b.test/")
    assert generated.flavour == "plain"
    assert generated.warnings == ("mkdocs.yml is not valid YAML (ParserError); read bad as a plain Markdown tree instead",)
    assert [link.url for link in generated.doc.links] == ["https://b.test/index.md", "https://b.test/docs/index.md"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "does not exist"),
        ({"notes.txt": "text\n"}, "no Markdown or reStructuredText pages"),
    ],
)
def test_bad_folders_raise_source_errors_with_a_hint(tmp_path: Path, files: dict[str, str] | None, message: str) -> None:
    root = tmp_path / "docs"
    if files is not None:
        write(root, dict(files))
    with pytest.raises(SourceError, match=message) as caught:
        generate(root, base_url=BASE)
    assert caught.value.hint


def test_a_file_is_not_a_docs_folder(tmp_path: Path) -> None:
    file = write(tmp_path, {"a.md": "# A\n"}) / "a.md"
    with pytest.raises(SourceError, match="is not a folder"):
        generate(file, base_url=BASE)


def test_a_base_url_must_be_absolute(mkdocs_tree: Path) -> None:
    with pytest.raises(CtxError, match="not an absolute http"):
        generate(mkdocs_tree, base_url="docs.example.org")
