"""Query-aware packing: the chunks that match, within the budget, grouped by file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from context_builder import PackOptions, TiktokenTokenizer, pack
from context_builder.focus import rank_chunks
from ingest import Corpus, Document, Source

TOKENIZER = TiktokenTokenizer()


def doc(path: str, text: str) -> Document:
    return Document(path, text, len(text.encode()))


def filler(name: str, n: int) -> str:
    return "\n\n".join(f"def {name}_{i}(value):\n    total = value + {i}\n    return total * 2\n" for i in range(n))


def corpus() -> Corpus:
    parser = (
        filler("helper", 30)
        + "\n\ndef parse_retry_header(value):\n    \"\"\"Read a Retry-After header in seconds.\"\"\"\n"
        + "    seconds = int(value)\n    return max(seconds, 0)\n\n\n"
        + filler("other", 30)
    )
    docs = [
        doc("README.md", "# Demo\n\nA demo client.\n"),
        doc("src/demo/http.py", parser),
        doc("src/demo/colors.py", filler("paint", 40)),
        doc("tests/test_http.py", "from demo.http import parse_retry_header\n\n\ndef test_it():\n    assert parse_retry_header('3') == 3\n"),
    ]
    return Corpus(Source(Path("/demo"), "demo"), tuple(sorted(docs, key=lambda d: d.path)))


def test_a_query_naming_a_function_ranks_its_chunk_first() -> None:
    ranked = rank_chunks(corpus().documents, "parse_retry_header crashes on a negative Retry-After").chunks
    top = ranked[0][0]
    assert (top.path, top.symbol) == ("src/demo/http.py", "parse_retry_header")


def test_a_traceback_frame_points_at_its_file() -> None:
    query = 'Traceback (most recent call last):\n  File "/site/src/demo/colors.py", line 12, in paint_3\nValueError: bad'
    ranking = rank_chunks(corpus().documents, query)
    assert ranking.chunks[0][0].path == "src/demo/colors.py" and "src/demo/colors.py" in ranking.pointed


@pytest.mark.parametrize("style", ["text", "markdown", "xml", "json"])
@pytest.mark.parametrize("budget", [250, 400, 600, 900])
def test_query_packs_stay_within_the_budget(style: str, budget: int) -> None:
    result = pack(corpus(), PackOptions(style=style, budget=budget, query="parse_retry_header Retry-After"), TOKENIZER)
    assert result.tokens == TOKENIZER.count(result.text) <= budget


def test_chosen_chunks_are_shown_in_file_order_with_elisions() -> None:
    result = pack(corpus(), PackOptions(budget=500, query="parse_retry_header Retry-After seconds"), TOKENIZER)
    http = next(f for f in result.report.files if f.path == "src/demo/http.py")
    assert http.status == "excerpt" and http.note.startswith("lines ")
    assert "def parse_retry_header(value):" in http.content
    assert http.content.startswith("⋮ ") and "lines omitted" in http.content
    assert "def helper_0" not in http.content
    assert "Query: parse_retry_header Retry-After seconds" in result.text


def test_a_query_that_matches_nothing_falls_back_to_structure() -> None:
    result = pack(corpus(), PackOptions(budget=600, query="zzzz qqqq"), TOKENIZER)
    assert [f.path for f in result.report.files][0] == "README.md"
    assert result.tokens <= 600


def test_each_chosen_file_says_why() -> None:
    result = pack(corpus(), PackOptions(budget=500, query="parse_retry_header Retry-After seconds"), TOKENIZER)
    http = next(f for f in result.report.files if f.path == "src/demo/http.py")
    assert http.why.startswith("best chunk parse_retry_header (lines ")


def test_the_index_of_an_unchanged_corpus_is_loaded_not_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import context_builder.index_cache as index_cache

    query = "parse_retry_header Retry-After"
    first = rank_chunks(corpus().documents, query, tmp_path)
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1
    monkeypatch.setattr(index_cache, "_build", lambda documents, cache: pytest.fail("rebuilt an unchanged corpus"))
    assert rank_chunks(corpus().documents, query, tmp_path) == first


def test_a_changed_corpus_gets_a_new_index_and_a_damaged_one_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging.getLogger("ctx"), "propagate", True)  # the CLI's tests may have turned it off
    query = "parse_retry_header Retry-After"
    rank_chunks(corpus().documents, query, tmp_path)
    changed = (*corpus().documents, doc("src/demo/new.py", "def parse_retry_header_v2():\n    pass\n"))
    assert rank_chunks(changed, query, tmp_path).chunks[0][0].path in {"src/demo/http.py", "src/demo/new.py"}
    folders = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(folders) == 2
    for folder in folders:
        (folder / "chunks.json").write_text("{not json", encoding="utf-8")
    again = rank_chunks(corpus().documents, query, tmp_path)
    assert again.chunks[0][0].symbol == "parse_retry_header"
    assert "is damaged" in caplog.text and "rebuilding it" in caplog.text


def test_only_changed_files_are_chunked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import context_builder.index_cache as index_cache

    query = "parse_retry_header Retry-After"
    first = rank_chunks(corpus().documents, query, tmp_path)
    chunked: list[str] = []
    real = index_cache.chunk_document
    monkeypatch.setattr(index_cache, "chunk_document", lambda path, text: chunked.append(path) or real(path, text))
    edited = tuple(doc(d.path, d.text + "\n# edited\n") if d.path == "README.md" else d for d in corpus().documents)
    again = rank_chunks(edited, query, tmp_path)
    assert chunked == ["README.md"]
    assert [(c.path, c.start, c.end, c.text) for c, _ in again.chunks if c.path != "README.md"] == [
        (c.path, c.start, c.end, c.text) for c, _ in first.chunks if c.path != "README.md"
    ]
