"""The packer: exact budgets in every style, priority fill, manifest, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from context_builder import PackOptions, TiktokenTokenizer, pack
from context_builder.priority import fill_order, tier
from ingest import BudgetError, Corpus, Document, Redaction, Skipped, Source

TOKENIZER = TiktokenTokenizer()
STYLES = ["text", "markdown", "xml", "json"]


def doc(path: str, text: str) -> Document:
    return Document(path, text, len(text.encode()))


def corpus() -> Corpus:
    body = "\n".join(f"def function_{i}(x):\n    y = x * {i}  # step {i}\n    return y + 1\n" for i in range(50))
    docs = [
        doc("README.md", "# Demo\n\nWhat this project does, in a few words.\n"),
        doc("docs/guide.md", "## Guide\n\n" + "Use it like this. " * 40 + "\n"),
        doc("pyproject.toml", '[project]\nname = "demo"\n'),
        doc("src/demo/__init__.py", '"""Demo."""\n'),
        doc("src/demo/big.py", body),
        doc("src/demo/util.py", "import os\n\n\ndef home() -> str:\n    return os.environ['HOME']\n"),
        doc("tests/test_util.py", "def test_home():\n    assert True\n" * 20),
        doc("CHANGELOG.md", "- fixed things\n" * 50),
        doc("src/demo/keys.py", 'KEY = "[REDACTED:aws-access-key]"\n', ),
    ]
    docs[-1] = Document("src/demo/keys.py", docs[-1].text, 30, "utf-8", (Redaction("aws-access-key", 1),))
    docs.sort(key=lambda d: d.path)
    return Corpus(Source(Path("/demo"), "demo"), tuple(docs), (Skipped("logo.bin", "binary"),))


@pytest.mark.parametrize("style", STYLES)
def test_without_budget_everything_is_packed(style: str) -> None:
    result = pack(corpus(), PackOptions(style=style), TOKENIZER)
    assert len(result.report.files) == 9 and result.report.omissions == ()
    assert result.tokens == TOKENIZER.count(result.text)
    for d in corpus().documents:
        assert (json.dumps(d.text)[1:-1] if style == "json" else d.text) in result.text


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("budget", [300, 400, 500, 650, 800, 1000, 1300, 1700, 2200, 3000])
def test_output_never_exceeds_the_budget(style: str, budget: int) -> None:
    result = pack(corpus(), PackOptions(style=style, budget=budget), TOKENIZER)
    assert result.tokens == TOKENIZER.count(result.text) <= budget


@pytest.mark.parametrize("style", STYLES)
def test_budget_is_filled_not_just_respected(style: str) -> None:
    full = pack(corpus(), PackOptions(style=style), TOKENIZER).tokens
    budget = full * 2 // 3
    result = pack(corpus(), PackOptions(style=style, budget=budget), TOKENIZER)
    assert budget - 60 <= result.tokens <= budget


def test_budget_fills_by_priority_and_lists_what_was_left_out() -> None:
    result = pack(corpus(), PackOptions(budget=700), TOKENIZER)
    packed = [f.path for f in result.report.files]
    assert packed[0] == "README.md" and "pyproject.toml" in packed
    assert {tier(p) for p in packed} >= {0, 1, 2}, "every tier gets its share, not only docs"
    left = {o.path: o.reason for o in result.report.omissions}
    assert "CHANGELOG.md" in left
    assert "Left out or cut" in result.text and "CHANGELOG.md" in result.text.split("Directory structure")[0]


def test_a_large_code_file_comes_in_as_its_outline() -> None:
    result = pack(corpus(), PackOptions(budget=1300), TOKENIZER)
    big = next(f for f in result.report.files if f.path == "src/demo/big.py")
    assert big.status == "outline" and "lines omitted" in big.content and big.note == "outline"
    assert "src/demo/big.py" in {o.path for o in result.report.omissions}


def test_the_space_left_is_filled_with_the_head_of_a_file() -> None:
    prose = "\n".join(f"Paragraph {i}: " + "words and more words " * 8 for i in range(80))
    c = Corpus(Source(Path("/x"), "x"), (doc("README.md", "# X\n"), doc("docs/long.md", prose)))
    result = pack(c, PackOptions(budget=600), TOKENIZER)
    cut = next(f for f in result.report.files if f.path == "docs/long.md")
    assert cut.status == "trimmed" and cut.note.startswith("lines 1-")
    assert cut.content.endswith("lines omitted")
    assert 600 - 60 <= result.tokens <= 600


def test_budget_too_small_for_the_tree_is_a_clear_error() -> None:
    with pytest.raises(BudgetError, match="too small for even the summary and tree") as info:
        pack(corpus(), PackOptions(budget=40), TOKENIZER)
    assert "raise --budget to at least" in str(info.value)


def test_compress_reduces_code_to_outlines() -> None:
    full = pack(corpus(), PackOptions(), TOKENIZER)
    small = pack(corpus(), PackOptions(compress=True), TOKENIZER)
    big = next(f for f in small.report.files if f.path == "src/demo/big.py")
    assert big.status == "outline" and "lines omitted" in big.content
    assert small.tokens < full.tokens
    assert small.report.omissions == ()


def test_summary_names_largest_files_skips_and_redactions() -> None:
    text = pack(corpus(), PackOptions(), TOKENIZER).text
    head = text.split("Directory structure")[0]
    assert "Largest files: src/demo/big.py" in head
    assert "logo.bin: binary" in head
    assert "src/demo/keys.py:1 aws-access-key" in head


def test_text_style_uses_gitingests_file_separators() -> None:
    text = pack(corpus(), PackOptions(), TOKENIZER).text
    assert "================================================\nFILE: README.md\n================================================\n# Demo" in text


def test_xml_style_uses_repomixs_layout() -> None:
    text = pack(corpus(), PackOptions(style="xml"), TOKENIZER).text
    assert "<directory_structure>\ndocs/\n  guide.md\n" in text
    assert '<file path="README.md">\n# Demo' in text and text.endswith("</files>\n")


def test_json_style_is_valid_json() -> None:
    data = json.loads(pack(corpus(), PackOptions(style="json", budget=800), TOKENIZER).text)
    assert data["summary"]["budget"] == 800
    assert data["files"][0]["path"] == "README.md"
    assert data["summary"]["left_out_count"] == len(data["summary"]["left_out"]) > 0


def test_markdown_fences_outgrow_backticks_in_content() -> None:
    c = Corpus(Source(Path("/x"), "x"), (doc("a.md", "```py\nx\n```\n"),))
    text = pack(c, PackOptions(style="markdown"), TOKENIZER).text
    assert "````md\n```py\nx\n```\n\n````" in text


def test_fill_order_interleaves_tiers_by_weight() -> None:
    items = [("README.md", 100), ("docs/a.md", 100), ("docs/b.md", 100), ("docs/c.md", 100), ("src/x.py", 400), ("src/y.py", 400), ("setup.py", 50)]
    order = [items[i][0] for i in fill_order(items)]
    assert order[:3] == ["README.md", "setup.py", "src/x.py"]
    assert order.index("src/y.py") < order.index("docs/c.md")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("README.md", 0), ("README", 0), ("docs/a.rst", 0), ("docs/deep/er/a.md", 0), ("CONTRIBUTING.md", 0), ("pkg/README.md", 0),
        ("setup.py", 1), ("requirements.txt", 1), ("pkg/__main__.py", 1), ("web/package.json", 1),
        ("pkg/x.py", 2), ("lib/pkg/modules/setup.py", 2), ("lib/pkg/data/role/README.md", 2), ("pkg/data.txt", 2),
        ("tests/t.py", 3), ("src/x_test.go", 3), ("examples/demo.py", 3),
        ("LICENSE", 4), ("licenses/MIT-license.txt", 4), ("changelogs/CHANGELOG-v2.rst", 4), ("PKG-INFO", 4),
    ],
)
def test_priority_tiers(path: str, expected: int) -> None:
    assert tier(path) == expected


def test_a_deep_tree_collapses_to_fit_the_budget() -> None:
    docs = [doc(f"pkg/sub{i}/deep/er/mod{j}.py", f"x = {j}\n") for i in range(40) for j in range(5)]
    c = Corpus(Source(Path("/x"), "x"), (doc("README.md", "# X\n"), *sorted(docs, key=lambda d: d.path)))
    result = pack(c, PackOptions(budget=2000), TOKENIZER)
    assert result.tokens <= 2000
    assert "deep/ (5 files)" in result.text or "sub0/ (5 files)" in result.text or "pkg/ (200 files)" in result.text


def test_summary_counts_partial_and_left_out_files_honestly() -> None:
    result = pack(corpus(), PackOptions(budget=1300), TOKENIZER)
    head = result.text.split("Directory structure")[0]
    partial = {o.path for o in result.report.omissions} & {f.path for f in result.report.files}
    left = len(result.report.omissions) - len(partial)
    assert f"({len(partial)} in part, {left} left out)" in head
